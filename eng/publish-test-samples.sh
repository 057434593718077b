#!/usr/bin/env bash
# Publishes samples with NativeAOT as plugin directories, one after the other, for the tests that only *use* a
# published plugin (tests/Mooring.TestFixtures/PublishedSample.cs is the one caller in C#; eng/test.sh runs it once per
# run before the test projects start). Usage: eng/publish-test-samples.sh OUT SAMPLE[:VARIANT]...
# For each SAMPLE it writes OUT/SAMPLE/{publish/, plugin/, publish.log} and, last, OUT/SAMPLE/ok: a folder without "ok"
# is an unfinished or failed publish and is never used. A VARIANT is the same sample published with an opt-in setting,
# into OUT/SAMPLE-VARIANT/ (eng/lib/variants.sh: "static" is PluginStaticExecutable=true, docs/msbuild.md).
# The publish builds in the repository's own artifacts/ folder: eng/test.sh has just built Sdk.sln in Release, so the
# SDK and the sample are compiled once per run, not twice (compile warnings already fail that build). The native
# compile is what the tests read for trim and AOT warnings, so its intermediate folder is removed first: ILC then runs,
# and logs, on every publish, however warm the folder is.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$1"
shift
mkdir -p "$out"
out="$(cd "$out" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No MSBuild node or build server may outlive the publish (the caller waits for every child).
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1
# shellcheck source=eng/lib/variants.sh
source "$root/eng/lib/variants.sh"
rc=0
for item in "$@"; do
  sample="${item%%:*}"
  variant=(); dir="$out/$sample"
  case "$item" in
    "$sample") ;;
    *) name="${item#*:}"; dir="$out/$sample-$name"
       if ! variant_properties "$name" "$dir/native/"; then rc=1; continue; fi
       variant=("${VARIANT_PROPERTIES[@]}") ;;
  esac
  rm -rf "$dir"
  mkdir -p "$dir"
  # A variant only links differently (the same native compile: IlcDehydrate=false either way), so after the sample's own
  # publish in this run ILC is up to date and skipped. It links into a folder of its own (NativeOutputPath), so the link
  # runs, and the sample's own binary in artifacts/ stays the default build, which later pushes from there reuse.
  [ ${#variant[@]} -gt 0 ] || rm -rf "${ArtifactsPath:-$root/artifacts}/obj/$sample/"release_*/native
  if dotnet publish "$root/samples/$sample/$sample.csproj" -t:PluginDirectory -c Release -v:n "${variant[@]}" \
      "-p:PublishDir=$dir/publish/" "-p:PluginDirectory=$dir/plugin/" \
      >"$dir/publish.log" 2>&1; then
    touch "$dir/ok"
    echo "published $item -> $dir"
  else
    echo "publishing $item failed; the end of $dir/publish.log:" >&2
    tail -n 40 "$dir/publish.log" >&2
    rc=1
  fi
done
exit $rc
