#!/bin/bash
# threads8: InMemoryVolume published with HttpServerLimits.MaxConnectionThreads = 8; the pool run replaced it with
# threads0 (= 0, /tmp/mct0). C=64 (default) or C=8 sets the client count.
PL=/tmp/bs1/work/bin/plugload
declare -A B=([threads64]=/tmp/bs1/work/plugin/InMemoryVolume/rootfs/app/InMemoryVolume [threads8]=/tmp/mct8/InMemoryVolume [goanchor]=/tmp/bs1/work/bin/goanchor)
C=${C:-64}
for r in 1 2 3; do
 for sc in get lifecycle; do
  for s in threads64 threads8 goanchor; do
   d=$(mktemp -d /var/tmp/tp.XXXX); mkdir -p $d/data
   line=$($PL -exec "${B[$s]} --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c $C -d 5s -scenario $sc 2>&1 | tail -1)
   echo "r$r $sc $s $line"; rm -rf $d
  done
 done
done
