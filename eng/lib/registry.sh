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
  if [[ ! -x /usr/bin/docker-registry ]]; then
    echo "error: /usr/bin/docker-registry is missing; eng/install-prereqs.sh installs it" >&2
    return 1
  fi
  /usr/bin/docker-registry serve "$dir/registry.yml" > "$dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
  # Up before the first push, or the push fails with "connection refused" and no word of the registry's own error.
  local i
  for i in $(seq 1 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then return 0; fi
    if ! kill -0 "$REGISTRY_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "error: docker-registry did not start on $REGISTRY; its log ($dir/registry.log):" >&2
  cat "$dir/registry.log" >&2
  return 1
}
