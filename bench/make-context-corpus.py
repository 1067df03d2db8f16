#!/usr/bin/env python3
"""Rebuilds bench/context-corpus.tsv, the recall corpus of `conductor-bench --only context`.

usage: bench/make-context-corpus.py [--mirrors DIR] [--self-repo DIR] > bench/context-corpus.tsv

A task is a real bug fix: its message (subject and body) is the task text, its parent the
repository as the model would see it, and the non-test source files it modified the gold.
The rules are spelled out in HEADER below, which the script writes at the top of the manifest.
"""
import argparse
import os
import re
import subprocess
import sys

# (owner/name, cap on tasks). `self` is this repository (git-conductor), read from --self-repo.
REPOSITORIES = [
    ("self", 60),
    ("pallets/click", 60),
    ("jpsim/Yams", 45),
    ("apple/swift-argument-parser", 45),
    ("spf13/cobra", 45),
    ("expressjs/express", 45),
]

FIX = re.compile(r"\b(fix(e[sd])?|fixing|bugs?|crash(es|ed)?|regressions?|wrong|broken|incorrect(ly)?|never)\b", re.I)
# This repository's history is mostly features; its few fixes rarely say "fix". These
# subjects describe wrong behaviour put right, picked by reading the log (the rules below
# still decide the gold and the size limits).
SELF_FIXES = {
    "0cd5508", "8ffc185", "02f29b9", "22a570a", "8683b5b", "5f48d76", "d9b20ba", "7381c3a",
}
# Housekeeping that a fix keyword does not make a code fix.
CHORE = re.compile(r"\b(typos?|spelling|grammar|wording|lint(ing|er)?|format(ting)?|indentation|whitespace|comments?|docstrings?|changelog|docs?|documentation|readme|ci|bump|deps?|dependabot|version|release)\b|^(docs|ci|chore|build|test|style)(\(|:)", re.I)
SOURCE = re.compile(r"\.(swift|py|go|js|mjs|cjs|ts|tsx|jsx|c|h|cc|cpp|hpp|m|rs|java|kt|rb)$")
NOT_SOURCE_DIRS = {"test", "tests", "testing", "__tests__", "spec", "specs", "testdata", "fixtures", "fixture",
                   "examples", "example", "docs", "doc", "documentation", "benchmarks", "benchmark", "bench",
                   "scripts", ".github", "vendor", "third_party"}
NOT_SOURCE_NAMES = re.compile(r"(^test_.*\.py$|_test\.(py|go)$|^conftest\.py$|Tests?\.swift$|\.(test|spec)\.[jt]sx?$|"
                              r"^Package(@swift-[\d.]+)?\.swift$|^setup\.py$|^LinuxMain\.swift$|\.pb\.go$|_generated\.|\.min\.js$)")

HEADER = """\
# Recall corpus of the context benchmark (conductor-bench --only context; docs/benchmarks.md).
# Rebuild with bench/make-context-corpus.py against mirrors of the repositories below.
#
# One line per task: repository (owner/name, or `self` for this repository), the fix commit,
# and its gold files (comma-separated). The task text is the commit's message (subject and
# body); the repository is read at the commit's first parent; the gold is what the fix changed.
# Chosen by these rules, applied to every non-merge commit reachable from HEAD:
#   - the subject names a fix (fix/fixes/fixed/bug/crash/regression/wrong/broken/incorrect/never)
#     and is not housekeeping (typos, grammar, comments, lint, formatting, indentation, docs,
#     changelog, CI, dependency bumps, versions, releases);
#   - gold = the source files it modified (status M) outside tests, docs, examples, fixtures,
#     benchmarks and scripts, leaving out build manifests (Package.swift, setup.py) and generated files;
#   - 1 to 4 gold files, and no more than 4 source files changed in all (added files are not gold:
#     nothing can retrieve what does not exist yet);
#   - for `self`, also the commits listed in SELF_FIXES of the script: fixes whose subject
#     says what was wrong without the word (this history is mostly features);
#   - at most a fixed number per repository (see REPOSITORIES in the script), the newest first.
"""


def git(directory, *arguments):
    return subprocess.run(["git", "--git-dir", directory, *arguments], check=True,
                          capture_output=True, text=True, errors="replace").stdout


def is_source(path):
    parts = path.split("/")
    if any(part.lower() in NOT_SOURCE_DIRS for part in parts[:-1]):
        return False
    return bool(SOURCE.search(parts[-1])) and not NOT_SOURCE_NAMES.search(parts[-1])


def tasks(directory, cap, extra=frozenset()):
    log = git(directory, "log", "--no-merges", "--format=%x00%H%x01%s", "--name-status", "--no-renames", "HEAD")
    chosen = []
    for record in log.split("\0")[1:]:
        head, _, files = record.partition("\n")
        commit, _, subject = head.partition("\x01")
        picked = commit[:7] in extra
        if not picked and (not FIX.search(subject) or CHORE.search(subject)):
            continue
        changes = [line.split("\t", 1) for line in files.strip().splitlines() if "\t" in line]
        sources = [(status, path) for status, path in changes if is_source(path)]
        gold = [path for status, path in sources if status == "M"]
        if not 1 <= len(gold) <= 4 or len(sources) > 4:
            continue
        if len(git(directory, "rev-list", "--parents", "-n1", commit).split()) != 2:
            continue
        chosen.append((commit, gold))
        if len(chosen) == cap:
            break
    return chosen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mirrors", default="/work/.mirror")
    parser.add_argument("--self-repo", default=".")
    options = parser.parse_args()
    sys.stdout.write(HEADER)
    for name, cap in REPOSITORIES:
        if name == "self":
            directory = subprocess.run(["git", "-C", options.self_repo, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                       capture_output=True, text=True).stdout.strip()
        else:
            directory = os.path.join(options.mirrors, name.replace("/", "+"), "repo")
        if not os.path.isdir(directory):
            print(f"skipping {name}: no repository at {directory}", file=sys.stderr)
            continue
        found = tasks(directory, cap, SELF_FIXES if name == "self" else frozenset())
        print(f"{name}: {len(found)} tasks", file=sys.stderr)
        for commit, gold in found:
            sys.stdout.write(f"{name}\t{commit}\t{','.join(gold)}\n")


if __name__ == "__main__":
    main()
