#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 from the project's own Maven dependencies: one master and
# N workers (default 2), each its own JVM, for trying seqloss on separate JVMs and for the cluster tests.
#
#   cluster/standalone.sh start [--workers N] [--worker-cores C] [--worker-memory MEM] [--port PORT]
#                               [--ttl SECONDS] [--owner PID]
#   cluster/standalone.sh status        # the master URL and every process with its PID; exit 0 if all run
#   cluster/standalone.sh url           # prints the master URL (spark://127.0.0.1:PORT)
#   cluster/standalone.sh kill-worker I # SIGKILLs worker I and the executors it launched (a lost node)
#   cluster/standalone.sh stop          # stops everything start started, by PID
#
# Nothing is downloaded: the jars of target/spark-classpath-3.5.txt (built by `mvn package`) are linked into
# a SPARK_HOME layout under target/spark-home, which is what a worker's launcher needs to start
# executors (it puts $SPARK_HOME/jars/* and $SPARK_HOME/conf on their classpath). --port 0 (the
# default) lets the OS choose a free port; the URL is read from the master's log. --ttl and --owner
# bound the cluster's life: a watchdog stops it after SECONDS, or as soon as process PID is gone.
#
# State, logs and the workers' directories (executors' stdout/stderr) are in $SEQLOSS_CLUSTER_DIR,
# default target/cluster. Each daemon leads its own process group, so stopping a worker also ends
# the executors it launched. SEQLOSS_SPARK_LINE=4.2 makes it a Spark 4.2 cluster (from `mvn -Pspark-4 package`).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${SEQLOSS_CLUSTER_DIR:-$HERE/target/cluster}"
SPARK_HOME_DIR="$HERE/target/spark-home"
HOST=127.0.0.1
START_TIMEOUT=90
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
LINE="${SEQLOSS_SPARK_LINE:-3.5}"
case "$LINE" in
  3.5) SCALA=2.12; PROFILE=spark-3.5 ;;
  4.2) SCALA=2.13; PROFILE=spark-4 ;;
  *) echo "standalone.sh: SEQLOSS_SPARK_LINE is '$LINE'; expected 3.5 or 4.2" >&2; exit 2 ;;
esac

die() { echo "standalone.sh: $*" >&2; exit 2; }
log() { echo "standalone.sh: $*" >&2; }

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
# Whether a PID is still one of ours: a PID file may outlive its process, and the PID be reused.
ours() { alive "$1" && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$HERE/"; }
pid_of() { cat "$STATE/$1.pid" 2>/dev/null || true; }
daemons() { (cd "$STATE" 2>/dev/null && ls -1 master.pid worker-*.pid 2>/dev/null | sed 's/\.pid$//') || true; }

# Links the provided-scope jars (Spark and its dependencies) into target/spark-home/jars.
assemble_spark_home() {
  local classpath="$HERE/target/spark-classpath-$LINE.txt"
  if [[ ! -f "$classpath" ]]; then
    log "building (mvn -P$PROFILE package -DskipTests) for target/spark-classpath-$LINE.txt ..."
    (cd "$HERE" && mvn -q -B -DskipTests "-P$PROFILE" package >&2) || { log "build failed"; exit 1; }
  fi
  rm -rf "$SPARK_HOME_DIR"
  mkdir -p "$SPARK_HOME_DIR/jars" "$SPARK_HOME_DIR/conf"
  local jar
  while IFS= read -r jar; do
    [[ -n "$jar" ]] && ln -s "$jar" "$SPARK_HOME_DIR/jars/$(basename "$jar")"
  done < <(tr ':' '\n' < "$classpath")
  cp "$HERE/cluster/log4j2.properties" "$SPARK_HOME_DIR/conf/log4j2.properties"
}

# Starts one daemon as the leader of a new process group, detached from this shell's terminal.
# Without a terminal of its own, setsid execs the JVM directly, so $! is the JVM's PID.
launch() {
  local name="$1"; shift
  SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION=$SCALA SPARK_LOCAL_IP="$HOST" SPARK_LOCAL_HOSTNAME="$HOST" \
    setsid "$JAVA" -Xmx256m -Dlog4j2.configurationFile="file:$SPARK_HOME_DIR/conf/log4j2.properties" \
      -cp "$SPARK_HOME_DIR/conf:$SPARK_HOME_DIR/jars/*" "$@" \
      > "$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/$name.pid"
}

# Waits until a daemon's log holds a line matching the pattern; fails if it dies or times out.
await_log() {
  local name="$1" pattern="$2" deadline=$((SECONDS + START_TIMEOUT))
  until grep -qE "$pattern" "$STATE/logs/$name.log" 2>/dev/null; do
    if ! alive "$(pid_of "$name")"; then
      log "$name exited during start; the end of $STATE/logs/$name.log:"
      tail -n 30 "$STATE/logs/$name.log" >&2 || true
      return 1
    fi
    if ((SECONDS > deadline)); then
      log "$name did not get ready in ${START_TIMEOUT}s; see $STATE/logs/$name.log"
      return 1
    fi
    sleep 0.3
  done
}

# Stops a daemon's whole process group (the JVM and any executor it launched): TERM, then KILL.
stop_group() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  if ours "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      alive "$pid" || break
      sleep 0.2
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$name.pid"
}

