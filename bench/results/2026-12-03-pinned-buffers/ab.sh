#!/bin/bash
# ab.sh SCEN ROUNDS name=binary...
scen=$1; rounds=$2; shift 2
for r in $(seq 1 $rounds); do
  for pair in "$@"; do
    n=${pair%%=*}; b=${pair#*=}
    rm -rf /tmp/pk/d /tmp/pk/p.sock; mkdir -p /tmp/pk/d
    echo -n "$r $n "
    /tmp/plugload -exec "$b --socket /tmp/pk/p.sock --data-root /tmp/pk/d" -sock /tmp/pk/p.sock -c 8 -d 5s -scenario $scen 2>&1 | tail -1 | grep -oE "ops/s=[0-9]+|p99=[0-9.]+ms|idle_rss_kb=[0-9]+|peak_rss_kb=[0-9]+" | tr '\n' ' '; echo
  done
done
