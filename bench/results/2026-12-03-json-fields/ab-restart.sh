# ab-restart.sh N subj... : N alternated restarts of each subject over its own data root (state kept between runs)
N=$1; shift
out=/tmp/st/ab-restart.$$.txt; : > $out
for b in "$@"; do n=$(echo $b | tr / _); rm -rf /var/tmp/abr/$n; mkdir -p /var/tmp/abr/$n/d; done
for i in $(seq 0 $N); do
  for b in "$@"; do
    n=$(echo $b | tr / _); dir=/var/tmp/abr/$n; rm -f $dir/s.sock $dir/s.ctl.sock
    line=$(/tmp/plugload -exec "$b --socket $dir/s.sock --data-root $dir/d" -sock $dir/s.sock -c 1 -d 1ms -scenario get 2>&1 | tail -1)
    [ $i -gt 0 ] && echo "$b $(echo "$line" | grep -o 'startup=[^ ]*') $(echo "$line" | grep -o 'idle_rss_kb=[0-9]*')" >> $out
  done
done
python3 - $out <<'PY'
import sys,collections,statistics,re
d=collections.defaultdict(lambda:([],[]))
for l in open(sys.argv[1]):
  p=l.split()
  if len(p)<3: continue
  s=p[1].split("=")[1]; m=re.match(r"([\d.]+)(\D+)",s); v=float(m.group(1))*{"ms":1,"µs":0.001,"s":1000}[m.group(2)]
  d[p[0]][0].append(v); d[p[0]][1].append(int(p[2].split("=")[1]))
for n,(s,r) in d.items(): print("%-40s start %.2f ms (%.2f-%.2f)  idle rss %d KiB  n=%d"%(n,statistics.median(s),min(s),max(s),statistics.median(r),len(s)))
PY
echo $out
