#!/usr/bin/env bash
# Remote-cache hit time of the default pipeline's entries (Clean, Split, Train, Predict, Evaluate) against a local hit:
# a fresh clone with an empty .nuke/cache downloads every entry from a file://, an http:// (nginx WebDAV) and an
# s3:// (OpenStack Swift) remote; runs interleaved, medians printed.
#   ./build.sh Train Evaluate [ARGS]           # once: the entries this benchmark serves
#   bench/remote-cache.sh [RUNS [ARGS]]        # default 5 runs per kind; ARGS as given to the build above
# Needs the test servers' Debian packages (eng/test-servers/*.sh); it starts them and stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
shift || true
build=(dotnet "$root/build/bin/Release/net10.0/_build.dll" Train Evaluate "$@")
work=$(mktemp -d /tmp/tuneforge-remote-bench-XXXXXX)
started=()
cleanup() {
    for server in "${started[@]}"; do "$root/eng/test-servers/$server.sh" stop; done
    rm -rf "$work"
}
trap cleanup EXIT

for server in swift nginx-dav; do
    status=$("$root/eng/test-servers/$server.sh" start)
    if [ "$status" = started ]; then started+=("$server"); fi
done
eval "$("$root/eng/test-servers/swift.sh" env | tr ' ' '\n' | sed 's/^/swift_/')"
eval "$("$root/eng/test-servers/nginx-dav.sh" env | tr ' ' '\n' | sed 's/^/nginx_/')"
id=$(basename "$work")
"$root/eng/test-servers/swift.sh" bucket tuneforge-bench
export AWS_ACCESS_KEY_ID=$swift_access_key AWS_SECRET_ACCESS_KEY=$swift_secret_key
declare -A remote=(
    [file]="--cache-remote file://$work/remote"
    [http]="--cache-remote $nginx_endpoint/$id"
    [s3]="--cache-remote s3://tuneforge-bench/$id --cache-remote-endpoint $swift_endpoint"
)
kinds=(local file http s3)

# The clone: what these stages read (keys hash content by relative path, so links to the data are the same inputs).
clone=$work/clone
mkdir -p "$clone/.nuke" "$clone/pipelines" "$clone/data"
cp "$root/pipelines/default.yaml" "$clone/pipelines/"
ln -s "$root/data/samples" "$root/data/tokenizers" "$clone/data/"

# Every stage of the plan UpToDate: the summary table has no other status.
up_to_date() { grep -qE '^[A-Za-z]+ +UpToDate' "$1" && ! grep -qE '^[A-Za-z]+ +(Succeeded|Failed|Aborted|NotRun) ' "$1"; }
# A hit runs the targets' checks again (Evaluate's quality gates): their verdict is not what is timed here.
run_build() { "${build[@]}" "$@" || true; }

run_build --root "$root" >"$work/local.log" 2>&1
up_to_date "$work/local.log" || { echo "Not every stage is cached here; run ./build.sh Train Evaluate first:" >&2; tail -n 20 "$work/local.log" >&2; exit 1; }
stages=$(grep -oE '^[A-Za-z]+ +UpToDate' "$work/local.log" | awk '{ print $1 }')
count=$(echo "$stages" | wc -l)
declare -A upload=()
for kind in file http s3; do
    # shellcheck disable=SC2086 # the remote's arguments are words
    start=$(date +%s.%N); run_build --root "$root" ${remote[$kind]} >"$work/fill-$kind.log" 2>&1; end=$(date +%s.%N)
    [ "$(grep -c '^Uploaded ' "$work/fill-$kind.log")" = "$count" ] || { echo "filling the $kind remote did not upload $count entries:" >&2; tail -n 20 "$work/fill-$kind.log" >&2; exit 1; }
    upload[$kind]=$(echo "$end - $start" | bc) # local hits upload what the remote lacks
done

declare -A times=()
for run in $(seq 1 "$runs"); do
    for kind in "${kinds[@]}"; do
        log=$work/$kind-$run.log
        if [ "$kind" = local ]; then
            start=$(date +%s.%N); run_build --root "$root" >"$log" 2>&1; end=$(date +%s.%N)
        else
            rm -rf "$clone/.nuke/cache" "$clone/artifacts"
            # shellcheck disable=SC2086
            start=$(date +%s.%N); run_build --root "$clone" ${remote[$kind]} --cache-remote-mode read >"$log" 2>&1; end=$(date +%s.%N)
            [ "$(grep -c 'from: remote' "$log")" = "$count" ] || { echo "$kind run $run did not take all $count entries from the remote:" >&2; tail -n 20 "$log" >&2; exit 1; }
        fi
        up_to_date "$log" || { echo "$kind run $run was not all UpToDate" >&2; tail -n 20 "$log" >&2; exit 1; }
        times[$kind]+="$(echo "$end - $start" | bc) "
    done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f", m }'; }
range() { tr ' ' '\n' | grep . | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'; }
entry_folders() {
    for target in $stages; do
        key=$(grep -E "^$target +UpToDate" "$work/local.log" | grep -oE 'key: [0-9a-f]{12}' | cut -c6-)
        echo "$root"/.nuke/cache/"$target"/"$key"*
    done
}
# shellcheck disable=SC2046 # one word per folder
entries=$(du -scb $(entry_folders) | tail -n 1 | cut -f1)
# shellcheck disable=SC2046
files=$(find $(entry_folders) -type f | wc -l)

echo "$(echo $stages | tr ' ' ','), pipelines/default.yaml: $files files, $(echo "scale=1; $entries / 1048576" | bc) MiB; $runs runs each, interleaved"
echo "$(nproc) cores, $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-34s | %15s | %11s | %22s |\n' "hit (./build.sh Train Evaluate)" "median wall (s)" "range (s)" "first upload, once (s)"
printf '|%s|%s|%s|%s|\n' "------------------------------------" "----------------:" "------------:" "-----------------------:"
for kind in "${kinds[@]}"; do
    label=$([ "$kind" = local ] && echo "local (.nuke/cache)" || echo "remote $kind, empty local cache")
    printf '| %-34s | %15s | %11s | %22s |\n' "$label" "$(echo "${times[$kind]}" | median)" "$(echo "${times[$kind]}" | range)" "$(printf '%.2f' "${upload[$kind]:-0}" | sed 's/^0.00$/—/')"
done
