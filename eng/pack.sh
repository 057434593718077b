#!/usr/bin/env bash
# Packs the four Mooring packages (Mooring, Mooring.Sdk, Mooring.Testing, Mooring.Templates) into artifacts/packages.
# Usage: eng/pack.sh [--no-build] [version-suffix]     e.g. eng/pack.sh dev.1  →  0.1.0-dev.1
# Output: $MOORING_PACKAGES_OUTPUT, else $ArtifactsPath/packages, else artifacts/packages.
#
# --no-build packs the Release build that is already in artifacts/ (dotnet build Sdk.sln -c Release) instead of
# building again. The suffix then changes the package version only: the assemblies keep the version they were built
# with (0.1.0). eng/test.sh packs this way, at a version of its own for each run, so the NuGet cache never serves an
# older run's package under the same version; a release is packed without it, so its assemblies carry the full version.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${MOORING_PACKAGES_OUTPUT:-${ArtifactsPath:-$PWD/artifacts}/packages}"
mkdir -p "$out"
args=()
if [ "${1:-}" = "--no-build" ]; then
  args+=(--no-build)
  shift
fi
[ $# -gt 0 ] && args+=("-p:VersionSuffix=$1")
for project in sdk/Mooring sdk/Mooring.Sdk sdk/Mooring.Testing templates/Mooring.Templates; do
  dotnet pack "$project" -c Release -o "$out" -nologo -v quiet "${args[@]}"
done
ls -1 "$out"/*.nupkg
