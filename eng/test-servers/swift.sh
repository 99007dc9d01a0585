#!/usr/bin/env bash
# OpenStack Swift with its S3 API on loopback, for the remote cache tests (a real S3 implementation, not a fake).
#   eng/test-servers/swift.sh start    # idempotent: returns at once when it already answers; prints "started" when it did
#   eng/test-servers/swift.sh stop
#   eng/test-servers/swift.sh env      # the settings tests read: endpoint, access key, secret
#   eng/test-servers/swift.sh bucket NAME   # creates a bucket (a Swift container, through Swift's own API)
# Debian packages: swift swift-proxy swift-account swift-container swift-object memcached curl (.ci/run installs them).
# One replica, one device, tempauth: S3 access key "test:tester" with a test-only secret, distinctive so that tests can
# prove it never reaches a log or a file.
set -euo pipefail

state=${TUNEFORGE_TEST_SERVERS:-/tmp/tuneforge-test-servers}/swift
proxy_port=${TUNEFORGE_SWIFT_PORT:-16880}
account_port=16882 container_port=16883 object_port=16884 memcached_port=16885
endpoint="http://127.0.0.1:$proxy_port"
secret=tf-swift-secret-5c81e2a7

answers() { curl -s -o /dev/null -w '%{http_code}' "$endpoint/healthcheck" 2>/dev/null | grep -q 200; }

write_configs() {
    mkdir -p "$state/etc" "$state/node/d1" "$state/run" "$state/log"
    local user; user=$(id -un)
    cat > "$state/etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = tuneforge-tests
swift_hash_path_prefix = tuneforge-tests
[storage-policy:0]
name = Policy-0
default = yes
EOF
    local common="[DEFAULT]
bind_ip = 127.0.0.1
user = $user
swift_dir = $state/etc
devices = $state/node
mount_check = false
workers = 0
log_level = WARNING"
    for server in account container object; do
        local port_var="${server}_port"
        cat > "$state/etc/$server-server.conf" <<EOF
$common
bind_port = ${!port_var}

[pipeline:main]
pipeline = $server-server

[app:$server-server]
use = egg:swift#$server

[$server-replicator]
[$server-auditor]
[$server-updater]
EOF
    done
    # s3api before tempauth: it turns a signed S3 request into a Swift one that tempauth then checks.
    cat > "$state/etc/proxy-server.conf" <<EOF
$common
bind_port = $proxy_port

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = us-east-1

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $secret .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$memcached_port

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
}

build_rings() {
    local ring port_var
    for ring in account container object; do
        [ -f "$state/etc/$ring.ring.gz" ] && continue
        port_var="${ring}_port"
        # 2^6 partitions, 1 replica, no wait between moves: a one-device ring.
        swift-ring-builder "$state/etc/$ring.builder" create 6 1 0 >/dev/null
        swift-ring-builder "$state/etc/$ring.builder" add "r1z1-127.0.0.1:${!port_var}/d1" 100 >/dev/null
        swift-ring-builder "$state/etc/$ring.builder" rebalance >/dev/null || true # exit 1 = "balanced" warnings
    done
}

launch() { # name, command...
    local name=$1; shift
    nohup "$@" >"$state/log/$name.log" 2>&1 &
    echo $! > "$state/run/$name.pid"
}

start() {
    answers && return 0
    for command in swift-proxy-server swift-account-server swift-container-server swift-object-server swift-ring-builder memcached; do
        command -v "$command" >/dev/null || { echo "swift.sh: '$command' is missing; install the Debian packages swift swift-proxy swift-account swift-container swift-object memcached" >&2; exit 3; }
    done
    stop >/dev/null 2>&1 || true
    write_configs
    build_rings
    launch memcached memcached -l 127.0.0.1 -p "$memcached_port" -U 0 -m 16 $( [ "$(id -u)" -eq 0 ] && echo -u root )
    for server in account container object proxy; do
        launch "$server" "swift-$server-server" "$state/etc/$server-server.conf"
    done
    for _ in $(seq 1 600); do
        answers && { echo started; return 0; }
        sleep 0.1
    done
    echo "swift.sh: the Swift proxy did not answer on $endpoint within 60 s; logs in $state/log:" >&2
    tail -n 20 "$state"/log/*.log >&2
    exit 1
}

stop() {
    [ -d "$state/run" ] || return 0
    for file in "$state"/run/*.pid; do
        [ -f "$file" ] || continue
        kill "$(cat "$file")" 2>/dev/null || true
        rm -f "$file"
    done
}

bucket() { # name
    local token
    token=$(curl -sf -D - -o /dev/null -H "X-Auth-User: test:tester" -H "X-Auth-Key: $secret" "$endpoint/auth/v1.0" | tr -d '\r' | sed -n 's/^X-Auth-Token: //Ip')
    curl -sf -o /dev/null -X PUT -H "X-Auth-Token: $token" "$endpoint/v1/AUTH_test/$1"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    bucket) bucket "${2:?bucket name}" ;;
    env) echo "endpoint=$endpoint access_key=test:tester secret_key=$secret" ;;
    *) echo "usage: $0 start|stop|env|bucket NAME" >&2; exit 2 ;;
esac
