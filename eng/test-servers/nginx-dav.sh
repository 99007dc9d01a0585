#!/usr/bin/env bash
# nginx with its WebDAV module on loopback: a Bazel-style HTTP cache (GET/PUT/HEAD) for the remote cache tests.
#   eng/test-servers/nginx-dav.sh start    # idempotent: returns at once when it already answers; prints "started" when it did
#   eng/test-servers/nginx-dav.sh stop
# Debian package: nginx-light, or any nginx built --with-http_dav_module (.ci/run installs nginx-light).
set -euo pipefail

state=${TUNEFORGE_TEST_SERVERS:-/tmp/tuneforge-test-servers}/nginx
port=${TUNEFORGE_NGINX_DAV_PORT:-16890}
endpoint="http://127.0.0.1:$port"

answers() { curl -s -o /dev/null -w '%{http_code}' "$endpoint/healthz" 2>/dev/null | grep -q 200; }

start() {
    answers && return 0
    command -v nginx >/dev/null || { echo "nginx-dav.sh: 'nginx' is missing; install the Debian package nginx-light" >&2; exit 3; }
    mkdir -p "$state/data" "$state/temp" "$state/log"
    local user=""; [ "$(id -u)" -eq 0 ] && user="user root;"
    cat > "$state/nginx.conf" <<EOF
$user
daemon on;
worker_processes 1;
pid $state/nginx.pid;
error_log $state/log/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $state/temp;
    client_max_body_size 0;
    server {
        listen 127.0.0.1:$port;
        root $state/data;
        location = /healthz { return 200; }
        location / {
            # PUT writes to a temporary file and renames it into place: a reader never sees half a blob.
            dav_methods PUT DELETE;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
        }
    }
}
EOF
    nginx -c "$state/nginx.conf" -p "$state" -e "$state/log/error.log"
    for _ in $(seq 1 100); do
        answers && { echo started; return 0; }
        sleep 0.1
    done
    echo "nginx-dav.sh: nginx did not answer on $endpoint; $state/log/error.log:" >&2
    tail -n 20 "$state/log/error.log" >&2
    exit 1
}

stop() {
    [ -f "$state/nginx.pid" ] || return 0
    kill "$(cat "$state/nginx.pid")" 2>/dev/null || true
    rm -f "$state/nginx.pid"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) echo "endpoint=$endpoint root=$state/data" ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
