#!/usr/bin/env bash
# Publishes samples with NativeAOT as plugin directories, one after the other, for the tests that only *use* a
# published plugin (tests/Mooring.TestFixtures/PublishedSample.cs is the one caller in C#; eng/test.sh runs it once per
# run before the test projects start). Usage: eng/publish-test-samples.sh OUT SAMPLE...
# For each SAMPLE it writes OUT/SAMPLE/{publish/, plugin/, publish.log} and, last, OUT/SAMPLE/ok: a folder without "ok"
# is an unfinished or failed publish and is never used. OUT/artifacts is the build folder of its own (every run
# builds the SDK from source there, so nothing is ever skipped as up to date and the log always shows every warning).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$1"
shift
mkdir -p "$out"
out="$(cd "$out" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No MSBuild node or build server may outlive the publish (the caller waits for every child).
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1
rc=0
for sample in "$@"; do
  dir="$out/$sample"
  rm -rf "$dir"
  mkdir -p "$dir"
  if dotnet publish "$root/samples/$sample/$sample.csproj" -t:PluginDirectory -c Release -v:n \
      "-p:ArtifactsPath=$out/artifacts" "-p:PublishDir=$dir/publish/" "-p:PluginDirectory=$dir/plugin/" \
      >"$dir/publish.log" 2>&1; then
    touch "$dir/ok"
    echo "published $sample -> $dir"
  else
    echo "publishing $sample failed; the end of $dir/publish.log:" >&2
    tail -n 40 "$dir/publish.log" >&2
    rc=1
  fi
done
exit $rc
