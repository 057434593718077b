#!/bin/bash
# LocalVolume durable lifecycle, subjects alternated per round, data root on ext4 (/var/tmp); each subject is
# `dotnet publish samples/LocalVolume/LocalVolume.csproj -c Release -r linux-x64 -o /tmp/<subject>-lv` at its commit.
# usage: ab.sh OUT ROUNDS CLIENTS SUBJECT...   (subjects are /tmp/<s>-lv/LocalVolume; "s:ENV=V" sets an env var)
out=$1; rounds=$2; c=$3; shift 3
for r in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    subj=${spec%%:*}; envs=""; [ "$spec" != "$subj" ] && envs=${spec#*:}
    d=$(mktemp -d /var/tmp/abl/x.XXXX)
    line=$(env $envs /tmp/plugload -exec "/tmp/$subj-lv/LocalVolume --socket $d/p.sock --data-root $d/data" -sock "$d/p.sock" \
      -c "$c" -d 5s -scenario lifecycle 2>&1 | tail -1)
    echo "round=$r c=$c subject=$spec $line" | tee -a "$out"
    rm -rf "$d"
  done
done
