#!/usr/bin/env bash
# The benchmark of issue 11, one command: Mooring against the Go yardstick (docker/go-plugins-helpers) and the raw
# ceiling, in the same run, subjects alternated. docs/benchmarks.md explains the method and holds measured numbers.
#
#   load       bench/plugload drives each subject over its unix socket (keep-alive clients, as dockerd does) for
#              SECONDS per run, concurrency 1, 8 and 64, scenarios `get` and `lifecycle`; subjects: goanchor (Go
#              yardstick), goanchor-dirs (the same with --dirs, lifecycle only: its Mount makes and its Remove deletes the
#              volume's directory, as InMemoryVolume's do), ceiling (fixed answer), samples/InMemoryVolume (in-memory,
#              what the SDK costs per request),
#              InMemoryVolume-tmpfs (the same binary, its data root on a tmpfs: without the filesystem's cost),
#              InMemoryVolume-ext4 (lifecycle only: the same binary on an ext4 mounted with its defaults, a loop-mounted
#              image; skipped when the image cannot be mounted: not root, no loop device),
#              samples/LocalVolume (state-backed: durable lifecycle, Get/List/Path from memory). A fresh process per run.
#   start-up   exec -> first answered /Plugin.Activate (plugload polls every 0.2 ms), idle RSS right then, and SIGTERM ->
#              exit, over BENCH_STARTS cold starts per subject (default 11), alternated; LocalVolume over an empty data
#              root (its first start) and LocalVolume-restart over the state its previous run left (every later start);
#              InMemoryVolume-static and LocalVolume-static-restart: the same samples published with the opt-in
#              PluginStaticExecutable (docs/msbuild.md, "A static executable").
#   footprint  binary size, compressed plugin layer (the blob `dotnet publish -t:PluginPush` uploads, pushed here to a
#              loopback docker-registry), peak RSS (VmHWM) under the 8-client load; for every sample, the two static
#              builds and a fresh `dotnet new dockervolume` packed from this repository.
#
# Usage: eng/bench.sh [rounds=3] [seconds=5]      (rounds=0: start-up and footprint only; eng/bench-startup.sh)
#   BENCH_STARTS=N         cold starts per subject (default 11)
#   BENCH_CONCURRENCY="…"  concurrency levels (default "1 8 64")
#   BENCH_OUT=DIR          where results.tsv and summary.md go (default artifacts/bench/<UTC time>)
#   BENCH_KEEP=1           keep the work folder (published plugins, registry, run folders) for a look afterwards
#   BENCH_WORK=DIR         use (and keep) this work folder; subjects already published there are not published again,
#                          so the measurements can be repeated without the NativeAOT publishes
#   BENCH_FOOTPRINT_EXTRAS=0  skip TmpfsVolume and the fresh template (start-up, RSS and sizes of the load subjects only)
# Needs: dotnet and python3; installs go (apt-get) and what eng/install-prereqs.sh installs when they are missing.
set -euo pipefail

ROUNDS="${1:-3}"
SECONDS_PER_RUN="${2:-5}"
STARTS="${BENCH_STARTS:-11}"
CONCURRENCY="${BENCH_CONCURRENCY:-1 8 64}"
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${BENCH_OUT:-$REPO_ROOT/artifacts/bench/$(date -u +%Y%m%dT%H%M%SZ)}"
# On disk, not a tmpfs: LocalVolume's lifecycle fsyncs, and a tmpfs would make that free.
if [[ -n "${BENCH_WORK:-}" ]]; then
  WORK="$BENCH_WORK"; BENCH_KEEP=1; mkdir -p "$WORK"
else
  WORK="$(mktemp -d /var/tmp/mooring-bench.XXXXXX)"
fi
TMPFS_DATA="$(mktemp -d /dev/shm/mooring-bench.XXXXXX)"
EXT4_DATA=""
SUFFIX="bench.$(date -u +%Y%m%d%H%M%S)"
VERSION="0.1.0-$SUFFIX"
REGISTRY_PID=""
NUGET_CACHE="${NUGET_PACKAGES:-$HOME/.nuget/packages}"

