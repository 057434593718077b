#!/bin/bash
# Alternated plugload runs: threads64 (the default build: a thread per connection), inline0 (the threads0 build of
# bench/results/2026-12-04-connection-threads/, every connection on System.Net.Sockets, run with inline completions),
# inline2 (the same with two socket engines), goanchor (Go's yardstick). The runs of this record:
#   ext4-c8-c64.txt:          bash inline.sh
#   ext4-c8-two-engines.txt:  CLIENTS=8 SUBJECTS="threads64 inline0 inline2" bash inline.sh
#   tmpfs-c8-lifecycle.txt:   PARENT=/dev/shm/s21 CLIENTS=8 SCENARIOS=lifecycle bash inline.sh
PL=/tmp/bs1/work/bin/plugload
declare -A B=([threads64]=/tmp/bs1/work/plugin/InMemoryVolume/rootfs/app/InMemoryVolume [inline0]=/tmp/mct0/InMemoryVolume
  [inline2]=/tmp/mct0/InMemoryVolume [goanchor]=/tmp/bs1/work/bin/goanchor)
PARENT=${PARENT:-/var/tmp}; mkdir -p "$PARENT"
for r in 1 2; do
 for C in ${CLIENTS:-8 64}; do
 for sc in ${SCENARIOS:-get lifecycle}; do
  for s in ${SUBJECTS:-threads64 inline0 goanchor}; do
   d=$(mktemp -d "$PARENT/tp.XXXX"); mkdir -p $d/data
   env=()
   case $s in
     inline0) env=(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1) ;;
     inline2) env=(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=2) ;;
   esac
   line=$(env "${env[@]}" $PL -exec "${B[$s]} --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c $C -d 5s -scenario $sc 2>&1 | tail -1)
   echo "r$r c$C $sc $s $line"; rm -rf $d
  done
 done
 done
done
