#!/usr/bin/env bash
# Packs the four Mooring packages (Mooring, Mooring.Sdk, Mooring.Testing, Mooring.Templates) into artifacts/packages.
# Usage: eng/pack.sh [version-suffix]     e.g. eng/pack.sh dev.1  →  0.1.0-dev.1
set -euo pipefail
cd "$(dirname "$0")/.."
out="${ArtifactsPath:-$PWD/artifacts}/packages"
mkdir -p "$out"
suffix=()
[ $# -gt 0 ] && suffix=("-p:VersionSuffix=$1")
for project in sdk/Mooring sdk/Mooring.Sdk sdk/Mooring.Testing templates/Mooring.Templates; do
  dotnet pack "$project" -c Release -o "$out" -nologo -v quiet "${suffix[@]}"
done
ls -1 "$out"/*.nupkg