cleanup() {
  if [[ -n "$REGISTRY_PID" ]]; then kill "$REGISTRY_PID" 2>/dev/null || true; fi
  rm -rf "$TMPFS_DATA"
  if [[ -n "$EXT4_DATA" ]]; then umount "$EXT4_DATA" 2>/dev/null || true; rm -rf "$EXT4_DATA" "$WORK/ext4.img"; fi
  if [[ "${BENCH_KEEP:-}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  for package in mooring mooring.sdk mooring.templates; do rm -rf "${NUGET_CACHE:?}/$package/$VERSION"; done
}
trap cleanup EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1
export DOCKER_CONFIG="$WORK/docker-config"   # no docker login leaks into the push
mkdir -p "$DOCKER_CONFIG" "$OUT" "$WORK/bin"
unset SOURCE_DATE_EPOCH MOORING_REGISTRY_USERNAME MOORING_REGISTRY_PASSWORD
log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

# What a fresh machine lacks (docker-registry for the layer sizes, strace, compilers): idempotent, quick when present.
bash "$REPO_ROOT/eng/install-prereqs.sh" >&2

# --- yardsticks (bench/README.md) -------------------------------------------------------------------------------------
if ! command -v go >/dev/null; then
  log "installing golang-go (Go 1.19) ..."
  # A fresh machine has no package lists yet: install fails with "Unable to locate package" without the update.
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go >&2
fi
export GOCACHE="$WORK/gocache" GOPROXY=off GOFLAGS=-mod=vendor CGO_ENABLED=0
log "building plugload, ceiling, goanchor ($(go version | cut -d' ' -f3)) ..."
(cd "$REPO_ROOT/bench/plugload" && GOFLAGS= go build -o "$WORK/bin/plugload" .)
(cd "$REPO_ROOT/bench/ceiling" && GOFLAGS= go build -o "$WORK/bin/ceiling" .)
(cd "$REPO_ROOT/bench/goanchor" && go build -tags nosystemd -o "$WORK/bin/goanchor" .)

# --- subjects: published as users publish them, pushed to a loopback registry for the layer size ------------------------
# shellcheck source=eng/lib/registry.sh
source "$REPO_ROOT/eng/lib/registry.sh"
# shellcheck source=eng/lib/variants.sh
source "$REPO_ROOT/eng/lib/variants.sh"
start_loopback_registry "$WORK"

# publish NAME CSPROJ [MSBUILD_ARGUMENT...]: NativeAOT publish + PluginPush; leaves the plugin directory in
# $WORK/plugin/NAME and the push summary (its layerSize) in $WORK/push-NAME.json.
publish() {
  local name="$1" project="$2"; shift 2
  if [[ -f "$WORK/plugin/$name/config.json" && -n "${BENCH_WORK:-}" ]]; then log "$name: already published in $WORK"; return; fi
  log "publishing $name (NativeAOT, -t:PluginPush to $REGISTRY) ..."
  dotnet publish "$project" -c Release -t:PluginPush -nologo -v:q \
    "-p:ArtifactsPath=$WORK/artifacts" "-p:PluginDirectory=$WORK/plugin/$name/" \
    "-p:PluginRegistry=$REGISTRY" "-p:PluginRepository=bench/${name,,}" "-p:PluginPushSummaryFile=$WORK/push-$name.json" "$@" >&2
}
# NAME-static: the sample again with the opt-in PluginStaticExecutable (docs/msbuild.md, "A static executable"). The
# native compile is the sample's own, reused; it links into a folder of its own, so the default binary stays as it was.
publish_static() { # SAMPLE
  variant_properties static "$WORK/native-static/$1/"
  publish "$1-static" "$REPO_ROOT/samples/$1/$1.csproj" "${VARIANT_PROPERTIES[@]}"
}

publish InMemoryVolume "$REPO_ROOT/samples/InMemoryVolume/InMemoryVolume.csproj"
publish LocalVolume "$REPO_ROOT/samples/LocalVolume/LocalVolume.csproj"
publish_static InMemoryVolume
publish_static LocalVolume
binary() { # NAME -> the executable in the plugin's rootfs
  python3 -c 'import json,sys; print(sys.argv[2] + "/rootfs" + json.load(open(sys.argv[1]))["entrypoint"][0])' \
    "$WORK/plugin/$1/config.json" "$WORK/plugin/$1"
}
layer_size() { # NAME -> the size of the compressed layer blob its push uploaded
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layerSize"])' "$WORK/push-$1.json"
}

# --- runs ------------------------------------------------------------------------------------------------------------
RESULTS="$OUT/results.tsv"
printf 'kind\tround\tsubject\tscenario\tc\tline\n' > "$RESULTS"
command_of() { # SUBJECT SOCKET DATA
  case "$1" in
    goanchor) echo "$WORK/bin/goanchor --socket $2 --data-root $3" ;;
    goanchor-dirs) echo "$WORK/bin/goanchor --dirs --socket $2 --data-root $3" ;;
    ceiling) echo "$WORK/bin/ceiling $2" ;;
    InMemoryVolume-tmpfs|InMemoryVolume-ext4) echo "$(binary InMemoryVolume) --socket $2 --data-root $3" ;;
    *-restart) echo "$(binary "${1%-restart}") --socket $2 --data-root $3" ;;
    *) echo "$(binary "$1") --socket $2 --data-root $3" ;;
  esac
}
run() { # KIND ROUND SUBJECT SCENARIO C DURATION
  local dir="$WORK/run/$3" data="$WORK/run/$3/data"
  [[ "$3" == *-tmpfs ]] && data="$TMPFS_DATA/$3"
  [[ "$3" == *-ext4 ]] && data="$EXT4_DATA/$3"
  rm -rf "$dir"
  # A -restart subject keeps its data root from one run to the next: it starts over the state its last run left.
  if [[ "$3" == *-restart ]]; then data="$WORK/state/$3"; else rm -rf "$data"; fi
  mkdir -p "$dir" "$data"
  local line
  line="$("$WORK/bin/plugload" -exec "$(command_of "$3" "$dir/p.sock" "$data")" -sock "$dir/p.sock" -c "$5" -d "$6" -scenario "$4" 2>&1 | tail -1)" || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$line" >> "$RESULTS"
  echo "$1 r$2 $3 $4 c=$5: $line" >&2
}
rotate() { # ROUND WORDS... -> the words rotated by ROUND, so no subject always runs first
  local n=$1; shift; local a=("$@"); local k=$(( n % ${#a[@]} ))
  echo "${a[@]:k}" "${a[@]:0:k}"
}

# InMemoryVolume-tmpfs is InMemoryVolume again with its data root on a tmpfs. Its Mount makes, and its Remove deletes, a
# real directory (dockerd bind-mounts it); goanchor does neither. On this kind of machine's ext4 a mkdir + rmdir costs
# ~190 us against ~20 us on tmpfs (docs/benchmarks.md), so the pair tells the SDK's cost from the filesystem's.
# goanchor-dirs is the other side of that: the Go yardstick doing the same directory work (lifecycle runs only; Get
# touches no directory).
LOAD_SUBJECTS=(goanchor goanchor-dirs ceiling InMemoryVolume InMemoryVolume-tmpfs LocalVolume)
# InMemoryVolume-ext4 is InMemoryVolume again with its data root on an ext4 mounted with its defaults. The work folder's
# file system may be mounted with online discard (this machine's root is: `discard` in /proc/mounts), and there every
# rmdir waits for the device to discard the directory's freed block (perf: blkdev_issue_discard under ext4_evict_inode
# from do_rmdir): a mkdir + rmdir took ~65 us there in session 23 against ~18 us on an ext4 mounted with its defaults and
# ~7 us on tmpfs. ext4's default, and distributions' (which trim on a timer with fstrim instead), is no online discard
# (docs/benchmarks.md, "The lifecycle on ext4 and online discard"). Lifecycle runs only: a Get touches no directory.
if [[ "$ROUNDS" != 0 ]]; then
  mkdir -p "$WORK/ext4"
  if truncate -s 1G "$WORK/ext4.img" && mkfs.ext4 -q -F "$WORK/ext4.img" >&2 && mount -o loop "$WORK/ext4.img" "$WORK/ext4" >&2; then
    EXT4_DATA="$WORK/ext4"
    LOAD_SUBJECTS+=(InMemoryVolume-ext4)
    log "InMemoryVolume-ext4 on $(grep " $EXT4_DATA " /proc/mounts | cut -d' ' -f1,3,4)"
  else
    rm -rf "$WORK/ext4" "$WORK/ext4.img"
    log "InMemoryVolume-ext4 skipped: could not mount an ext4 image (root and a loop device are needed)"
  fi
fi
# LocalVolume starts over an empty data root, creating its state directories and log and fsyncing them, as a plugin
# does once after `docker plugin install`; LocalVolume-restart starts over the state its previous run left (the volume
# `shared`, its log and mount counts), as it does at every later enable, dockerd restart or upgrade.
# The -static subjects are the opt-in static executables (start-up, idle RSS and sizes only: their throughput is the
# default build's, docs/footprint.md).
START_SUBJECTS=(goanchor ceiling InMemoryVolume InMemoryVolume-static LocalVolume LocalVolume-restart LocalVolume-static-restart)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
starts() { # SUBJECTS...: STARTS cold starts of each, alternated
  log "start-up: $STARTS cold starts of each of $*, alternated ..."
  local subject
  for subject in "$@"; do
    # An uncounted first run leaves the state a -restart subject starts over.
    [[ "$subject" != *-restart ]] || run seed 0 "$subject" get 1 1ms
  done
  for ((i = 1; i <= STARTS; i++)); do
    START_ROUND=$((START_ROUND + 1))   # numbered across calls: summarize.py pairs starts of one round with Go's
    for subject in $(rotate "$i" "$@"); do run start "$START_ROUND" "$subject" get 1 1ms; done
  done
}
START_ROUND=0
starts "${START_SUBJECTS[@]}"
for ((r = 1; r <= ROUNDS; r++)); do
  log "round $r of $ROUNDS (load average $(cut -d' ' -f1-3 /proc/loadavg)) ..."
  for scenario in get lifecycle; do
    for c in $CONCURRENCY; do
      for subject in $(rotate "$r" "${LOAD_SUBJECTS[@]}"); do
        [[ "$subject" =~ ^(goanchor-dirs|InMemoryVolume-ext4)$ && "$scenario" != lifecycle ]] || run load "$r" "$subject" "$scenario" "$c" "${SECONDS_PER_RUN}s"
      done
    done
  done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# The footprint-only subjects are published after the load runs, so that their builds never compete with a measurement.
EXTRAS=()
if [[ "${BENCH_FOOTPRINT_EXTRAS:-1}" != 0 ]]; then
  publish TmpfsVolume "$REPO_ROOT/samples/TmpfsVolume/TmpfsVolume.csproj"

  # A fresh `dotnet new dockervolume`, from packages packed out of this repository (as tests/Mooring.Templates.Tests does).
  log "packing Mooring $VERSION and instantiating dockervolume ..."
  for project in sdk/Mooring/Mooring.csproj sdk/Mooring.Sdk/Mooring.Sdk.csproj templates/Mooring.Templates/Mooring.Templates.csproj; do
    ArtifactsPath="$WORK/pack-artifacts" dotnet pack "$REPO_ROOT/$project" -c Release -o "$WORK/feed" "-p:VersionSuffix=$SUFFIX" -v:q -nologo >&2
  done
  mkdir -p "$WORK/template"
  cat > "$WORK/template/nuget.config" <<EOF
<configuration><packageSources><clear />
  <add key="bench" value="$WORK/feed" />
  <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
</packageSources></configuration>
EOF
  dotnet new install "$WORK/feed/Mooring.Templates.$VERSION.nupkg" --debug:custom-hive "$WORK/hive" >&2
  (cd "$WORK/template" && dotnet new dockervolume -n BenchPlugin -o BenchPlugin --debug:custom-hive "$WORK/hive" >&2)
  publish Template "$WORK/template/BenchPlugin/src/BenchPlugin/BenchPlugin.csproj"
  EXTRAS=(TmpfsVolume Template)
  starts LocalVolume "${EXTRAS[@]}"   # LocalVolume again: a reference measured under the same conditions
fi

# --- sizes and summary -----------------------------------------------------------------------------------------------
SIZES="$OUT/sizes.tsv"
printf 'subject\tbinary_bytes\tlayer_bytes\n' > "$SIZES"
printf 'goanchor\t%s\t\n' "$(stat -c %s "$WORK/bin/goanchor")" >> "$SIZES"
printf 'ceiling\t%s\t\n' "$(stat -c %s "$WORK/bin/ceiling")" >> "$SIZES"
for subject in InMemoryVolume InMemoryVolume-static LocalVolume LocalVolume-static "${EXTRAS[@]}"; do
  printf '%s\t%s\t%s\n' "$subject" "$(stat -c %s "$(binary "$subject")")" "$(layer_size "$subject")" >> "$SIZES"
done
{
  echo "machine: $(nproc) cores, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -m | awk '/Mem:/ {print $2}') MiB RAM"
  echo "dotnet $(dotnet --version), $(go version | cut -d' ' -f3); load average before $LOAD_BEFORE, after $LOAD_AFTER"
  # The data roots' file system: its mount options (online discard above all) decide what a lifecycle's rmdir costs.
  echo "data roots on $(findmnt -no SOURCE,FSTYPE,OPTIONS -T "$WORK" | tr -s ' ')${EXT4_DATA:+; InMemoryVolume-ext4 on $(findmnt -no SOURCE,FSTYPE,OPTIONS -T "$EXT4_DATA" | tr -s ' ')}"
  if [[ "$ROUNDS" == 0 ]]; then
    echo "command: eng/bench.sh 0 (start-up and footprint only, as eng/bench-startup.sh runs it; BENCH_STARTS=$STARTS); commit $(git -C "$REPO_ROOT" rev-parse --short HEAD)"
  else
    echo "command: eng/bench.sh $ROUNDS $SECONDS_PER_RUN (BENCH_STARTS=$STARTS, concurrency $CONCURRENCY); commit $(git -C "$REPO_ROOT" rev-parse --short HEAD)"
  fi
} > "$OUT/machine.txt"
python3 "$REPO_ROOT/bench/summarize.py" "$RESULTS" "$SIZES" "$OUT/machine.txt" | tee "$OUT/summary.md"
log "results in $OUT"
