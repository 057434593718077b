#!/usr/bin/env bash
# Measures `dotnet publish -t:PluginPush` of the LocalVolume sample against a local docker-registry, the way a user
# runs it: Mooring + Mooring.Sdk packed into a private feed, the sample as a consumer project of that SDK.
#   first push  a new repository, layer cache dropped: compress the rootfs, upload every blob, push the manifest
#   re-push     the same repository again, nothing changed: HEADs only, 0 bytes sent
#   baseline    `dotnet publish -t:PluginDirectory` with nothing to do: the CLI + MSBuild + incremental publish cost that
#               every push command line pays before the PluginPush task starts
# Prints one line per run and the medians; docs/benchmarks.md holds the numbers measured on the reference machine.
# Usage: eng/bench-push.sh [runs=5]
set -euo pipefail

RUNS="${1:-5}"
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/mooring-bench-push.XXXXXX)"
SUFFIX="bench.$(date -u +%Y%m%d%H%M%S)"
VERSION="0.1.0-$SUFFIX"
REGISTRY_PID=""

cleanup() {
  if [[ -n "$REGISTRY_PID" ]]; then kill "$REGISTRY_PID" 2>/dev/null || true; fi
  rm -rf "$WORK" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/mooring/$VERSION" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/mooring.sdk/$VERSION"
}
trap cleanup EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1
export DOCKER_CONFIG="$WORK/docker-config"   # no docker login leaks in
mkdir -p "$DOCKER_CONFIG"
unset SOURCE_DATE_EPOCH MOORING_REGISTRY_USERNAME MOORING_REGISTRY_PASSWORD

# shellcheck source=eng/lib/registry.sh
source "$REPO_ROOT/eng/lib/registry.sh"
start_loopback_registry "$WORK"

echo "Packing Mooring $VERSION ..." >&2
for project in sdk/Mooring/Mooring.csproj sdk/Mooring.Sdk/Mooring.Sdk.csproj; do
  ArtifactsPath="$WORK/artifacts" dotnet pack "$REPO_ROOT/$project" -c Release -o "$WORK/feed" "-p:VersionSuffix=$SUFFIX" -v:q -nologo >&2
done

PROJECT="$WORK/LocalVolume"
mkdir -p "$PROJECT"
cp "$REPO_ROOT"/samples/LocalVolume/*.cs "$PROJECT/"
echo '<Project />' > "$PROJECT/Directory.Build.props"
echo '<Project />' > "$PROJECT/Directory.Build.targets"
cat > "$PROJECT/nuget.config" <<EOF
<configuration><packageSources><clear />
  <add key="bench" value="$WORK/feed" />
  <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
</packageSources></configuration>
EOF
cat > "$PROJECT/LocalVolume.csproj" <<EOF
<Project Sdk="Mooring.Sdk/$VERSION">
  <PropertyGroup>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <PluginName>localvolume</PluginName>
    <Version>1.0.0</Version>
  </PropertyGroup>
</Project>
EOF

cd "$PROJECT"
echo "Publishing (NativeAOT, not measured) ..." >&2
start=$(date +%s.%N)
dotnet publish -t:PluginDirectory -v:q -nologo >&2
echo "publish -t:PluginDirectory: $(echo "$(date +%s.%N) - $start" | bc) s" >&2

push() { # repository summary-file
  local t0 t1
  t0=$(date +%s.%N)
  dotnet publish -t:PluginPush -v:q -nologo "-p:PluginRegistry=$REGISTRY" "-p:PluginRepository=$1" "-p:PluginPushSummaryFile=$2" > "$2.log"
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-8s %-4s %9s %9s %12s %7s %7s\n' kind run wall_s task_ms bytes_sent skipped layer_reused
: > "$WORK/first.txt"; : > "$WORK/first-task.txt"; : > "$WORK/re.txt"; : > "$WORK/re-task.txt"; : > "$WORK/base.txt"
for i in $(seq 1 "$RUNS"); do
  t0=$(date +%s.%N); dotnet publish -t:PluginDirectory -v:q -nologo > /dev/null; wall=$(echo "$(date +%s.%N) - $t0" | bc)
  printf '%-8s %-4s %9.2f\n' baseline "$i" "$wall"; echo "$wall" >> "$WORK/base.txt"
  find "$PROJECT/obj" -name layer.json -delete   # first push: compress the layer again too
  wall=$(push "bench/first-$i" "$WORK/first-$i.json")
  s="$WORK/first-$i.json"
  printf '%-8s %-4s %9.2f %9s %12s %7s %7s\n' first "$i" "$wall" "$(field "$s" elapsedMilliseconds)" "$(field "$s" bytesUploaded)" "$(field "$s" blobsSkipped)" "$(field "$s" layerReused)"
  echo "$wall" >> "$WORK/first.txt"; field "$s" elapsedMilliseconds >> "$WORK/first-task.txt"

  wall=$(push "bench/first-$i" "$WORK/re-$i.json")
  s="$WORK/re-$i.json"
  printf '%-8s %-4s %9.2f %9s %12s %7s %7s\n' re-push "$i" "$wall" "$(field "$s" elapsedMilliseconds)" "$(field "$s" bytesUploaded)" "$(field "$s" blobsSkipped)" "$(field "$s" layerReused)"
  echo "$wall" >> "$WORK/re.txt"; field "$s" elapsedMilliseconds >> "$WORK/re-task.txt"
done

layer="$(find "$PROJECT/obj" -name layer.tar.gz | head -1)"
echo
echo "median baseline (publish -t:PluginDirectory, no-op): wall $(median < "$WORK/base.txt") s"
echo "median first push:  wall $(median < "$WORK/first.txt") s, PluginPush task $(median < "$WORK/first-task.txt") ms"
echo "median re-push:     wall $(median < "$WORK/re.txt") s, PluginPush task $(median < "$WORK/re-task.txt") ms"
echo "layer: $(stat -c %s "$layer") bytes compressed, $(gzip -dc "$layer" | wc -c) bytes uncompressed (tar); rootfs $(du -sb "$PROJECT"/bin/Release/net10.0/linux-$(uname -m | sed "s/x86_64/x64/;s/aarch64/arm64/")/plugin/rootfs | cut -f1) bytes on disk"
echo "manifest: $(field "$WORK/re-1.json" manifestDigest)"
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
