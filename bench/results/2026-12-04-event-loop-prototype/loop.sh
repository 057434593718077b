#!/bin/bash
# threads64: the prototype binary without MOORING_LOOP_THREADS (the default server); loopN: the same binary with an
# event loop of N threads (MOORING_LOOP_EVENTS events per epoll_wait, default 1); goanchor: Go's yardstick.
PL=/tmp/bs1/work/bin/plugload
BIN=${BIN:-/tmp/s21/loop/InMemoryVolume}
PARENT=${PARENT:-/var/tmp}; mkdir -p "$PARENT"
for r in $(seq 1 ${ROUNDS:-2}); do
 for C in ${CLIENTS:-8 64}; do
 for sc in ${SCENARIOS:-get lifecycle}; do
  for s in ${SUBJECTS:-threads64 loop1 loop2 loop4 goanchor}; do
   d=$(mktemp -d "$PARENT/tp.XXXX"); mkdir -p $d/data
   env=(); cmd="$BIN"
   case $s in
     loop*) env=(MOORING_LOOP_THREADS=${s#loop}) ;;
     goanchor) cmd=/tmp/bs1/work/bin/goanchor ;;
   esac
   line=$(env "${env[@]}" $PL -exec "$cmd --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c $C -d 5s -scenario $sc 2>&1 | tail -1)
   echo "r$r c$C $sc $s $line"; rm -rf $d
  done
 done
 done
done
