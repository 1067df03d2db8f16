#!/bin/sh
# Builds the release products the benchmark needs, then runs it: scripts/bench.sh [--quick] [--json <file>]
#
# One `swift build` per product: given several --product options, SwiftPM builds only the
# last one, which would leave a stale git-conductor or conductor-bench behind.
set -eu
cd "$(dirname "$0")/.."
for product in git-conductor conductor-synth conductor-bench; do
    swift build -c release --product "$product" >&2
done
exec .build/release/conductor-bench --bin-dir .build/release "$@"
