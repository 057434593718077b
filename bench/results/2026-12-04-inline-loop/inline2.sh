#!/bin/bash
PL=/tmp/bs1/work/bin/plugload
declare -A B=([threads64]=/tmp/bs1/work/plugin/InMemoryVolume/rootfs/app/InMemoryVolume [inline0]=/tmp/mct0/InMemoryVolume [inline2]=/tmp/mct0/InMemoryVolume)
for r in 1 2; do
 for C in 8; do
 for sc in get lifecycle; do
  for s in threads64 inline0 inline2; do
   d=$(mktemp -d /var/tmp/tp.XXXX); mkdir -p $d/data
   if [ $s != threads64 ]; then export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1; [ $s = inline2 ] && export DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=2 || unset DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT; else unset DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS; fi
   line=$($PL -exec "${B[$s]} --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c $C -d 5s -scenario $sc 2>&1 | tail -1)
   echo "r$r c$C $sc $s $line"; rm -rf $d
  done
 done
 done
done
