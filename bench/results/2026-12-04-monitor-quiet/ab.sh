#!/usr/bin/env bash
# Alternated A/B of two builds: ab2.sh ROUNDS C "label:binary ..." "scenario ..."
PLUGLOAD=${PLUGLOAD:-/tmp/bs2/bin/plugload}
run() { B=$1; S=$2; C=$3; d=$(mktemp -d /tmp/ab.XXXX); $B --socket $d/p.sock --data-root $d/data --no-management-socket > $d/out 2>&1 & pid=$!
for i in $(seq 1 100); do [ -S $d/p.sock ] && break; sleep 0.05; done
"$PLUGLOAD" -sock $d/p.sock -c $C -d 5s -scenario $S 2>&1 | tail -1 | grep -o "ops/s=[0-9]* p50=[^ ]* p99=[^ ]*"
kill $pid; wait $pid 2>/dev/null; rm -rf $d; }
R=$1; C=$2; VARIANTS=$3; SCEN=$4
for r in $(seq 1 $R); do
  for v in $VARIANTS; do
    for s in $SCEN; do echo "r$r ${v%%:*} $s c=$C $(run ${v#*:} $s $C)"; done
  done
  VARIANTS="$(echo $VARIANTS | awk '{for(i=2;i<=NF;i++) printf "%s ", $i; print $1}')"
done
