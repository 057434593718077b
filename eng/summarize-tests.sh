#!/usr/bin/env bash
# Prints "N passed, M failed[, K skipped]" from the TRX files under a folder (default artifacts/test-results).
# Usage: eng/summarize-tests.sh [DIR [PROJECT...]]: each PROJECT named must have written DIR/PROJECT.trx; one that did
# not (its test host crashed, or it never ran) counts as one failure, so a lost project can never look like a pass.
set -euo pipefail
dir="${1:-artifacts/test-results}"
[ $# -gt 0 ] && shift
missing=0
for project in "$@"; do
  if [ ! -f "$dir/$project.trx" ]; then
    echo "$project: no results ($dir/$project.trx is missing)" >&2
    missing=$((missing + 1))
  fi
done
shopt -s nullglob globstar
files=("$dir"/**/*.trx)
if [ ${#files[@]} -eq 0 ]; then
  echo "0 passed, $missing failed"
  exit 0
fi
# Each TRX holds one <Counters total=.. executed=.. passed=.. failed=.. error=.. timeout=.. notExecuted=.. .../>.
grep -ho '<Counters [^>]*>' "${files[@]}" | awk -v missing="$missing" '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/["\/>]/, "", kv[2]); c[kv[1]] += kv[2] } }
  END {
    failed = c["failed"] + c["error"] + c["timeout"] + c["aborted"] + missing
    skipped = c["notExecuted"]
    line = c["passed"] " passed, " failed " failed"
    if (skipped > 0) line = line ", " skipped " skipped"
    print line
  }'
