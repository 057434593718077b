#!/usr/bin/env bash
# docs/operations.md's downgrade, for real: samples/LocalVolume built from this tree and from an older commit (default
# 9e6ca4d^, the last SDK without the state log, which reads format-1 state files only), both pushed to a loopback
# registry, then in a private dockerd: volumes and a mounted container on this version, `ctl prepare-downgrade`,
# `docker plugin disable -f` + `upgrade` to the older version + `enable`, the older version using the volumes, and the
# upgrade back. Every step is checked; the last line is "downgrade check: passed" or the first failure.
# Not part of .ci/run (two NativeAOT publishes and a dockerd: about 4 minutes here); run it when the state files change.
#
# Usage: sudo bash eng/check-downgrade.sh [older-commit=9e6ca4d^]
# Needs: root, dockerd (docker.io), docker-registry, busybox, git history (a full clone).
set -euo pipefail

OLDER="${1:-9e6ca4d^}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/mooring-downgrade.XXXXXX)"   # short: dockerd's unix socket path must stay under 108 bytes
REGISTRY_PID="" DOCKERD_PID=""
cleanup() {
  if [[ -n "$DOCKERD_PID" ]]; then
    docker plugin disable -f lv >/dev/null 2>&1 || true
    docker plugin rm -f lv >/dev/null 2>&1 || true
    kill "$DOCKERD_PID" 2>/dev/null || true
    wait "$DOCKERD_PID" 2>/dev/null || true
  fi
  if [[ -n "$REGISTRY_PID" ]]; then kill "$REGISTRY_PID" 2>/dev/null || true; fi
  git -C "$REPO" worktree remove --force "$WORK/older" >/dev/null 2>&1 || true
  umount -R "$WORK/dockerd" 2>/dev/null || true
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

log() { echo "[downgrade $(date -u +%H:%M:%S)] $*" >&2; }
fail() { echo "downgrade check: FAILED: $*" >&2; exit 1; }
expect() { # WHAT EXPECTED ACTUAL: ACTUAL must contain EXPECTED
  if [[ "$3" != *"$2"* ]]; then fail "$1: expected '$2' in: $3"; fi
  log "ok: $1"
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
source "$REPO/eng/lib/registry.sh"
mkdir -p "$WORK/dc"
start_loopback_registry "$WORK"

# publish TAG SOURCE-TREE: LocalVolume as users publish it, pushed as $REGISTRY/check/localvolume:TAG.
publish() {
  log "publishing samples/LocalVolume from $2 as :$1 ..."
  DOCKER_CONFIG="$WORK/dc" dotnet publish "$2/samples/LocalVolume/LocalVolume.csproj" -c Release -t:PluginPush -nologo -v:q \
    "-p:ArtifactsPath=$WORK/artifacts-$1" "-p:PluginDirectory=$WORK/plugin-$1/" "-p:PluginRegistry=$REGISTRY" \
    -p:PluginRepository=check/localvolume "-p:PluginTag=$1" > "$WORK/publish-$1.log" 2>&1 \
    || { tail -30 "$WORK/publish-$1.log" >&2; fail "publishing $1"; }
}
git -C "$REPO" worktree add --detach "$WORK/older" "$OLDER" >/dev/null 2>&1 || fail "no commit $OLDER in this clone (a shallow clone has no history)"
log "older version: $(git -C "$WORK/older" log -1 --format='%h %ad' --date=short)"
publish older "$WORK/older"
publish current "$REPO"

log "starting a private dockerd ..."
D="$WORK/dockerd"; mkdir -p "$D"
dockerd --data-root "$D/data" --exec-root "$D/exec" -H "unix://$D/docker.sock" --pidfile "$D/docker.pid" \
  --storage-driver vfs --iptables=false --bridge=none \
  --containerd-namespace mooring-downgrade --containerd-plugins-namespace mooring-downgrade-plugins > "$D/dockerd.log" 2>&1 &
DOCKERD_PID=$!
export DOCKER_HOST="unix://$D/docker.sock" DOCKER_CONFIG="$D/cli"
for _ in $(seq 150); do docker version >/dev/null 2>&1 && break; sleep 0.2; done
docker version >/dev/null || { tail -20 "$D/dockerd.log" >&2; fail "dockerd did not start"; }
mkdir -p "$WORK/bb/bin" && cp /bin/busybox "$WORK/bb/bin/" && for a in sh cat sleep; do ln -s busybox "$WORK/bb/bin/$a"; done
tar -C "$WORK/bb" -cf "$WORK/bb.tar" . && docker import "$WORK/bb.tar" bb >/dev/null

# 2>&1: a refusal's words are on stderr, and they are what is checked.
d() { docker "$@" 2>&1 || true; }
ctl() { # the plugin's own ctl, run from its rootfs against its management socket (docs/operations.md)
  local id; id="$(docker plugin inspect lv --format '{{.Id}}')"
  "$D/data/plugins/$id/rootfs$(docker plugin inspect lv --format '{{index .Config.Entrypoint 0}}')" ctl \
    --socket "$(ls /run/docker/plugins/"$id"/*.ctl.sock)" "$@" 2>&1 || true
}

log "this version: volumes, data, a running container"
expect "install" "Installed plugin" "$(d plugin install --grant-all-permissions --alias lv "$REGISTRY/check/localvolume:current")"
d volume create -d lv keep >/dev/null
d run --rm -v keep:/data bb sh -c 'echo written-by-current > /data/file' >/dev/null
d run -d --name holder -v keep:/data bb sleep 600 >/dev/null

prepared="$(ctl prepare-downgrade)"
expect "prepare-downgrade writes the state back" "State written back at format 1: 1 volume record, 1 mount count file." "$prepared"
expect "prepare-downgrade names the mounted volume" "1 volume is mounted: stop the containers that use it first." "$prepared"
expect "a change after it is refused" "prepare-downgrade" "$(d volume create -d lv refused)"
d rm -f holder >/dev/null   # its Unmount is refused: keep's count stays, as docs/operations.md says

log "downgrade: disable -f, upgrade to the older version, enable"
expect "a plain disable is refused while volumes exist" "in use" "$(d plugin disable lv)"
d plugin disable -f lv >/dev/null
expect "upgrade to the older version" "Upgraded plugin" "$(d plugin upgrade --grant-all-permissions --skip-remote-check lv "$REGISTRY/check/localvolume:older")"
d plugin enable lv >/dev/null
expect "the older version lists the volume" "keep" "$(d volume ls --format '{{.Name}}')"
expect "the older version serves its data" "written-by-current" "$(d run --rm -v keep:/data bb cat /data/file)"
expect "the older version accepts changes" "older" "$(d volume create -d lv older)"
d run --rm -v older:/data bb sh -c 'echo written-by-older > /data/file' >/dev/null

log "upgrade back to this version"
d plugin disable -f lv >/dev/null
expect "upgrade back" "Upgraded plugin" "$(d plugin upgrade --grant-all-permissions --skip-remote-check lv "$REGISTRY/check/localvolume:current")"
d plugin enable lv >/dev/null
volumes="$(d volume ls --format '{{.Name}}' | sort | tr '\n' ' ')"
expect "this version lists both volumes" "keep older" "$volumes"
expect "this version serves the older version's data" "written-by-older" "$(d run --rm -v older:/data bb cat /data/file)"
expect "the refused Unmount left keep's count" "still mounted" "$(d volume rm keep)"
expect "ctl forget releases it" "released 1 mount" "$(ctl forget keep)"
d volume rm keep older >/dev/null
[[ -z "$(d volume ls -q)" ]] || fail "volumes left: $(d volume ls -q)"
echo "downgrade check: passed (older version $(git -C "$WORK/older" log -1 --format=%h))"
