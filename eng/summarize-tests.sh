#!/usr/bin/env bash
# Prints "N passed, M failed[, K skipped]" from the TRX files under a folder (default artifacts/test-results).
set -euo pipefail
dir="${1:-artifacts/test-results}"
shopt -s nullglob globstar
files=("$dir"/**/*.trx)
if [ ${#files[@]} -eq 0 ]; then
  echo "0 passed, 0 failed"
  exit 0
fi
# Each TRX holds one <Counters total=.. executed=.. passed=.. failed=.. error=.. timeout=.. notExecuted=.. .../>.
grep -ho '<Counters [^>]*>' "${files[@]}" | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/["\/>]/, "", kv[2]); c[kv[1]] += kv[2] } }
  END {
    failed = c["failed"] + c["error"] + c["timeout"] + c["aborted"]
    skipped = c["notExecuted"]
    line = c["passed"] " passed, " failed " failed"
    if (skipped > 0) line = line ", " skipped " skipped"
    print line
  }'
