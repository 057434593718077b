#!/bin/bash
PL=/tmp/bs1/work/bin/plugload
declare -A B=([threads64]=/tmp/bs1/work/plugin/InMemoryVolume/rootfs/app/InMemoryVolume [inline0]=/tmp/mct0/InMemoryVolume [goanchor]=/tmp/bs1/work/bin/goanchor)
for r in 1 2; do
 for C in 8 64; do
 for sc in get lifecycle; do
  for s in threads64 inline0 goanchor; do
   d=$(mktemp -d /var/tmp/tp.XXXX); mkdir -p $d/data
   if [ $s = inline0 ]; then export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1; else unset DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS; fi
   line=$($PL -exec "${B[$s]} --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c $C -d 5s -scenario $sc 2>&1 | tail -1)
   echo "r$r c$C $sc $s $line"; rm -rf $d
  done
 done
 done
done
