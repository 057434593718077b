#!/usr/bin/env bash
# The main job, end to end, on a fresh machine:
#   pack Mooring (SDK, runtime, test kit, templates) → `dotnet new dockervolume` → build → test →
#   `dotnet publish -t:PluginPush` to a private registry → (where a Docker engine can run) `docker plugin install --alias`
#   into a private dockerd and use a volume from two containers.
# Everything it starts (registry, dockerd, plugin, mounts) is stopped and removed on exit, failed or not.
# Safe to run again: each run packs a new prerelease version and recreates its folders.
#
#   bash eng/demo.sh                 outputs under artifacts/ (or $ArtifactsPath when set)
#   bash eng/demo.sh --swarm         also the VolumeScope.Global example of docs/attributes.md: the generated driver
#                                    reports Global, and a single-node swarm service mounts a volume of the plugin
set -euo pipefail

SWARM=false
case "${1:-}" in
  "") ;;
  --swarm) SWARM=true ;;
  *) echo "usage: bash eng/demo.sh [--swarm]" >&2; exit 2 ;;
esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${ArtifactsPath:-$REPO/artifacts}"
PACKAGES="$ARTIFACTS/packages"
DEMO="$ARTIFACTS/demo"
HIVE="$DEMO/template-hive"
PROJECT_NAME="Demo.Volumes"
SOLUTION="$DEMO/$PROJECT_NAME"
ALIAS="demo"
VERSION_SUFFIX="demo.$(date -u +%Y%m%d%H%M%S)"
VERSION="0.1.0-$VERSION_SUFFIX"
DOCKER_CLI=/usr/bin/docker          # the CLI that matches Debian's dockerd 20.10
NUGET_CACHE="${NUGET_PACKAGES:-$HOME/.nuget/packages}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No MSBuild or compiler server outlives the script.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1 UseSharedCompilation=false

STEP=0
step() { STEP=$((STEP + 1)); printf '\n\033[1m==> %d. %s\033[0m\n' "$STEP" "$*"; }
info() { printf '    %s\n' "$*"; }

REGISTRY_PID=""
REGISTRY_DIR=""
DOCKERD_PID=""
DOCKERD_ROOT=""
STATUS="failed"

# --- clean-up: runs on every exit -------------------------------------------------------------------------------
processes_under() { # pids whose command line mentions $1 (the daemon's containerd and shims carry its folder)
  local dir
  for dir in /proc/[0-9]*; do
    [ "${dir#/proc/}" = "$$" ] && continue
    if tr '\0' ' ' < "$dir/cmdline" 2>/dev/null | grep -qF -- "$1"; then echo "${dir#/proc/}"; fi
  done
}

stop_pid() { # SIGTERM, wait up to $2 seconds, then SIGKILL
  local pid="$1" wait="${2:-20}" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local code=$?
  set +e
  printf '\n\033[1m==> clean-up\033[0m\n'
  if [ -n "$DOCKERD_PID" ]; then
    info "removing the plugin and stopping the private dockerd (pid $DOCKERD_PID)"
    if [ "$SWARM" = true ]; then
      docker_cmd service rm web >/dev/null 2>&1
      docker_cmd swarm leave --force >/dev/null 2>&1
    fi
    docker_cmd volume rm -f v1 shared >/dev/null 2>&1
    docker_cmd plugin disable -f "$ALIAS" >/dev/null 2>&1
    docker_cmd plugin rm -f "$ALIAS" >/dev/null 2>&1
    stop_pid "$DOCKERD_PID" 30
  fi
  if [ -n "$DOCKERD_ROOT" ] && [ -d "$DOCKERD_ROOT" ]; then
    for pid in $(processes_under "$DOCKERD_ROOT"); do stop_pid "$pid" 5; done
    # vfs layers and the plugin's propagated mount outlive the daemon: unmount deepest first.
    awk '{print $5}' /proc/self/mountinfo | grep -F "$DOCKERD_ROOT" | awk '{print length, $0}' | sort -rn | cut -d' ' -f2- |
      while read -r mount; do umount -R "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null; done
    rm -rf --one-file-system "$DOCKERD_ROOT"
  fi
  if [ -n "$REGISTRY_PID" ]; then
    info "stopping the private registry (pid $REGISTRY_PID)"
    stop_pid "$REGISTRY_PID" 10
  fi
  [ -n "$REGISTRY_DIR" ] && rm -rf "$REGISTRY_DIR"
  # This run's packages in the NuGet cache: a later run packs a new version, so these would only pile up.
  for id in mooring mooring.sdk mooring.testing mooring.templates; do rm -rf "$NUGET_CACHE/$id/$VERSION"; done
  if [ "$code" -eq 0 ]; then
    printf '\n\033[1mDemo %s.\033[0m\n' "$STATUS"
  else
    printf '\n\033[1;31mDemo failed in step %d (exit %d).\033[0m\n' "$STEP" "$code"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

docker_cmd() { DOCKER_HOST="unix://$DOCKERD_ROOT/docker.sock" DOCKER_CONFIG="$DOCKERD_ROOT/cli" "$DOCKER_CLI" "$@"; }

free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "error: no free port found" >&2
  return 1
}

