#!/usr/bin/env bash
# Start a private single-node Slurm cluster on loopback for tests.
#
# Usage: start_local_slurm.sh STATE_DIR
#
# Everything (munge key/socket, slurm.conf, state, spool, logs, pid files)
# lives in STATE_DIR.  On success prints shell `export` lines on stdout (also
# written to STATE_DIR/env.sh); progress goes to stderr.  Use as:
#     eval "$(tools/slurm/start_local_slurm.sh "$dir")"
#
# Exit codes: 0 ok; 77 Slurm cannot run here (packages missing, not root,
# a daemon refuses to start) with a one-line reason on stderr; 1 any other
# failure, with the daemons' log tails on stderr.
#
# Optional environment:
#   SLURM_LOCAL_WAIT_S    seconds to wait for the node to become idle (60)
#   SLURM_LOCAL_CTLD_PORT / SLURM_LOCAL_SLURMD_PORT   force the ports
set -u

SKIP=77
log() { echo "start_local_slurm: $*" >&2; }
skip() { echo "start_local_slurm: SKIP: $*" >&2; exit "$SKIP"; }

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 STATE_DIR" >&2
    exit 1
fi

case "${BASH_SOURCE[0]}" in */*) HERE="${BASH_SOURCE[0]%/*}" ;; *) HERE=. ;; esac
HERE="$(cd "$HERE" && pwd)"

# ---------------------------------------------------------------- prereqs
for b in munged munge unmunge slurmctld slurmd sinfo scontrol sbatch squeue; do
    command -v "$b" >/dev/null 2>&1 || \
        PATH="$PATH:/usr/sbin:/sbin" command -v "$b" >/dev/null 2>&1 || \
        skip "'$b' not found (apt-get install slurm-wlm munge)"
done
export PATH="$PATH:/usr/sbin:/sbin"
[ "$(id -u)" = 0 ] || skip "must run as root (slurmd launches jobs as root here)"
[ -d /usr/lib/x86_64-linux-gnu/slurm-wlm ] || [ -n "$(ls -d /usr/lib/*/slurm-wlm /usr/lib*/slurm 2>/dev/null)" ] || \
    skip "Slurm plugin directory not found"

mkdir -p "$1" || { log "cannot create $1"; exit 1; }
STATE="$(cd "$1" && pwd -P)"

MUNGE_DIR="$STATE/munge"
MUNGE_SOCK="$MUNGE_DIR/munge.socket"
MUNGE_KEY="$MUNGE_DIR/munge.key"
MUNGE_PID="$MUNGE_DIR/munged.pid"
CONF="$STATE/slurm.conf"
LOGDIR="$STATE/log"
CTLD_PID="$STATE/slurmctld.pid"
SLURMD_PID="$STATE/slurmd.pid"

# AF_UNIX socket paths are limited to 108 bytes.
if [ "${#MUNGE_SOCK}" -gt 100 ]; then
    log "STATE_DIR path too long for a unix socket: $MUNGE_SOCK"
    exit 1
fi

pid_alive() { # pidfile name
    local p
    [ -s "$1" ] || return 1
    p="$(cat "$1" 2>/dev/null)"
    [ -n "$p" ] && kill -0 "$p" 2>/dev/null && \
        grep -q "$2" "/proc/$p/comm" 2>/dev/null
}

for pf in "$MUNGE_PID:munged" "$CTLD_PID:slurmctld" "$SLURMD_PID:slurmd"; do
    if pid_alive "${pf%%:*}" "${pf##*:}"; then
        log "${pf##*:} already running for $STATE; run stop_local_slurm.sh first"
        exit 1
    fi
done

mkdir -p "$MUNGE_DIR" "$LOGDIR" "$STATE/ctld" "$STATE/spool" "$STATE/jobs" || exit 1
chmod 0700 "$MUNGE_DIR" "$STATE/ctld" "$STATE/spool"
chmod 0755 "$STATE"

