#!/bin/bash
# starts.sh N out bin...: cold starts alternated, plugload get 1 client 1ms as eng/bench.sh does
n=$1; out=$2; shift 2
for i in $(seq 1 $n); do
  for b in "$@"; do
    d=$(mktemp -d /var/tmp/abl/st.XXXX)
    line=$(/tmp/plugload -exec "$b --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c 1 -d 1ms -scenario get 2>&1 | tail -1)
    echo "$b $line" >> $out; rm -rf $d
  done
done