# --- 1. prerequisites -------------------------------------------------------------------------------------------
step "Prerequisites (eng/install-prereqs.sh)"
bash "$REPO/eng/install-prereqs.sh"
info "dotnet $(dotnet --version)"

# --- 2. pack ----------------------------------------------------------------------------------------------------
step "Pack Mooring, Mooring.Sdk, Mooring.Testing and Mooring.Templates $VERSION into $PACKAGES"
mkdir -p "$PACKAGES"
rm -f "$PACKAGES"/Mooring*.nupkg
for project in sdk/Mooring/Mooring.csproj sdk/Mooring.Sdk/Mooring.Sdk.csproj sdk/Mooring.Testing/Mooring.Testing.csproj \
               templates/Mooring.Templates/Mooring.Templates.csproj; do
  dotnet pack "$REPO/$project" -c Release -o "$PACKAGES" -p:VersionSuffix="$VERSION_SUFFIX" -v:q -nologo
done
for package in "$PACKAGES"/*.nupkg; do info "$(basename "$package")"; done
# From here on the generated solution is built the way a user builds it. ArtifactsPath would also make the SDK skip
# every source file under that folder, which is where the demo lives.
unset ArtifactsPath

# --- 3. template ------------------------------------------------------------------------------------------------
step "Install the templates into a private hive and create $PROJECT_NAME"
rm -rf "$DEMO"
mkdir -p "$DEMO"
# The demo lives inside the repository: keep the repository's MSBuild settings and central package versions out,
# and restore from the freshly packed folder plus nuget.org.
echo '<Project />' > "$DEMO/Directory.Build.props"
echo '<Project />' > "$DEMO/Directory.Build.targets"
echo '<Project />' > "$DEMO/Directory.Packages.props"
cat > "$DEMO/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="mooring-demo" value="$PACKAGES" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
EOF
dotnet new install "$PACKAGES/Mooring.Templates.$VERSION.nupkg" --debug:custom-hive "$HIVE" | sed 's/^/    /'
(cd "$DEMO" && dotnet new dockervolume -n "$PROJECT_NAME" -o "$SOLUTION" --plugin-name "$ALIAS" --no-restore \
  --debug:custom-hive "$HIVE") | sed 's/^/    /'
(cd "$SOLUTION" && find . -type f | sort | sed 's/^\.\//    /')
if [ "$SWARM" = true ]; then
  # docs/attributes.md, "VolumeScope.Global": one line in the driver (IManagedVolumeDriver<TOptions>.Scope).
  DRIVER="$(grep -l 'IManagedVolumeDriver<' "$SOLUTION/src/$PROJECT_NAME"/*.cs | head -1)"
  sed -i '0,/^{$/s//{\n    public VolumeScope Scope => VolumeScope.Global;\n/' "$DRIVER"
  grep -q 'VolumeScope.Global' "$DRIVER" || { echo "error: could not make $DRIVER report VolumeScope.Global" >&2; exit 1; }
  info "$(basename "$DRIVER"): public VolumeScope Scope => VolumeScope.Global;"
fi

# --- 4. build and test ------------------------------------------------------------------------------------------
step "Build (warnings are errors)"
(cd "$SOLUTION" && dotnet build -warnaserror -nologo -v:q)

step "Test (the plugin in-process on a unix socket, driven the way dockerd drives it)"
(cd "$SOLUTION" && dotnet test --no-build -nologo)

# --- 5. push ----------------------------------------------------------------------------------------------------
step "Start a private docker-registry on 127.0.0.1"
PORT="$(free_port)"
REGISTRY="127.0.0.1:$PORT"
REGISTRY_DIR="$(mktemp -d /tmp/mooring-demo-registry.XXXXXX)"
cat > "$REGISTRY_DIR/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/data
http:
  addr: $REGISTRY
EOF
/usr/bin/docker-registry serve "$REGISTRY_DIR/config.yml" > "$REGISTRY_DIR/registry.log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || { cat "$REGISTRY_DIR/registry.log"; echo "error: the registry did not start" >&2; exit 1; }
info "registry $REGISTRY (pid $REGISTRY_PID)"

step "dotnet publish -t:PluginPush -p:PluginRegistry=$REGISTRY (NativeAOT, no Docker daemon involved)"
(cd "$SOLUTION/src/$PROJECT_NAME" && dotnet publish -t:PluginPush -p:PluginRegistry="$REGISTRY" -nologo -v:m)
REPOSITORY="$(echo "$PROJECT_NAME" | tr '[:upper:]' '[:lower:]')"
REFERENCE="$REGISTRY/$REPOSITORY:1.0.0"
if command -v curl >/dev/null 2>&1; then info "registry says: $(curl -fsS "http://$REGISTRY/v2/$REPOSITORY/tags/list")"; fi

# --- 6. install and use -----------------------------------------------------------------------------------------
skip_engine() { info "skipped: $*"; STATUS="finished (pushed $REFERENCE; the Docker steps were skipped: $*)"; exit 0; }

step "Start a private dockerd (own data root, exec root, socket and pid file; vfs, no iptables, no bridge)"
[ -x /usr/sbin/dockerd ] || skip_engine "dockerd is not installed"
[ -x "$DOCKER_CLI" ] || skip_engine "$DOCKER_CLI is not installed"
[ "$(id -u)" = 0 ] || skip_engine "a private dockerd needs root"
DOCKERD_ROOT="$(mktemp -d /tmp/mooring-demo-dockerd.XXXXXX)"   # short: unix socket paths must stay under 108 bytes
mkdir -p "$DOCKERD_ROOT/data" "$DOCKERD_ROOT/exec" "$DOCKERD_ROOT/cli"
NAMESPACE="mooring-demo-$(basename "$DOCKERD_ROOT" | tr '.' '-')"
/usr/sbin/dockerd --data-root "$DOCKERD_ROOT/data" --exec-root "$DOCKERD_ROOT/exec" -H "unix://$DOCKERD_ROOT/docker.sock" \
  --pidfile "$DOCKERD_ROOT/docker.pid" --storage-driver vfs --iptables=false --bridge=none \
  --containerd-namespace "$NAMESPACE" --containerd-plugins-namespace "$NAMESPACE-plugins" \
  > "$DOCKERD_ROOT/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 1 300); do
  kill -0 "$DOCKERD_PID" 2>/dev/null || break
  docker_cmd version --format '{{.Server.Version}}' >/dev/null 2>&1 && break
  sleep 0.2
done
if ! docker_cmd version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  tail -20 "$DOCKERD_ROOT/dockerd.log" | sed 's/^/    dockerd: /'
  skip_engine "dockerd did not start on this machine (log above)"
fi
info "dockerd $(docker_cmd version --format '{{.Server.Version}}') (pid $DOCKERD_PID, $DOCKERD_ROOT)"

step "Import a busybox image from /bin/busybox"
mkdir -p "$DOCKERD_ROOT/busybox/bin"
cp /bin/busybox "$DOCKERD_ROOT/busybox/bin/busybox"
for applet in sh cat echo ls stat; do ln -sf busybox "$DOCKERD_ROOT/busybox/bin/$applet"; done
tar -C "$DOCKERD_ROOT/busybox" -cf "$DOCKERD_ROOT/busybox.tar" .
docker_cmd import "$DOCKERD_ROOT/busybox.tar" demo-busybox:latest >/dev/null
info "demo-busybox:latest"

step "docker plugin install --grant-all-permissions --alias $ALIAS $REFERENCE"
docker_cmd plugin install --grant-all-permissions --alias "$ALIAS" "$REFERENCE" | sed 's/^/    /'
docker_cmd plugin ls | sed 's/^/    /'

step "docker volume create -d $ALIAS -o mode=0750 v1"
docker_cmd volume create -d "$ALIAS" -o mode=0750 v1 | sed 's/^/    /'

step "Write from one container, read from another"
docker_cmd run --rm --network none -v v1:/data demo-busybox:latest \
  sh -c 'echo "hello from container 1, written at $(date -u +%H:%M:%S)" > /data/greeting && ls -ld /data' | sed 's/^/    container 1: /'
GREETING="$(docker_cmd run --rm --network none -v v1:/data:ro demo-busybox:latest cat /data/greeting)"
echo "$GREETING" | sed 's/^/    container 2 read: /'
docker_cmd volume inspect v1 | sed 's/^/    /'
case "$GREETING" in "hello from container 1"*) ;; *) echo "error: the second container did not read what the first wrote" >&2; exit 1 ;; esac

STATUS="finished: $PROJECT_NAME was generated, built, tested, pushed to $REGISTRY, installed as '$ALIAS' and served two containers"

if [ "$SWARM" = true ]; then
  step "Single-node swarm: a service mounts a Global volume of '$ALIAS' (docs/attributes.md)"
  docker_cmd swarm init --advertise-addr 127.0.0.1 >/dev/null
  docker_cmd service create --detach=false --quiet --name web --replicas 1 \
    --mount "type=volume,source=shared,destination=/data,volume-driver=$ALIAS" \
    demo-busybox:latest sh -c 'date >> /data/started; sleep 100000' | sed 's/^/    /'
  SCOPE="$(docker_cmd volume inspect -f '{{.Driver}} {{.Scope}}' shared)"
  info "docker volume inspect -f '{{.Driver}} {{.Scope}}' shared: $SCOPE"
  [ "$SCOPE" = "$ALIAS:latest global" ] || { echo "error: expected '$ALIAS:latest global', got '$SCOPE'" >&2; exit 1; }
  docker_cmd service rm web >/dev/null
  # The task's container goes away asynchronously; the volume is in use until it has.
  for _ in $(seq 1 100); do docker_cmd volume rm shared >/dev/null 2>&1 && break; sleep 0.3; done
  docker_cmd volume ls -q | grep -qx shared && { echo "error: volume 'shared' was not removed" >&2; exit 1; }
  docker_cmd swarm leave --force >/dev/null
  info "service removed, volume removed, swarm left"
  STATUS="$STATUS; a swarm service mounted a Global volume"
fi
