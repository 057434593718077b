#!/usr/bin/env bash
# Measures the published LocalVolume sample as dockerd sees it: binary size, time from exec to the first answered
# request (Capabilities, as dockerd sends first), idle RSS after one Create+Mount, and time from SIGTERM to exit.
# Prints one line per run and the medians; docs/benchmarks.md holds numbers from the reference machine.
# Usage: eng/bench-startup.sh [runs=15]
set -euo pipefail

RUNS="${1:-15}"
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/mooring-bench-startup.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "publishing samples/LocalVolume (NativeAOT, Release) ..."
dotnet publish "$REPO_ROOT/samples/LocalVolume/LocalVolume.csproj" -c Release -o "$WORK/publish" \
  -p:ArtifactsPath="$WORK/artifacts" -nologo -v quiet >/dev/null
BIN="$WORK/publish/LocalVolume"
SIZE=$(stat -c %s "$BIN")

now_ns() { date +%s%N; }
call() { curl -s --max-time 5 --unix-socket "$1" -X POST "http://plugin$2" -d "$3"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

: > "$WORK/start"; : > "$WORK/rss"; : > "$WORK/stop"
for ((i = 1; i <= RUNS; i++)); do
  sock="$WORK/run$i/p.sock"; data="$WORK/run$i/data"
  mkdir -p "$WORK/run$i"
  t0=$(now_ns)
  "$BIN" --socket "$sock" --data-root "$data" >/dev/null 2>&1 &
  PID=$!
  until call "$sock" /VolumeDriver.Capabilities '{}' 2>/dev/null | grep -q Scope; do :; done
  t1=$(now_ns)
  call "$sock" /VolumeDriver.Create '{"Name":"v"}' >/dev/null
  call "$sock" /VolumeDriver.Mount '{"Name":"v","ID":"1"}' >/dev/null
  sleep 0.5
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
  t2=$(now_ns)
  kill -TERM "$PID"; wait "$PID" || true; PID=""
  t3=$(now_ns)
  start_ms=$(( (t1 - t0) / 1000000 )); stop_ms=$(( (t3 - t2) / 1000000 ))
  echo "$start_ms" >> "$WORK/start"; echo "$rss" >> "$WORK/rss"; echo "$stop_ms" >> "$WORK/stop"
  printf 'run %2d: first answer %4d ms, idle RSS %6d KiB, SIGTERM to exit %4d ms\n' "$i" "$start_ms" "$rss" "$stop_ms"
done

printf '\nbinary %.1f MB; medians over %d runs: first answer %s ms, idle RSS %s KiB, SIGTERM to exit %s ms\n' \
  "$(echo "$SIZE / 1000000" | bc -l)" "$RUNS" "$(median < "$WORK/start")" "$(median < "$WORK/rss")" "$(median < "$WORK/stop")"
