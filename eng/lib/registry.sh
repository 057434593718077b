# Sourced by the benchmark scripts: a loopback docker-registry of the caller's own.
# start_loopback_registry DIR: serves DIR/registry on a free 127.0.0.1 port; sets REGISTRY (host:port) and REGISTRY_PID.
# The caller stops it (kill "$REGISTRY_PID") in its cleanup.
start_loopback_registry() {
  local dir="$1" port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  REGISTRY="127.0.0.1:$port"
  cat > "$dir/registry.yml" <<YML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $dir/registry}}
http: {addr: $REGISTRY}
YML
  /usr/bin/docker-registry serve "$dir/registry.yml" > "$dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
}
