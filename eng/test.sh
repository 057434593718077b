#!/usr/bin/env bash
# Runs every test suite (unit, generator, registry, state, build, end-to-end against a private dockerd) and prints
# "N passed, M failed" from the real results. Usage: eng/test.sh [extra dotnet test args]
set -uo pipefail
cd "$(dirname "$0")/.."
bash eng/install-prereqs.sh || exit 1

results="$PWD/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Sdk.sln -c Release -v minimal -nologo
build_rc=$?
if [ $build_rc -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit $build_rc
fi

# MooringTestResults makes every test project write <Project>.trx into $results (see Directory.Build.targets).
dotnet test Sdk.sln -c Release --no-build -nologo -p:MooringTestResults="$results" "$@"
test_rc=$?

bash eng/summarize-tests.sh "$results"
exit $test_rc
