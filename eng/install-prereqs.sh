#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for Mooring's build and tests. Idempotent; needs root for apt.
set -euo pipefail

need=()
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET SDK (dotnet, 10.0.4xx) is required; see https://dot.net" >&2; exit 1; }
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
# Mooring.State.Tests traces state writes to prove their fsync order (FsyncOrderTests).
command -v strace >/dev/null 2>&1 || need+=(strace)
# NativeAOT links with clang or, failing that, gcc; zlib is not needed (invariant globalization, no compression in the host).
command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1 || need+=(gcc)
# Cross-compiling to linux-arm64 (CrossArchitecture* tests, PluginRuntimeIdentifiers): NativeAOT links with clang and lld
# against the arm64 libc of libc6-dev-arm64-cross; the rootfs takes ld-linux-aarch64.so.1 and libc.so.6 from
# /usr/aarch64-linux-gnu/lib; qemu-user-static runs the arm64 binary on this machine.
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v ld.lld >/dev/null 2>&1 || need+=(lld)
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu)
[ -e /usr/aarch64-linux-gnu/lib/libc.so ] || need+=(libc6-dev-arm64-cross)
command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)

if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The docker.io package may start a system daemon; tests use private daemons and don't need it.
echo "prerequisites ready"
