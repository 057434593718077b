PL=/tmp/bs1/work/bin/plugload
declare -A B=([threads]=/tmp/bs1/work/plugin/InMemoryVolume/rootfs/app/InMemoryVolume [loop]=/tmp/s21/loopv2/InMemoryVolume [loop-armfirst]=/tmp/s21/loopv3/InMemoryVolume [goanchor]=/tmp/bs1/work/bin/goanchor)
for r in 1 2 3; do for sc in ${SCENARIOS:-lifecycle get}; do for s in threads loop loop-armfirst goanchor; do
 d=$(mktemp -d /var/tmp/tp.XXXX); mkdir -p $d/data
 line=$($PL -exec "${B[$s]} --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c ${C:-8} -d 5s -scenario $sc 2>&1 | tail -1)
 echo "r$r c${C:-8} $sc $s $line"; rm -rf $d
done; done; done