start_watchdog() {
  local ttl="$1" owner="$2"
  ((ttl > 0)) || [[ -n "$owner" ]] || return 0
  local deadline=$((SECONDS + (ttl > 0 ? ttl : 1000000000)))
  SEQLOSS_CLUSTER_DIR="$STATE" SEQLOSS_CLUSTER_WATCHDOG=1 setsid bash -c '
    while ((SECONDS < $1)) && { [[ -z "$2" ]] || kill -0 "$2" 2>/dev/null; }; do sleep 1; done
    echo "watchdog: stopping the cluster (ttl reached or owner $2 gone)" >&2
    "$3" stop' watchdog "$((deadline - SECONDS))" "$owner" "$HERE/cluster/standalone.sh" \
    >> "$STATE/logs/watchdog.log" 2>&1 < /dev/null &
  echo $! > "$STATE/watchdog.pid"
}

cmd_start() {
  local workers=2 cores=1 memory=1g port="${SEQLOSS_CLUSTER_PORT:-0}" ttl=0 owner=""
  while (($#)); do
    case "$1" in
      --workers) workers="${2:?}"; shift 2 ;;
      --worker-cores) cores="${2:?}"; shift 2 ;;
      --worker-memory) memory="${2:?}"; shift 2 ;;
      --port) port="${2:?}"; shift 2 ;;
      --ttl) ttl="${2:?}"; shift 2 ;;
      --owner) owner="${2:?}"; shift 2 ;;
      *) die "unknown start option $1" ;;
    esac
  done
  if ours "$(pid_of master)"; then
    die "a cluster is already running from $STATE ($(cat "$STATE/master.url" 2>/dev/null)); stop it first"
  fi
  cmd_stop >/dev/null 2>&1 || true
  # Only what an earlier start left: SEQLOSS_CLUSTER_DIR may name a directory holding other things.
  rm -rf "$STATE/logs" "$STATE/work" "$STATE/master.url"
  mkdir -p "$STATE/logs" "$STATE/work"
  assemble_spark_home
  # From here on, a failed start leaves nothing running.
  trap 'log "start failed; stopping what was started"; cmd_stop; exit 1' ERR

  launch master -Dspark.worker.timeout=20 \
    org.apache.spark.deploy.master.Master --host "$HOST" --port "$port" --webui-port 0
  await_log master 'I have been elected leader'
  local url
  url="$(grep -oE 'Starting Spark master at spark://[^ ]+' "$STATE/logs/master.log" | head -n 1 | awk '{print $NF}')"
  [[ -n "$url" ]] || { log "cannot read the master URL from its log"; false; }
  echo "$url" > "$STATE/master.url"

  for i in $(seq 1 "$workers"); do
    mkdir -p "$STATE/work/worker-$i"
    launch "worker-$i" org.apache.spark.deploy.worker.Worker --host "$HOST" --port 0 --webui-port 0 \
      --cores "$cores" --memory "$memory" --work-dir "$STATE/work/worker-$i" "$url"
  done
  for i in $(seq 1 "$workers"); do
    await_log "worker-$i" 'Successfully registered with master'
  done
  trap - ERR
  start_watchdog "$ttl" "$owner"
  echo "$url"
  log "master $url (PID $(pid_of master)), $workers worker(s) of $cores core(s) and $memory; logs in $STATE/logs"
}

cmd_status() {
  if [[ ! -f "$STATE/master.url" ]]; then
    echo "no cluster running from $STATE"
    return 1
  fi
  local all=0 name pid
  echo "master URL: $(cat "$STATE/master.url")"
  for name in $(daemons); do
    pid="$(pid_of "$name")"
    if ours "$pid"; then echo "$name: running, PID $pid"; else echo "$name: not running (PID $pid)"; all=1; fi
  done
  return "$all"
}

cmd_url() {
  ours "$(pid_of master)" || { echo "standalone.sh: no running cluster in $STATE" >&2; return 1; }
  cat "$STATE/master.url"
}

cmd_kill_worker() {
  local name="worker-${1:?worker number}" pid
  pid="$(pid_of "$name")"
  ours "$pid" || die "$name is not running"
  kill -KILL -- "-$pid"
  log "killed $name (process group $pid) with SIGKILL"
}

cmd_stop() {
  local name
  for name in $(daemons | sort -r); do   # workers first, then the master
    stop_group "$name"
  done
  if [[ -z "${SEQLOSS_CLUSTER_WATCHDOG:-}" ]]; then
    stop_group watchdog
  fi
  rm -f "$STATE/master.url"
  log "stopped the cluster of $STATE"
}

[[ -d "$HERE/cluster" ]] || die "cannot find the project directory"
case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  status) cmd_status ;;
  url) cmd_url ;;
  kill-worker) shift; cmd_kill_worker "$@" ;;
  stop) cmd_stop ;;
  *) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
