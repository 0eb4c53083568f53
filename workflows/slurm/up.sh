#!/usr/bin/env bash
# Bring up a one-node SLURM cluster on this machine, for tests: munged, slurmctld and slurmd, as root, with no
# accounting database, no systemd and no cgroups. Needs Debian's slurmctld slurmd slurm-client munge.
# State, logs and pid files go to $HFTC_SLURM_DIR (default /tmp/hftc-annot-slurm); down.sh stops it. The
# configuration is written to /etc/slurm/slurm.conf, where clients and job steps (srun inside a job) look for it;
# an existing one is never replaced: then this script stops.
# Finished jobs are recorded in $HFTC_SLURM_DIR/jobcomp.txt (jobcomp/filetxt: id, name, state, TRES, limits).
set -euo pipefail
DIR=${HFTC_SLURM_DIR:-/tmp/hftc-annot-slurm}
NODE=$(hostname -s)
CPUS=$(nproc)
MEMORY_MB=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
CONF=/etc/slurm/slurm.conf
if [ -e "$CONF" ] && [ ! -e "$DIR/created-slurm.conf" ]; then
    echo "$CONF exists: not replacing a SLURM configuration of this machine" >&2
    exit 1
fi
mkdir -p "$DIR/state" "$DIR/spool" /run/munge /etc/munge /etc/slurm
touch "$DIR/created-slurm.conf"
chown munge:munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom bs=1024 count=1 status=none > /etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
fi
cat > "$CONF" <<CONF
ClusterName=hftc
SlurmctldHost=$NODE
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp.txt
MinJobAge=300
ReturnToService=2
SlurmdTimeout=60
NodeName=$NODE CPUs=$CPUS RealMemory=$MEMORY_MB State=UNKNOWN
PartitionName=main Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
if ! pgrep -x munged >/dev/null; then  # a running munged (the machine's own) is used as it is
    su -s /bin/sh munge -c munged
    cp /run/munge/munged.pid "$DIR/munged.pid"
fi
slurmctld
slurmd
for _ in $(seq 60); do
    if sinfo -h -o %T 2>/dev/null | grep -qx idle; then
        echo "SLURM is up: node $NODE, $CPUS CPUs, $MEMORY_MB MB"
        exit 0
    fi
    sleep 0.5
done
echo "SLURM did not come up; see $DIR/slurmctld.log and $DIR/slurmd.log" >&2
exit 1
