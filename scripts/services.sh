#!/usr/bin/env bash
# services.sh: install (apt, only what is missing) and start (only what is not answering) the
# services Joinery's tests need on Debian 12 without systemd. Safe to re-run; never restarts
# or stops a running daemon.
#   MariaDB on 127.0.0.1:3306, user root, empty password over TCP
#   Docker engine on /var/run/docker.sock, with the local test image lab/busybox:1 (docker import
#   of busybox-static: there is no image registry here)
#   Chromium + Xvfb for Playwright
#   PostgreSQL 15 on 127.0.0.1:5432, user postgres, trusted over TCP from 127.0.0.1 (test cluster only)
#   Slurm 22.05 (slurmctld + slurmd, munge) as a one-node cluster with partition `debug`
# Usage: bash scripts/services.sh [all|install|start|check]   (default: all)
set -euo pipefail

PHASE="${1:-all}"
TIMEOUT="${JOINERY_SERVICES_TIMEOUT:-90}"
LOGDIR="${JOINERY_SERVICES_LOGDIR:-/var/log/joinery-services}"
TEST_IMAGE="lab/busybox:1"
export DEBIAN_FRONTEND=noninteractive

say() { printf '[services %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { echo "services.sh: $*" >&2; exit 1; }

missing_packages() {
  local p; for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
  done
}

APT_UPDATED=0
apt_install() { # apt_install LABEL pkg...
  local label="$1"; shift
  local missing; missing="$(missing_packages "$@")"
  [ -z "$missing" ] && return 0
  [ "$APT_UPDATED" = 1 ] || { apt-get update -qq; APT_UPDATED=1; }
  # no systemd here: keep package scripts from starting daemons; we start them ourselves
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  say "$label: installing $missing"
  # shellcheck disable=SC2086
  if ! apt-get install -y -qq --no-install-recommends $missing >"$LOGDIR/apt-$label.log" 2>&1; then
    [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    tail -30 "$LOGDIR/apt-$label.log" >&2; die "apt-get install $missing failed"
  fi
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

install_all() {
  apt_install mariadb mariadb-server mariadb-client
  apt_install docker docker.io busybox-static
  apt_install browser chromium xvfb xauth fonts-liberation
  apt_install postgresql postgresql
  apt_install slurm slurm-wlm munge
  apt_install workflows snakemake
}

wait_until() { # wait_until DESCRIPTION CMD...
  local what="$1"; shift; local i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -lt "$((TIMEOUT * 2))" ] || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

mysql_tcp_ok() { mariadb --protocol=tcp -h127.0.0.1 -P3306 -uroot --password= -e 'SELECT 1' >/dev/null 2>&1; }
mysql_socket_ok() { mariadb-admin --protocol=socket --socket=/run/mysqld/mysqld.sock -uroot ping >/dev/null 2>&1; }

start_mariadb() {
  install -d -o mysql -g mysql -m 0755 /run/mysqld
  if mysql_tcp_ok || mysql_socket_ok; then :
  elif alive /run/mysqld/mysqld.pid; then
    wait_until "mariadbd" mysql_socket_ok || { tail -30 "$LOGDIR/mariadbd.log" >&2; exit 1; }
  else
    [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >"$LOGDIR/mariadb-install-db.log" 2>&1
    setsid nohup /usr/sbin/mariadbd --user=mysql >>"$LOGDIR/mariadbd.log" 2>&1 < /dev/null &
    wait_until "mariadbd" mysql_socket_ok || { tail -30 "$LOGDIR/mariadbd.log" >&2; exit 1; }
  fi
  if ! mysql_tcp_ok; then
    # Debian's root@localhost logs in by unix socket only; tests connect over TCP with no password
    mariadb --protocol=socket --socket=/run/mysqld/mysqld.sock -uroot <<'SQL'
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED VIA mysql_native_password USING PASSWORD('');
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
  fi
  wait_until "MariaDB root@127.0.0.1:3306" mysql_tcp_ok
  say "mariadb: $(mariadb --protocol=tcp -h127.0.0.1 -uroot -N -e 'SELECT VERSION()')"
}

DOCKER=/usr/bin/docker; [ -x "$DOCKER" ] || DOCKER="$(command -v docker || echo docker)"
docker_ok() { "$DOCKER" info >/dev/null 2>&1; }

build_test_image() {
  "$DOCKER" image inspect "$TEST_IMAGE" >/dev/null 2>&1 && return 0
  local root; root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev" "$root/joinery"
  chmod 1777 "$root/tmp"
  cp "$(command -v busybox || echo /bin/busybox)" "$root/bin/busybox"
  local applet; for applet in $("$root/bin/busybox" --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  tar -C "$root" -c . | "$DOCKER" import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' - "$TEST_IMAGE" >/dev/null
  rm -rf "$root"
  say "docker: built $TEST_IMAGE from busybox-static"
}

start_docker() {
  if docker_ok; then :
  elif alive /var/run/docker.pid; then
    wait_until "dockerd" docker_ok || { tail -40 "$LOGDIR/dockerd.log" >&2; exit 1; }
  else
    # a killed daemon leaves its socket and pid files behind, which block a new one
    rm -f /var/run/docker.sock /var/run/docker.pid /var/run/docker/containerd/containerd.pid
    setsid nohup "$(command -v dockerd || echo /usr/sbin/dockerd)" >>"$LOGDIR/dockerd.log" 2>&1 < /dev/null &
    wait_until "dockerd" docker_ok || { tail -40 "$LOGDIR/dockerd.log" >&2; exit 1; }
  fi
  build_test_image
  [ "$("$DOCKER" run --rm --network none "$TEST_IMAGE" sh -c 'echo ok')" = ok ] || die "docker smoke run of $TEST_IMAGE failed"
  say "docker: $("$DOCKER" version --format '{{.Server.Version}}'), $TEST_IMAGE runs"
}

PG_VERSION=15
pg_ok() { psql "postgresql://postgres@127.0.0.1:5432/postgres" -Atc 'SELECT 1' >/dev/null 2>&1; }

start_postgres() {
  local conf="/etc/postgresql/$PG_VERSION/main"
  [ -d "$conf" ] || pg_createcluster "$PG_VERSION" main >"$LOGDIR/pg-createcluster.log" 2>&1
  # the tests log in as postgres over TCP without a password: trust 127.0.0.1 (this test cluster only)
  if ! grep -q '^host all postgres 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$conf/pg_hba.conf"
    pg_ctlcluster "$PG_VERSION" main reload >/dev/null 2>&1 || true
  fi
  if ! pg_ok; then
    pg_ctlcluster "$PG_VERSION" main start >>"$LOGDIR/postgres.log" 2>&1 || true
    wait_until "PostgreSQL postgres@127.0.0.1:5432" pg_ok || { tail -30 "/var/log/postgresql/postgresql-$PG_VERSION-main.log" >&2; exit 1; }
  fi
  say "postgres: $(psql "postgresql://postgres@127.0.0.1:5432/postgres" -Atc 'SHOW server_version')"
}

munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
slurm_ok() { sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; }

write_slurm_conf() {
  local host mem; host="$(hostname)"; mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))
  mkdir -p /etc/slurm
  cat > /etc/slurm/slurm.conf <<CONF
# one-node test cluster written by Joinery's scripts/services.sh (joinery-slurm-conf v2)
ClusterName=joinery
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# without a default, a job that names no memory gets the whole node and jobs run one at a time
DefMemPerCPU=512
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
MinJobAge=3600
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
MaxArraySize=100001
MaxJobCount=200000
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start_slurm() {
  mkdir -p /etc/munge /var/run/munge /var/log/munge /var/lib/munge /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  [ -f /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
  chown -R munge:munge /etc/munge /var/run/munge /var/log/munge /var/lib/munge; chmod 400 /etc/munge/munge.key
  munge_ok || { su -s /bin/sh munge -c /usr/sbin/munged; wait_until "munged" munge_ok; }
  if ! grep -q "SlurmctldHost=$(hostname)\$" /etc/slurm/slurm.conf 2>/dev/null || ! grep -q 'joinery-slurm-conf v2' /etc/slurm/slurm.conf; then
    write_slurm_conf
    pgrep -x slurmctld >/dev/null && scontrol reconfigure >/dev/null 2>&1 || true
  fi
  # -c: a test cluster starts empty. Without it slurmctld restores the jobs of its last run, which a
  # stopped machine left "running" with no process behind them, holding the node until their time limit.
  pgrep -x slurmctld >/dev/null || /usr/sbin/slurmctld -c >>"$LOGDIR/slurmctld.log" 2>&1
  pgrep -x slurmd >/dev/null || /usr/sbin/slurmd >>"$LOGDIR/slurmd.log" 2>&1
  wait_until "slurm node idle (sinfo)" slurm_ok || { tail -20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2; exit 1; }
  say "slurm: $(sinfo -V), partition $(sinfo -h -o '%P %T' | head -1)"
}

check() {
  local bad=0
  mysql_tcp_ok || { echo "MariaDB does not answer on 127.0.0.1:3306 as root with an empty password" >&2; bad=1; }
  docker_ok || { echo "Docker does not answer on /var/run/docker.sock" >&2; bad=1; }
  [ -x /usr/bin/chromium ] || { echo "Chromium is not installed at /usr/bin/chromium" >&2; bad=1; }
  pg_ok || { echo "PostgreSQL does not answer on 127.0.0.1:5432 as postgres (trust)" >&2; bad=1; }
  slurm_ok || { echo "Slurm (slurmctld + slurmd) is not running: sinfo shows no idle node" >&2; bad=1; }
  return $bad
}

[ "$PHASE" = check ] && { check; exit $?; }
[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts daemons)"
mkdir -p "$LOGDIR"
case "$PHASE" in
  install) install_all ;;
  start) start_mariadb; start_docker; start_postgres; start_slurm ;;
  all) install_all; start_mariadb; start_docker; start_postgres; start_slurm ;;
  *) echo "usage: $0 [all|install|start|check]" >&2; exit 2 ;;
esac
