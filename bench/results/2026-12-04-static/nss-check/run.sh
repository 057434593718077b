#!/bin/bash
# Name services in a statically and a dynamically linked glibc program, each in a chroot holding only itself (and, for
# the dynamic one, libc.so.6 and the loader: what a Mooring plugin's rootfs carries). Needs root (chroot, port 53).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $dns 2>/dev/null || true; rm -rf "$work"' EXIT
gcc -static-pie -O2 -o "$work/nss-static" "$here/nss.c" 2>/dev/null   # GNU ld warns about getaddrinfo/getpwnam/getpwuid
gcc -O2 -o "$work/nss-dynamic" "$here/nss.c"
python3 "$here/dns.py" & dns=$!   # answers every A query with 10.9.8.7
sleep 0.5
for kind in static dynamic; do
  root="$work/root-$kind"; mkdir -p "$root/etc"; cp "$work/nss-$kind" "$root/nss"
  if [ $kind = dynamic ]; then
    mkdir -p "$root/lib/x86_64-linux-gnu" "$root/lib64"
    cp /lib/x86_64-linux-gnu/libc.so.6 "$root/lib/x86_64-linux-gnu/"; cp /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
  fi
  echo "== $kind, no /etc files"; chroot "$root" /nss localhost backend.example
  printf '127.0.0.1 localhost\n10.1.2.3 backend.example\n' > "$root/etc/hosts"
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'nameserver 127.0.0.1' > "$root/etc/resolv.conf"
  echo "== $kind, /etc/hosts, /etc/passwd, /etc/resolv.conf"; chroot "$root" /nss localhost backend.example dns-only.example
  printf 'hosts: files mdns4_minimal [NOTFOUND=return] dns myhostname\npasswd: files systemd sss\n' > "$root/etc/nsswitch.conf"
  echo "== $kind, and an nsswitch.conf naming modules the rootfs lacks"; chroot "$root" /nss localhost backend.example dns-only.example
done
