#!/usr/bin/env bash
# Runs a DeportSim sweep as a Slurm job array on a throw-away single-node
# cluster, merges the shards and checks that the merged files are
# byte-identical to the same sweep run in one process; then stops the
# cluster and removes its files. For a fresh Debian 12 machine, as root, with
# no systemd and no cgroups (slurm.conf below says how). Takes about 30 s
# after the build.
#
#   bash .ci/slurm-test.sh            # uses .build/debug/deportsim, built if missing
#   DEPORTSIM=/path/to/deportsim bash .ci/slurm-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARDS=4

say() { echo "slurm-test: $*"; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null; then
    say "installing slurmctld slurmd slurm-client munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

BIN=${DEPORTSIM:-$ROOT/.build/debug/deportsim}
if [ ! -x "$BIN" ]; then
    say "building deportsim (debug)"
    swift build --product deportsim
fi

WORK=$(mktemp -d /tmp/deportsim-slurm.XXXXXX)
STARTED_MUNGED=""
cleanup() {
    set +e
    if [ -f "$WORK/slurmctld.pid" ] || [ -f "$WORK/slurmd.pid" ]; then
        SLURM_CONF=$WORK/slurm.conf scontrol shutdown >/dev/null 2>&1
        for f in "$WORK/slurmctld.pid" "$WORK/slurmd.pid"; do
            [ -f "$f" ] || continue
            pid=$(cat "$f")
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill "$pid"
        done
    fi
    if [ -n "$STARTED_MUNGED" ]; then kill "$STARTED_MUNGED" 2>/dev/null; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# munge: the package made /etc/munge/munge.key; start munged unless one runs.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    [ -f /etc/munge/munge.key ] || { mungekey --create --keyfile /etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; chmod 600 /etc/munge/munge.key; }
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    runuser -u munge -- /usr/sbin/munged
    STARTED_MUNGED=$(cat /run/munge/munged.pid)
    munge -n | unmunge >/dev/null
fi

# A one-node cluster without systemd or cgroups, its files in $WORK.
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/out"
cat > "$WORK/slurm.conf" <<CONF
ClusterName=deportsim-ci
SlurmctldHost=localhost
AuthType=auth/munge
SlurmUser=root
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MailProg=/bin/true
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$WORK/slurm.conf
slurmctld -c -f "$SLURM_CONF"
slurmd -N localhost -f "$SLURM_CONF"
for _ in $(seq 150); do
    [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break
    sleep 0.2
done
[ "$(sinfo -h -o %T)" = idle ] || { say "the node did not become idle"; sinfo; cat "$WORK"/*.log; exit 1; }
say "cluster up"

# The sweep as a job array, with the shipped batch script.
export DEPORTSIM=$BIN
export SCENARIO=$ROOT/Tests/Fixtures/sweep-small.yaml
export SPEC=$ROOT/Tests/Fixtures/small.sweep.yaml
export OUT=$WORK/out/array
jid=$(sbatch --parsable --array=0-$((SHARDS - 1)) --chdir "$WORK" --output="$WORK/task-%a.out" \
      --cpus-per-task=1 "$ROOT/Scenarios/sweeps/slurm-array.sbatch")
say "submitted array job $jid ($SHARDS tasks)"
for _ in $(seq 600); do
    [ -z "$(squeue -h -j "$jid" 2>/dev/null)" ] && break
    sleep 0.2
done
[ -z "$(squeue -h -j "$jid")" ] || { say "array job still queued after 120 s"; squeue; exit 1; }
states=$(scontrol -o show job "$jid" | grep -o 'JobState=[A-Z]* .*ExitCode=[0-9:]*' | sed 's/ .*ExitCode=/ /' | sort | uniq -c)
if [ "$(scontrol -o show job "$jid" | grep -c 'JobState=COMPLETED .*ExitCode=0:0')" -ne "$SHARDS" ]; then
    say "array tasks did not all complete:"; echo "$states"; cat "$WORK"/task-*.out; exit 1
fi
say "all $SHARDS array tasks completed"

"$BIN" merge "$OUT"
"$BIN" sweep "$SCENARIO" "$SPEC" --out "$WORK/out/single" --jobs 2 >/dev/null 2>&1
passed=0
for f in points.csv outcomes.csv outcomes_summary.csv; do
    cmp "$OUT/$f" "$WORK/out/single/$f"
    passed=$((passed + 1))
done
say "merged shards are byte-identical to the single-process run"
echo "slurm-test: $passed passed, 0 failed"
