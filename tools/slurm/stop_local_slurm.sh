#!/usr/bin/env bash
# Stop the private Slurm cluster started by start_local_slurm.sh STATE_DIR.
# Cancels remaining jobs, then stops slurmd, slurmctld and munged using the
# pid files in STATE_DIR (only those processes), waiting for each to exit.
# Safe to call when nothing (or only part) is running.  Exit 0 unless a
# daemon could not be stopped even with SIGKILL.
set -u
export PATH="$PATH:/usr/sbin:/sbin"

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 STATE_DIR" >&2
    exit 1
fi
[ -d "$1" ] || exit 0
STATE="$(cd "$1" && pwd -P)"
log() { echo "stop_local_slurm: $*" >&2; }

pid_of() { # pidfile name -> prints pid if that daemon is alive
    local p
    [ -s "$1" ] || return 1
    p="$(cat "$1" 2>/dev/null)"
    [ -n "$p" ] && kill -0 "$p" 2>/dev/null && \
        grep -q "$2" "/proc/$p/comm" 2>/dev/null && echo "$p"
}

# Wait for a signalled daemon; SIGKILL after timeout_s.
wait_gone() { # pid name pidfile timeout_s
    for _ in $(seq 1 $(( $4 * 10 ))); do
        kill -0 "$1" 2>/dev/null || { rm -f "$3"; return 0; }
        sleep 0.1
    done
    log "$2 (pid $1) ignored SIGTERM for $4s; sending SIGKILL"
    kill -KILL "$1" 2>/dev/null
    for _ in $(seq 1 50); do
        kill -0 "$1" 2>/dev/null || { rm -f "$3"; return 0; }
        sleep 0.1
    done
    log "could not stop $2 (pid $1)"
    return 1
}

rc=0
if [ -f "$STATE/slurm.conf" ] && pid_of "$STATE/slurmctld.pid" slurmctld >/dev/null; then
    export SLURM_CONF="$STATE/slurm.conf"
    # Cancel whatever is still queued/running so no slurmstepd/job outlives us.
    if [ -n "$(squeue -h -o %A 2>/dev/null | head -n 1)" ]; then
        scancel --full --user=root >/dev/null 2>&1
        for _ in $(seq 1 40); do
            [ -z "$(squeue -h -o %A 2>/dev/null | head -n 1)" ] && break
            sleep 0.25
        done
    fi
fi
# slurmd and slurmctld shut down in parallel (each takes ~2 s), munged last
# because both authenticate through it until they exit.
D_PID="$(pid_of "$STATE/slurmd.pid" slurmd)" && kill -TERM "$D_PID" 2>/dev/null
C_PID="$(pid_of "$STATE/slurmctld.pid" slurmctld)" && kill -TERM "$C_PID" 2>/dev/null
[ -n "$D_PID" ] && { wait_gone "$D_PID" slurmd "$STATE/slurmd.pid" 15 || rc=1; }
[ -n "$C_PID" ] && { wait_gone "$C_PID" slurmctld "$STATE/slurmctld.pid" 15 || rc=1; }
M_PID="$(pid_of "$STATE/munge/munged.pid" munged)" && kill -TERM "$M_PID" 2>/dev/null
[ -n "$M_PID" ] && { wait_gone "$M_PID" munged "$STATE/munge/munged.pid" 10 || rc=1; }
[ "$rc" = 0 ] && rm -f "$STATE/slurmd.pid" "$STATE/slurmctld.pid" "$STATE/munge/munged.pid"
rm -f "$STATE/munge/munge.socket" "$STATE/munge/munge.socket.lock"
exit $rc