cleanup_on_fail() {
    "$HERE/stop_local_slurm.sh" "$STATE" >/dev/null 2>&1 || true
}

log_tails() {
    local f
    for f in "$LOGDIR/munged.log" "$LOGDIR/slurmctld.log" "$LOGDIR/slurmd.log" \
             "$LOGDIR/slurmctld.stderr" "$LOGDIR/slurmd.stderr"; do
        [ -s "$f" ] || continue
        echo "----- tail $f" >&2
        tail -n 25 "$f" >&2
    done
}

fail() { # message
    log "ERROR: $*"
    log_tails
    cleanup_on_fail
    exit 1
}

refuse() { # daemon logfile
    local last=""
    [ -s "$2" ] && last="$(grep -iE 'error|fatal' "$2" | tail -n 1)"
    [ -z "$last" ] && [ -s "$2" ] && last="$(tail -n 1 "$2")"
    cleanup_on_fail
    skip "$1 refused to start here: ${last:-no log output} (see $2)"
}

# ---------------------------------------------------------------- node facts
NODE="$(hostname -s 2>/dev/null)"
[ -n "$NODE" ] || NODE=localhost
# slurmctld/slurmd match their own short hostname against SlurmctldHost /
# NodeName; addresses are pinned to 127.0.0.1 so the name never needs DNS.
CPUS="$(nproc 2>/dev/null || echo 1)"
MEM_KB="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
MEM_MB=$(( MEM_KB / 1024 ))
MARGIN=$(( MEM_MB / 10 )); [ "$MARGIN" -lt 256 ] && MARGIN=256
REALMEM=$(( MEM_MB - MARGIN )); [ "$REALMEM" -lt 100 ] && REALMEM=100

# ---------------------------------------------------------------- ports
port_used() { # port
    local hex
    hex="$(printf '%04X' "$1")"
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v h=":$hex" \
        'NR>1 && substr($2, length($2)-4) == h {f=1} END {exit !f}' && return 0
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    return 1
}
pick_port() { # exclude
    local p i
    for i in $(seq 1 200); do
        p=$(( 10000 + (RANDOM * 32768 + RANDOM) % 22000 ))   # below ephemeral range
        [ "$p" = "${1:-0}" ] && continue
        [ "$p" = "$(( ${1:-0} + 1 ))" ] && continue
        port_used "$p" || { echo "$p"; return 0; }
    done
    return 1
}
CTLD_PORT="${SLURM_LOCAL_CTLD_PORT:-$(pick_port)}" || fail "no free port"
SLURMD_PORT="${SLURM_LOCAL_SLURMD_PORT:-$(pick_port "$CTLD_PORT")}" || fail "no free port"

# ---------------------------------------------------------------- munge
if [ ! -s "$MUNGE_KEY" ]; then
    if command -v mungekey >/dev/null 2>&1; then
        mungekey --create --keyfile="$MUNGE_KEY" >/dev/null 2>&1 || \
            dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
    else
        dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
    fi
fi
chmod 0400 "$MUNGE_KEY"
rm -f "$MUNGE_SOCK" "$MUNGE_SOCK.lock"

# --force: munged refuses to run as root / with lax directory perms otherwise.
munged --force --socket="$MUNGE_SOCK" --key-file="$MUNGE_KEY" \
       --pid-file="$MUNGE_PID" --log-file="$LOGDIR/munged.log" \
       --seed-file="$MUNGE_DIR/munged.seed" >"$LOGDIR/munged.stderr" 2>&1 \
    || { cat "$LOGDIR/munged.stderr" >> "$LOGDIR/munged.log" 2>/dev/null; refuse munged "$LOGDIR/munged.log"; }
ok=""
for _ in $(seq 1 50); do
    if [ -S "$MUNGE_SOCK" ] && munge -n --socket="$MUNGE_SOCK" 2>/dev/null | \
            unmunge --socket="$MUNGE_SOCK" >/dev/null 2>&1; then
        ok=1; break
    fi
    sleep 0.1
