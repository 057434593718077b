#!/usr/bin/env bash
# Start-up A/B: N alternated cold starts of each subject, the way eng/bench.sh measures its own (bench/plugload execs
# the command and polls /Plugin.Activate every 0.2 ms; idle RSS right after the first answer; SIGTERM -> exit), for
# builds eng/bench.sh does not make: the build before a change against the build after, an opt-in build setting.
# The subjects take turns, in an order rotated every round, so a noisy spell hits them alike; the table's ratios are
# taken start by start against goanchor when it is a subject, else against the first subject.
#
# Usage: bench/ab-start.sh [--restart] N LABEL=COMMAND...
#   COMMAND      the plugin's command line; --socket and --data-root are appended (goanchor takes both too)
#   --restart    each subject keeps its data root from one start to the next (an uncounted first start creates the
#                state it restarts over: the volume `shared`): a state-backed plugin's every start after its first
#   PLUGLOAD=P   a built bench/plugload (default: built here, which needs go)
#   AB_OUT=DIR   where results.tsv and summary.md go (default: a new folder under /tmp, printed at the end)
# Example: bench/ab-start.sh 31 before=/tmp/a/LocalVolume after=/tmp/b/LocalVolume goanchor=/tmp/goanchor
set -euo pipefail

RESTART=0
if [[ "${1:-}" == --restart ]]; then RESTART=1; shift; fi
if [[ $# -lt 2 || ! "$1" =~ ^[0-9]+$ ]]; then
  sed -n 's/^# \{0,1\}//; 2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2
fi
N="$1"; shift
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /var/tmp/mooring-ab-start.XXXXXX)"   # on disk: a state-backed plugin's fsyncs are part of its start
OUT="${AB_OUT:-$(mktemp -d /tmp/mooring-ab-start-out.XXXXXX)}"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

PLUGLOAD="${PLUGLOAD:-}"
if [[ -z "$PLUGLOAD" ]]; then
  PLUGLOAD="$WORK/plugload"
  (cd "$REPO_ROOT/bench/plugload" && GOFLAGS= GOPROXY=off CGO_ENABLED=0 GOCACHE="$WORK/gocache" go build -o "$PLUGLOAD" .)
fi

labels=(); declare -A commands
for subject in "$@"; do
  label="${subject%%=*}"
  if [[ "$label" == "$subject" || -z "$label" ]]; then echo "not LABEL=COMMAND: $subject" >&2; exit 2; fi
  labels+=("$label"); commands[$label]="${subject#*=}"
done

RESULTS="$OUT/results.tsv"
printf 'kind\tround\tsubject\tscenario\tc\tline\n' > "$RESULTS"
start() { # KIND ROUND LABEL
  local dir="$WORK/run/$3" data="$WORK/data/$3" line
  rm -rf "$dir"; [[ "$RESTART" == 1 ]] || rm -rf "$data"
  mkdir -p "$dir" "$data"
  line="$("$PLUGLOAD" -exec "${commands[$3]} --socket $dir/p.sock --data-root $data" -sock "$dir/p.sock" -c 1 -d 1ms -scenario get 2>&1 | tail -1)" || true
  printf '%s\t%s\t%s\tget\t1\t%s\n' "$1" "$2" "$3" "$line" >> "$RESULTS"
}
if [[ "$RESTART" == 1 ]]; then for label in "${labels[@]}"; do start seed 0 "$label"; done; fi
for ((i = 1; i <= N; i++)); do
  k=$(( (i - 1) % ${#labels[@]} ))   # round 1 in the order given: the first subject is the baseline without goanchor
  for label in "${labels[@]:k}" "${labels[@]:0:k}"; do start start "$i" "$label"; done
done

{
  echo "command: bench/ab-start.sh $([[ "$RESTART" == 1 ]] && echo '--restart ')$N $*"
  echo "machine: $(nproc) cores, $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; commit $(git -C "$REPO_ROOT" rev-parse --short HEAD)"
} > "$OUT/machine.txt"
printf 'subject\tbinary_bytes\tlayer_bytes\n' > "$OUT/sizes.tsv"
python3 "$REPO_ROOT/bench/summarize.py" "$RESULTS" "$OUT/sizes.tsv" "$OUT/machine.txt" | tee "$OUT/summary.md"
echo "results in $OUT" >&2
