#!/bin/bash
# LocalVolume durable lifecycle: the build at issue 11's filing (5690d95), the build before the state log (d5ed7fd)
# and the current one, alternated per round, data root on ext4 (/var/tmp).
# Each binary is `dotnet publish samples/LocalVolume/LocalVolume.csproj -c Release -r linux-x64 -o /tmp/<subject>-lv`
# at its commit; plugload is bench/plugload.
# usage: ab.sh OUT ROUNDS CLIENTS...
out=$1; rounds=$2; shift 2
mkdir -p /var/tmp/abl
for r in $(seq 1 "$rounds"); do
  for c in "$@"; do
    for subj in file old new; do
      d=$(mktemp -d /var/tmp/abl/x.XXXX)
      line=$(/tmp/plugload -exec "/tmp/$subj-lv/LocalVolume --socket $d/p.sock --data-root $d/data" -sock "$d/p.sock" \
        -c "$c" -d 5s -scenario lifecycle 2>&1 | tail -1)
      echo "round=$r c=$c subject=$subj $line" | tee -a "$out"
      rm -rf "$d"
    done
  done
done
