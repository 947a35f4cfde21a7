#!/usr/bin/env bash
# Self-test for the local single-node Slurm harness.
# Starts a cluster in a temp dir, runs real jobs (plain, array, afterok
# dependency, failed-task resubmission, scancel), restarts it in the same
# STATE_DIR, stops it.  Exit 0 = all passed, 77 = Slurm cannot run here,
# 1 = a check failed.  Should finish well under 2 minutes.
set -u
case "${BASH_SOURCE[0]}" in */*) HERE="${BASH_SOURCE[0]%/*}" ;; *) HERE=. ;; esac
HERE="$(cd "$HERE" && pwd)"
export PATH="$PATH:/usr/sbin:/sbin"

T0=$SECONDS
STATE="$(mktemp -d /tmp/bt-slurm.XXXXXX)"
JOBS="$STATE/jobs"
FAILED=0
STEP_T=$SECONDS

cleanup() {
    "$HERE/stop_local_slurm.sh" "$STATE" || echo "selftest: stop_local_slurm failed" >&2
    if [ "$FAILED" = 0 ]; then rm -rf "$STATE"; else echo "selftest: state kept in $STATE" >&2; fi
}
trap cleanup EXIT

say() { printf '[%5.1fs] %s\n' "$(( SECONDS - T0 ))" "$*"; }
step() { STEP_T=$SECONDS; say "== $*"; }
pass() { say "PASS $* ($(( SECONDS - STEP_T ))s)"; }
die() {
    FAILED=1
    say "FAIL: $*"
    squeue -t all -r -o '%.12i %.8A %.10T %.20r' 2>/dev/null
    for f in "$STATE/log/slurmctld.log" "$STATE/log/slurmd.log"; do
        [ -s "$f" ] && { echo "----- tail $f"; tail -n 20 "$f"; }
    done
    exit 1
}

# Non-empty while any job/task of $1 is pending/running/completing.
active() { squeue -h -r -j "$1" -o '%i' 2>/dev/null; }
wait_done() { # jobid timeout_s
    local end=$(( SECONDS + $2 ))
    while [ -n "$(active "$1")" ]; do
        [ $SECONDS -ge $end ] && die "job $1 still active after $2s"
        sleep 0.3
    done
}
# "task state" lines of an (array) job, from slurmctld memory (MinJobAge).
states() { squeue -h -r -t all -j "$1" -o '%i %T' 2>/dev/null | sort; }
state_of() { squeue -h -t all -j "$1" -o '%T' 2>/dev/null | head -n 1; }
raw_id_of() { squeue -h -t all -j "$1" -o '%A' 2>/dev/null | head -n 1; }
wait_state() { # jobid state timeout_s
    local end=$(( SECONDS + $3 ))
    while [ "$(state_of "$1")" != "$2" ]; do
        [ $SECONDS -ge $end ] && die "job $1 not $2 after $3s (is: $(state_of "$1"))"
        sleep 0.2
    done
}

# ------------------------------------------------------------------ start
step "start cluster in $STATE"
out="$("$HERE/start_local_slurm.sh" "$STATE")"
rc=$?
if [ $rc = 77 ]; then trap - EXIT; rm -rf "$STATE"; echo "selftest: SKIP (Slurm unavailable)"; exit 77; fi
[ $rc = 0 ] || die "start_local_slurm.sh exit $rc"
eval "$out"
[ -n "${SLURM_CONF:-}" ] || die "start script did not print SLURM_CONF"
sinfo
pass "cluster up"
cd "$JOBS" || die "no jobs dir"

# ------------------------------------------------------------------ 1
step "1: sbatch --wait --wrap 'echo hello'"
j="$(timeout 60 sbatch --parsable --wait -o hello.out --wrap 'echo hello')" || die "sbatch --wait failed"
[ "$(cat hello.out 2>/dev/null)" = hello ] || die "hello.out: '$(cat hello.out 2>/dev/null)'"
[ "$(state_of "$j")" = COMPLETED ] || die "job $j state $(state_of "$j")"
pass "job $j COMPLETED, output 'hello'"

# ------------------------------------------------------------------ 2 + 3
step "2: 3-task array + 3: afterok dependent job"
A="$(sbatch --parsable --array=0-2 -o /dev/null \
     --wrap 'echo $SLURM_ARRAY_TASK_ID > out_$SLURM_ARRAY_TASK_ID; sleep 2')" || die "array sbatch"
D="$(sbatch --parsable --dependency=afterok:"$A" -o dep.out \
     --wrap 'cat out_0 out_1 out_2 | tr "\n" " "; date +%s.%N > dep.start')" || die "dependent sbatch"
sleep 0.5
[ "$(state_of "$D")" = PENDING ] || die "dependent job $D not pending while array runs ($(state_of "$D"))"
say "array $A submitted; dependent $D pending (reason $(squeue -h -j "$D" -o %r))"
wait_done "$A" 60
for i in 0 1 2; do
    [ "$(cat out_$i 2>/dev/null)" = "$i" ] || die "out_$i missing/wrong"
done
[ "$(states "$A" | awk '{print $2}' | sort -u)" = COMPLETED ] || die "array states: $(states "$A")"
pass "array $A: $(states "$A" | tr '\n' ' ')"
step "3: dependent job $D"
wait_done "$D" 30
[ "$(state_of "$D")" = COMPLETED ] || die "dependent job state $(state_of "$D")"
[ "$(cat dep.out)" = "0 1 2 " ] || die "dep.out: '$(cat dep.out)'"
pass "dependent $D ran after array and saw all outputs"

# ------------------------------------------------------------------ 4
step "4: failing array task, status, resubmit alone"
WRAP='if [ "$SLURM_ARRAY_TASK_ID" = 1 ] && [ ! -e fixed ]; then exit 1; fi; echo ok > f_$SLURM_ARRAY_TASK_ID'
F="$(sbatch --parsable --array=0-2 -o /dev/null --wrap "$WRAP")" || die "sbatch fail-array"
N="$(sbatch --parsable --dependency=afterok:"$F" -o /dev/null --wrap 'true')" || die "sbatch never-dep"
wait_done "$F" 60
[ "$(state_of "${F}_1")" = FAILED ] || die "task ${F}_1 is '$(state_of "${F}_1")', want FAILED ($(states "$F"))"
[ "$(state_of "${F}_0")" = COMPLETED ] && [ "$(state_of "${F}_2")" = COMPLETED ] || die "other tasks: $(states "$F")"
say "squeue -t all: $(states "$F" | tr '\n' ' ')"
# Durable record: jobcomp/filetxt via 'sacct --completion' (raw job ids).
R1="$(raw_id_of "${F}_1")"
sc="$(sacct -c -n -P -j "$R1" -o JobID,State,ExitCode 2>/dev/null)"
[ "$sc" = "$R1|FAILED|1:0" ] || die "sacct -c -j $R1 gave '$sc'"
say "sacct -c -j $R1 (=${F}_1): $sc"
grep -q "ArrayJobId=$F ArrayTaskId=1 .*ExitCode=1:0" "$STATE/jobcomp.txt" || die "jobcomp.txt lacks ${F}_1"
# A job depending afterok on the failed array can never run.
end=$(( SECONDS + 15 ))
until r="$(squeue -h -j "$N" -o '%T %r')"; [ "$r" = "PENDING DependencyNeverSatisfied" ]; do
    [ $SECONDS -ge $end ] && die "afterok on failed array: '$r'"
    sleep 0.3
done
scancel "$N"
say "afterok job on failed array: $r (cancelled)"
touch fixed
F2="$(sbatch --parsable --array=1 -o /dev/null --wrap "$WRAP")" || die "resubmit"
wait_done "$F2" 30
[ "$(states "$F2")" = "${F2}_1 COMPLETED" ] || die "resubmitted: $(states "$F2")"
[ "$(cat f_1 2>/dev/null)" = ok ] || die "f_1 not written by resubmitted task"
pass "${F}_1 FAILED, resubmitted as ${F2}_1 COMPLETED"

# ------------------------------------------------------------------ 5
step "5: scancel a running array task"
C="$(sbatch --parsable --array=0-1 -o /dev/null --wrap 'sleep 300')" || die "sbatch sleep array"
wait_state "${C}_0" RUNNING 20
wait_state "${C}_1" RUNNING 20
scancel "${C}_0"
wait_state "${C}_0" CANCELLED 20
[ "$(state_of "${C}_1")" = RUNNING ] || die "${C}_1 should still run: $(state_of "${C}_1")"
scancel "$C"
wait_done "$C" 20
[ "$(states "$C" | awk '{print $2}' | sort -u)" = CANCELLED ] || die "after scancel: $(states "$C")"
pass "${C}_0 cancelled alone, then whole array: $(states "$C" | tr '\n' ' ')"

# ------------------------------------------------------------------ 6
step "6: stop, restart in same STATE_DIR, run a job, (stop on exit)"
"$HERE/stop_local_slurm.sh" "$STATE" || die "stop failed"
for pf in slurmd.pid slurmctld.pid munge/munged.pid; do
    [ -e "$STATE/$pf" ] && die "$pf left behind"
done
out="$("$HERE/start_local_slurm.sh" "$STATE")" || die "restart failed"
eval "$out"
j="$(timeout 60 sbatch --parsable --wait -o again.out --wrap 'echo again')" || die "sbatch after restart"
[ "$(cat again.out)" = again ] || die "again.out"
pass "restart ok, job $j COMPLETED"

say "ALL PASSED in $(( SECONDS - T0 ))s"
exit 0
