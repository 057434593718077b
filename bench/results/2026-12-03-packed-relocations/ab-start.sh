# ab-start.sh N subj... : N alternated cold starts of each subject (paths to binaries; "goanchor" for Go); prints medians
N=$1; shift
out=/tmp/st/ab-start.$$.txt; : > $out
for i in $(seq $N); do
  for b in "$@"; do
    cd /tmp/st; rm -rf d s.sock s.ctl.sock; mkdir d
    line=$(/tmp/plugload -exec "$b --socket /tmp/st/s.sock --data-root /tmp/st/d" -sock /tmp/st/s.sock -c 1 -d 1ms -scenario get 2>&1 | tail -1)
    echo "$b $(echo "$line" | grep -o 'startup=[^ ]*') $(echo "$line" | grep -o 'idle_rss_kb=[0-9]*')" >> $out
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
for n,(s,r) in d.items(): print("%-40s start %.2f ms (%.2f-%.2f)  idle rss %d KiB (%d-%d)  n=%d"%(n,statistics.median(s),min(s),max(s),statistics.median(r),min(r),max(r),len(s)))
PY
