#!/bin/bash
# A/B: old (d5ed7fd) vs new LocalVolume, lifecycle, data root on ext4 /var/tmp
out=$1; rounds=$2; shift 2
for r in $(seq 1 $rounds); do
  for c in "$@"; do
    for subj in old new; do
      d=$(mktemp -d /var/tmp/abl/x.XXXX)
      line=$(/tmp/plugload -exec "/tmp/$subj-lv/LocalVolume --socket $d/p.sock --data-root $d/data" -sock $d/p.sock -c $c -d 5s -scenario lifecycle 2>&1 | tail -1)
      echo "round=$r c=$c subject=$subj $line" | tee -a $out
      rm -rf $d
    done
  done
done
