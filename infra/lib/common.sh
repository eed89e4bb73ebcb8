# shellcheck shell=bash
# Shared helpers for infra/bin/*. Sourced, never executed.
#
# Sets: INFRA_DIR, REPO_ROOT, CACHE_DIR, MACHINE_CACHE_DIR, SECANTUS_VERSION, SECANTUS_BIN,
# ZIPKIN_VERSION, ZIPKIN_JAR,
# INFRA_DATA_DIR (absolute).

_common_src=$(readlink -f "${BASH_SOURCE[0]}")
INFRA_DIR=$(cd "$(dirname "$_common_src")/.." && pwd -P)
REPO_ROOT=$(cd "$INFRA_DIR/.." && pwd -P)
# shellcheck disable=SC2034 # used by the scripts that source this file
CACHE_DIR="$REPO_ROOT/.cache"
unset _common_src

# What is slow to build is cached per machine, not per clone, so a second clone finds it:
# the MongoDB-wire server takes ~8 minutes of cargo on 2 cores.
MACHINE_CACHE_DIR=${SHOP_MACHINE_CACHE:-"${XDG_CACHE_HOME:-$HOME/.cache}/shop-platform"}
# The pinned SecantusDB server (crates.io package secantus-mdb); one directory per version, so a
# changed pin builds anew and the old build stays usable by clones that still pin it.
SECANTUS_VERSION=0.5.3-beta.196
# shellcheck disable=SC2034 # used by the scripts that source this file
SECANTUS_BIN="$MACHINE_CACHE_DIR/secantusd-rs/$SECANTUS_VERSION/bin/secantusd-rs"

# The pinned Zipkin server (Maven Central io.zipkin:zipkin-server, classifier exec), cached per clone.
ZIPKIN_VERSION=3.5.1
# shellcheck disable=SC2034 # used by the scripts that source this file
ZIPKIN_JAR="$CACHE_DIR/zipkin/zipkin-server-$ZIPKIN_VERSION-exec.jar"

INFRA_DATA_DIR=${INFRA_DATA_DIR:-"$REPO_ROOT/.data/dev"}
case $INFRA_DATA_DIR in
  /*) ;;
  *) INFRA_DATA_DIR="$PWD/$INFRA_DATA_DIR" ;;
esac
export INFRA_DATA_DIR

log() { printf '%s\n' "$*"; }
err() { printf '%s\n' "$*" >&2; }
die() { err "$*"; exit 1; }

# Milliseconds since the epoch (GNU date; falls back to whole seconds).
now_ms() {
  local ns
  ns=$(date +%s%N)
  if [[ $ns == *N ]]; then echo $(($(date +%s) * 1000)); else echo $((ns / 1000000)); fi
}

# elapsed_since T0_MS: "1.234s"
elapsed_since() {
  local d=$(($(now_ms) - $1))
  printf '%d.%03ds' $((d / 1000)) $((d % 1000))
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    cat "$@" | sha256sum | cut -d' ' -f1
  else
    cat "$@" | shasum -a 256 | cut -d' ' -f1
  fi
}

# Command line of a live process, or nothing.
proc_cmdline() {
  local pid=$1
  if [[ -r /proc/$pid/cmdline ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true
  else
    ps -o args= -p "$pid" 2>/dev/null || true
  fi
}

# pid_alive PIDFILE MARKER: prints the pid and returns 0 when the pid file
# names a live process whose command line contains MARKER (guards against a
# recycled pid). A stale pid file is removed.
pid_alive() {
  local pidfile=$1 marker=$2 pid cmd
  [[ -f $pidfile ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    cmd=$(proc_cmdline "$pid")
    if [[ $cmd == *"$marker"* ]]; then
      printf '%s\n' "$pid"
      return 0
    fi
  fi
  rm -f "$pidfile"
  return 1
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# launch PIDFILE LOGFILE CMD...: start CMD detached (own session, stdin from
# /dev/null, stdout+stderr appended to LOGFILE) and record its pid.
launch() {
  local pidfile=$1 logfile=$2
  shift 2
  # shellcheck disable=SC2016 # expanded by the inner bash
  local wrapper=(bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@")
  rm -f "$pidfile"
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid "${wrapper[@]}" </dev/null >>"$logfile" 2>&1 9>&- &
  else
    nohup "${wrapper[@]}" </dev/null >>"$logfile" 2>&1 9>&- &
  fi
  # The wrapper writes the pid file before exec'ing CMD (pid is preserved).
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  die "failed to launch: $*"
}

# stop_pid NAME PIDFILE MARKER: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
  local name=$1 pidfile=$2 marker=$3 pid i
  if ! pid=$(pid_alive "$pidfile" "$marker"); then
    log "$name: not running"
    rm -f "$pidfile"
    return 0
  fi
  log "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    err "$name: still alive after 30 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$pidfile"
  log "$name: stopped"
}

# with_lock LOCKFILE CMD...: run CMD holding an exclusive lock on fd 9 (if
# flock exists). `launch` closes fd 9 so that servers do not inherit the lock.
with_lock() {
  local lockfile=$1
  shift
  if command -v flock >/dev/null 2>&1; then
    mkdir -p "$(dirname "$lockfile")"
    (
      flock -x 9
      "$@"
    ) 9>"$lockfile"
  else
    "$@"
  fi
}
