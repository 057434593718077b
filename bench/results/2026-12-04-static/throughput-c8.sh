#!/bin/bash
# quick alternated Get/lifecycle throughput: default vs static InMemoryVolume
PL=${PLUGLOAD:-/tmp/bs1/work/bin/plugload}
declare -A B=([default]=/tmp/bs1/work/plugin/InMemoryVolume/rootfs/app/InMemoryVolume [static]=/tmp/st6/publish/InMemoryVolume [goanchor]=/tmp/bs1/work/bin/goanchor)
for r in 1 2 3; do
 for sc in get lifecycle; do
  for s in default static goanchor; do
   d=$(mktemp -d /var/tmp/tp.XXXX); mkdir -p $d/data
   line=$($PL -exec "${B[$s]} --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c 8 -d 5s -scenario $sc 2>&1 | tail -1)
   echo "r$r $sc $s $line"; rm -rf $d
  done
 done
done
