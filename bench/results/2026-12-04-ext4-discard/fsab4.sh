#!/usr/bin/env bash
# fsab4.sh ROUNDS SECONDS CLIENTS: alternated lifecycle runs; SUBJECTS="label|command with SOCK and DATA placeholders|data root parent ..."
R=${1:-3}; S=${2:-5}; C=${3:-8}
for r in $(seq 1 $R); do
  for s in $SUBJECTS; do
    IFS='|' read -r label cmd root <<< "$s"
    rm -rf "$root"/lt; mkdir -p "$root"/lt; sock=/tmp/fsab.sock; rm -f $sock
    cmd=${cmd//SOCK/$sock}; cmd=${cmd//DATA/$root/lt}; cmd=${cmd//,/ }
    $cmd > /dev/null 2>&1 &
    pid=$!
    for i in $(seq 1 100); do [ -S $sock ] && break; sleep 0.02; done
    sleep 0.2
    out=$(/tmp/bs2/bin/plugload -sock $sock -c $C -d ${S}s -scenario lifecycle)
    kill $pid; wait $pid 2>/dev/null
    echo "r$r $label $(echo $out | grep -o 'ops/s=[0-9]*\|p50=[^ ]*\|p99=[^ ]*' | tr '\n' ' ')"
  done
  SUBJECTS="$(echo $SUBJECTS | awk '{for(i=2;i<=NF;i++) printf "%s ", $i; print $1}')"
done
