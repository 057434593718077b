#!/usr/bin/env bash
# usage: fsab.sh rounds secs c  ; subjects via SUBJECTS="label|binary|extra|dataroot ..."
R=${1:-3}; S=${2:-5}; C=${3:-8}
for r in $(seq 1 $R); do
  for s in $SUBJECTS; do
    IFS='|' read -r label bin extra root <<< "$s"
    rm -rf "$root"/lt; mkdir -p "$root"/lt; sock=/tmp/fsab.sock; rm -f $sock
    $bin --socket $sock --data-root "$root"/lt $extra > /dev/null 2>&1 &
    pid=$!
    for i in $(seq 1 100); do [ -S $sock ] && break; sleep 0.02; done
    sleep 0.2
    out=$(/tmp/bs2/bin/plugload -sock $sock -c $C -d ${S}s -scenario lifecycle)
    kill $pid; wait $pid 2>/dev/null
    echo "r$r $label $(echo $out | grep -o 'ops/s=[0-9]*\|p50=[^ ]*\|p99=[^ ]*' | tr '\n' ' ')"
  done
done
