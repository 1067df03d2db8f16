#!/usr/bin/env bash
# A stand-in demo until `git conductor demo` exists (it arrives with the run engine):
# makes a throw-away repository, records a few synthetic runs on its state branch, and
# shows what `init`, `log`, `show`, `doctor` and plain git see.
set -euo pipefail
bin="$(cd "$(dirname "$0")/.." && pwd)/.build/debug"
repo="$(mktemp -d "${TMPDIR:-/tmp}/conductor-demo.XXXXXX")"
trap 'rm -rf "$repo"' EXIT
export PATH="$bin:$PATH"

cd "$repo"
git init -q -b main
git config user.name "Demo User"
git config user.email demo@example.com
echo "demo" > README.md
git add README.md && git commit -q -m "Initial commit"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step git conductor init
conductor-synth populate 5
step git conductor log
first=$(git conductor log --oneline --limit 1 | cut -d" " -f1 | cut -c1-16)
step git conductor show "$first"
step git conductor doctor
step git log --oneline -3 orchestrator-state
step git fsck --strict
printf '\nThe demo repository was %s (removed on exit).\n' "$repo"