done
[ -n "$ok" ] || refuse munged "$LOGDIR/munged.log"

# ---------------------------------------------------------------- slurm.conf
cat > "$CONF" <<EOF
# Generated by tools/slurm/start_local_slurm.sh -- private single-node cluster.
ClusterName=benchtop
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCK

StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info

# No cgroups needed (containers often cannot write them).
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true

# No slurmdbd: job records go to a text file that 'sacct --completion' reads.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/jobcomp.txt

SchedulerType=sched/backfill
# React quickly (tests): no batch submit delay, frequent scheduling passes.
SchedulerParameters=batch_sched_delay=0,sched_interval=2,bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Finished jobs stay visible to squeue/scontrol for this long (seconds).
MinJobAge=600
KillWait=5
InactiveLimit=0
Waittime=0
SlurmctldTimeout=30
SlurmdTimeout=60
MaxArraySize=10001

NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$NODE CPUs=$CPUS RealMemory=$REALMEM State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF

# Some slurm builds read cgroup.conf even with non-cgroup plugins; keep a
# harmless one next to slurm.conf (looked up in the same directory).
cat > "$STATE/cgroup.conf" <<EOF
CgroupPlugin=autodetect
ConstrainCores=no
ConstrainRAMSpace=no
ConstrainDevices=no
EOF

cat > "$STATE/env.sh" <<EOF
export SLURM_CONF=$CONF
EOF

export SLURM_CONF="$CONF"

# ---------------------------------------------------------------- daemons
# Both daemonise themselves (own session) and write their pid files.
slurmctld -f "$CONF" >"$LOGDIR/slurmctld.stderr" 2>&1 || refuse slurmctld "$LOGDIR/slurmctld.log"
for i in $(seq 1 100); do
    scontrol ping 2>/dev/null | grep -q UP && break
    pid_alive "$CTLD_PID" slurmctld || [ "$i" -lt 20 ] || refuse slurmctld "$LOGDIR/slurmctld.log"
    sleep 0.2
done
scontrol ping 2>/dev/null | grep -q UP || {
    pid_alive "$CTLD_PID" slurmctld || refuse slurmctld "$LOGDIR/slurmctld.log"
    fail "slurmctld does not answer ping"
}

slurmd -f "$CONF" -N "$NODE" >"$LOGDIR/slurmd.stderr" 2>&1 || refuse slurmd "$LOGDIR/slurmd.log"

WAIT_S="${SLURM_LOCAL_WAIT_S:-60}"
start=$SECONDS
state=""
resumed=""
while :; do
    state="$(sinfo -h -N -n "$NODE" -o '%T' 2>/dev/null | head -n 1)"
    case "$state" in
        idle|mixed|allocated) break ;;
    esac
    if [ $(( SECONDS - start )) -ge 3 ] && ! pid_alive "$SLURMD_PID" slurmd; then
        refuse slurmd "$LOGDIR/slurmd.log"
    fi
    pid_alive "$CTLD_PID" slurmctld || fail "slurmctld died"
    # A node left down/drained from a previous run in this STATE_DIR.
    if [ -z "$resumed" ] && [ $(( SECONDS - start )) -ge 5 ]; then
        case "$state" in down*|drain*|*drain)
            scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1; resumed=1 ;;
        esac
    fi
    [ $(( SECONDS - start )) -ge "$WAIT_S" ] && \
        fail "node $NODE not idle after ${WAIT_S}s (state: ${state:-none}); $(scontrol show node "$NODE" 2>/dev/null | grep -o 'Reason=.*')"
    sleep 0.5
done

log "up: node=$NODE cpus=$CPUS mem=${REALMEM}M ctld_port=$CTLD_PORT slurmd_port=$SLURMD_PORT state=$state (${SECONDS}s)"
cat "$STATE/env.sh"
exit 0
