#!/usr/bin/env bash
# Train tokens/s of the native engine against train.engine: torch at 1 and 2 ranks on CPU (gloo), and the Slurm
# launcher's round trip beside the local one: the real Train stage of the default pipeline (--force Train), the same
# global batch everywhere (8 = 1 × 8 = 2 × 4), runs interleaved round by round, medians printed.
#   ./build.sh Split                                   # once: the split this benchmark trains on
#   bench/torch-engine.sh [ROUNDS [STEPS]]             # default 3 rounds of 6 steps
# Needs Debian's python3-torch (/usr/bin/python3) and, for the slurm row, slurm-wlm + munge (eng/test-servers/slurm.sh:
# it is started here and stopped again if this started it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
steps=${2:-6}
python=${TUNEFORGE_BENCH_PYTHON:-/usr/bin/python3}
work=$(mktemp -d /tmp/tuneforge-torch-bench-XXXXXX)
started=""
cleanup() {
    [ -n "$started" ] && "$root/eng/test-servers/slurm.sh" stop
    rm -rf "$work"
}
trap cleanup EXIT
if command -v sinfo >/dev/null; then
    [ "$("$root/eng/test-servers/slurm.sh" start)" = started ] && started=yes
    export "$("$root/eng/test-servers/slurm.sh" env)"
fi

common=(--set "train.max_steps=$steps" --set train.eval_steps=1000 --set train.save_steps=1000 --set train.logging_steps=1
        --set train.load_best_model_at_end=false --set "train.distributed.python=$python")
declare -A config=(
    [native]="--set train.per_device_train_batch_size=8"
    [torch-1]="--set train.engine=torch --set train.per_device_train_batch_size=8"
    [torch-2]="--set train.engine=torch --set train.per_device_train_batch_size=4 --set train.distributed.nproc_per_node=2"
    [torch-2-slurm]="--set train.engine=torch --set train.per_device_train_batch_size=4 --set train.distributed.nproc_per_node=2 --set train.distributed.launcher=slurm"
)
kinds=(native torch-1 torch-2)
command -v sinfo >/dev/null && kinds+=(torch-2-slurm)

for round in $(seq 1 "$rounds"); do
    # Rotate the order each round: a machine whose load drifts favours no kind.
    for i in "${!kinds[@]}"; do
        kind=${kinds[$(( (i + round) % ${#kinds[@]} ))]}
        log="$work/$kind-$round.log"
        start=$(date +%s.%N)
        # shellcheck disable=SC2086
        dotnet "$root/build/bin/Release/net10.0/_build.dll" Train --root "$root" --force Train "${common[@]}" ${config[$kind]} >"$log" 2>&1 \
            || { echo "$kind failed:" >&2; tail -n 25 "$log" >&2; exit 1; }
        end=$(date +%s.%N)
        tps=$(grep -oE 'tokens/s: [0-9.]+' "$log" | tail -n 1 | awk '{ print $2 }')
        echo "$kind $tps $(echo "$end - $start" | bc)" >>"$work/points"
        echo "round $round $kind: $tps tokens/s, build wall $(echo "$end - $start" | bc | xargs printf '%.1f') s" >&2
    done
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
printf '\n| kind | tokens/s (median of %d) | build wall, s (median) |\n|---|---:|---:|\n' "$rounds"
for kind in "${kinds[@]}"; do
    printf '| %s | %.0f | %.1f |\n' "$kind" "$(awk -v k="$kind" '$1 == k { print $2 }' "$work/points" | median)" \
        "$(awk -v k="$kind" '$1 == k { print $3 }' "$work/points" | median)"
done
