#!/bin/bash
# A/B: main's server (a thread per connection: the binary eng/bench.sh published at 603453c, runtime code unchanged
# since) against the event loop (this branch), and Go's yardstick. SAMPLE=InMemoryVolume|LocalVolume.
PL=/tmp/bs1/work/bin/plugload
SAMPLE=${SAMPLE:-InMemoryVolume}
declare -A B=([threads]=/tmp/bs1/work/plugin/$SAMPLE/rootfs/app/$SAMPLE [loop]=${LOOPBIN:-/tmp/s21/loopv2/$SAMPLE} [goanchor]=/tmp/bs1/work/bin/goanchor)
PARENT=${PARENT:-/var/tmp}; mkdir -p "$PARENT"
for r in $(seq 1 ${ROUNDS:-2}); do
 for C in ${CLIENTS:-8 64}; do
 for sc in ${SCENARIOS:-get lifecycle}; do
  for s in ${SUBJECTS:-threads loop goanchor}; do
   d=$(mktemp -d "$PARENT/tp.XXXX"); mkdir -p $d/data
   line=$($PL -exec "${B[$s]} --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c $C -d 5s -scenario $sc 2>&1 | tail -1)
   echo "r$r c$C $sc $s $line"; rm -rf $d
  done
 done
 done
done
