#!/usr/bin/env bash
# Stop the cluster that up.sh started, by its pid files (slurmd, slurmctld, munged), wait for them to exit, and
# remove the /etc/slurm/slurm.conf that up.sh created.
set -uo pipefail
DIR=${HFTC_SLURM_DIR:-/tmp/hftc-annot-slurm}
for daemon in slurmd slurmctld munged; do
    pidfile=$DIR/$daemon.pid
    [ -s "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
    rm -f "$pidfile"
done
if [ -e "$DIR/created-slurm.conf" ]; then
    rm -f /etc/slurm/slurm.conf "$DIR/created-slurm.conf"
fi
