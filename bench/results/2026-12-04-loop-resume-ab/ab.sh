run() { B=$1; S=$2; d=$(mktemp -d /tmp/ab.XXXX); $B --socket $d/p.sock --data-root $d/data --no-management-socket > $d/out 2>&1 & pid=$!
for i in $(seq 1 100); do [ -S $d/p.sock ] && break; sleep 0.05; done
"$PLUGLOAD" -sock $d/p.sock -c 8 -d 5s -scenario $S 2>&1 | tail -1 | grep -o "ops/s=[0-9]* p50=[^ ]* p99=[^ ]*"
kill $pid; wait $pid 2>/dev/null; rm -rf $d; }
for r in 1 2 3 4 5; do
  for v in before:/tmp/pts/LocalVolume/publish/LocalVolume after:/tmp/pts2/LocalVolume/publish/LocalVolume; do
    for s in get lifecycle; do echo "r$r ${v%%:*} $s $(run ${v#*:} $s)"; done
  done
done
