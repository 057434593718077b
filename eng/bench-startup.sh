#!/usr/bin/env bash
# Start-up and footprint, one command: eng/bench.sh without its load rounds. Alternated cold starts of the Go yardstick,
# the ceiling, samples/InMemoryVolume, samples/LocalVolume over an empty data root (its first start) and over the state
# its previous run left (LocalVolume-restart: every later start), and both samples built with the opt-in
# PluginStaticExecutable (InMemoryVolume-static, LocalVolume-static-restart); per start, exec -> first answered /Plugin.Activate,
# idle RSS and SIGTERM -> exit; binary and layer sizes. Ratios against Go are taken start by start (the subjects run
# one after the other in each round of starts). docs/benchmarks.md holds the method and measured numbers.
# Usage: eng/bench-startup.sh [starts=31]    (BENCH_FOOTPRINT_EXTRAS=1 adds TmpfsVolume and a fresh template)
set -euo pipefail
export BENCH_STARTS="${1:-31}" BENCH_FOOTPRINT_EXTRAS="${BENCH_FOOTPRINT_EXTRAS:-0}"
exec bash "$(dirname "$0")/bench.sh" 0
