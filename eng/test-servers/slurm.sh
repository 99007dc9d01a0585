#!/usr/bin/env bash
# A single-node Slurm on loopback (slurmctld + slurmd + munged) for the torch engine's launcher tests.
#   eng/test-servers/slurm.sh start    # idempotent: returns at once when sinfo answers; prints "started" when it started it
#   eng/test-servers/slurm.sh stop
#   eng/test-servers/slurm.sh status   # "running" (exit 0) or "stopped" (exit 1)
#   eng/test-servers/slurm.sh env      # SLURM_CONF=...: what sinfo/sbatch/scancel need to reach it
# Debian packages: slurm-wlm (slurmctld, slurmd, slurm-client) and munge (.ci/run installs them). As FACTS.md says:
# a private slurm.conf through SLURM_CONF, ports 16817/16818, proctrack/linuxproc, task/none, cons_tres, one node.
set -euo pipefail

state=${TUNEFORGE_TEST_SERVERS:-/tmp/tuneforge-test-servers}/slurm
ctld_port=${TUNEFORGE_SLURMCTLD_PORT:-16817}
slurmd_port=${TUNEFORGE_SLURMD_PORT:-16818}
export SLURM_CONF="$state/slurm.conf"
munge_socket="$state/munge/munge.socket.2"

answers() { [ -f "$SLURM_CONF" ] && timeout 5 sinfo -h -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; }

configure() {
    mkdir -p "$state/ctld" "$state/d" "$state/log" "$state/munge"
    cat > "$SLURM_CONF" <<EOF
ClusterName=tuneforge
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$munge_socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
    [ -S "$munge_socket" ] && [ -f "$state/munge/munged.pid" ] && kill -0 "$(cat "$state/munge/munged.pid")" 2>/dev/null && return 0
    # munged refuses to run as root and wants its socket folder to be its own, not writable by others.
    local key=/etc/munge/munge.key
    if [ ! -f "$key" ]; then   # the package usually creates it; a private one serves a single node as well
        key="$state/munge/munge.key"
        [ -f "$key" ] || mungekey --create --keyfile="$key"
        chown munge:munge "$key"; chmod 600 "$key"
    fi
    chown munge:munge "$state/munge"
    chmod 755 "$state/munge"
    runuser -u munge -- munged --socket="$munge_socket" --pid-file="$state/munge/munged.pid" \
        --log-file="$state/munge/munged.log" --seed-file="$state/munge/munged.seed" --key-file="$key"
}

start() {
    answers && return 0
    for program in sinfo slurmctld slurmd munged; do
        command -v "$program" >/dev/null || { echo "slurm.sh: '$program' is missing; install the Debian packages slurm-wlm and munge" >&2; exit 3; }
    done
    stop
    configure
    start_munge
    slurmctld -c   # -c: a clean start, no jobs or nodes remembered from an earlier run
    slurmd -N localhost
    for _ in $(seq 1 150); do
        answers && { echo started; return 0; }
        sleep 0.2
    done
    echo "slurm.sh: the node did not come up (sinfo: $(sinfo -h 2>&1 || true)); logs in $state/log:" >&2
    tail -n 15 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 || true
    exit 1
}

stop() {
    for pidfile in "$state/slurmd.pid" "$state/slurmctld.pid" "$state/munge/munged.pid"; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rm -f "$pidfile"
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if answers; then echo running; else echo stopped; exit 1; fi ;;
    env) echo "SLURM_CONF=$SLURM_CONF" ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
