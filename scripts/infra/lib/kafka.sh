# shellcheck shell=bash
# Apache Kafka (single-node KRaft) for scripts/infra.sh: Java/Maven, the jars,
# storage format, start, readiness checks, stop. Sourced by scripts/infra.sh after common.sh.
# shellcheck disable=SC2016 # single-quoted `bash -c` snippets expand their own "$1"...
# shellcheck disable=SC2153 # KAFKA_PORT and the other settings come from scripts/infra.sh

# ----------------------------------------------------------------- Kafka ---
JAVA_BIN=""
MVN_BIN=""

java_major() { # java binary -> major version (17, 21, 8, ...)
  local v
  v=$(timeout 20 "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' || true)
  v=${v#1.}
  [[ $v =~ ^[0-9]+$ ]] && printf '%s' "$v"
}

resolve_java() {
  local j v
  if [[ -n ${JAVA:-} ]]; then
    j=$(command -v -- "$JAVA" 2>/dev/null || true)
    [[ -n $j && -x $j ]] || die "JAVA=$JAVA is not an executable: point JAVA at a Java 17+ 'java' binary, or unset JAVA to use (or install) the system JDK. Alternatively set KAFKA_BROKERS to use an existing broker"
    v=$(java_major "$j") || die "JAVA=$JAVA does not run as a Java VM ('$JAVA -version' failed): point JAVA at a Java 17+ 'java' binary"
    ((v >= 17)) || die "JAVA=$JAVA is Java $v; Kafka $KAFKA_VERSION needs Java 17+: point JAVA at a newer JDK"
    JAVA_BIN=$j
    return 0
  fi
  local cands=()
  have java && cands+=("$(command -v java)")
  for j in /usr/lib/jvm/*/bin/java; do [[ -x $j ]] && cands+=("$j"); done
  for j in "${cands[@]}"; do
    v=$(java_major "$j" || true)
    if [[ -n $v ]] && ((v >= 17)); then
      JAVA_BIN=$j
      return 0
    fi
  done
  if can_apt; then
    apt_install openjdk-17-jre-headless || die "installing openjdk-17-jre-headless with apt-get failed (see $(rel "$STATE")/install.log): install a Java 17+ runtime, set JAVA=/path/to/java, or set KAFKA_BROKERS"
    for j in /usr/lib/jvm/java-17-openjdk-*/bin/java; do
      [[ -x $j ]] && { JAVA_BIN=$j; return 0; }
    done
  fi
  die "Java 17+ not found (needed to run the Kafka broker): install openjdk-17-jre-headless, set JAVA=/path/to/java, or set KAFKA_BROKERS to use an existing broker"
}

resolve_mvn() {
  local m
  if [[ -n ${MVN:-} ]]; then
    m=$(command -v -- "$MVN" 2>/dev/null || true)
    [[ -n $m && -x $m ]] || die "MVN=$MVN is not an executable: point MVN at Maven's 'mvn', or unset MVN to use (or install) the system Maven. Maven is needed once to download the Kafka $KAFKA_VERSION jars"
    MVN_BIN=$m
    return 0
  fi
  if ! have mvn && can_apt; then
    apt_install maven || die "installing maven with apt-get failed (see $(rel "$STATE")/install.log): install Maven, set MVN=/path/to/mvn, or set KAFKA_BROKERS"
  fi
  have mvn || die "Maven (mvn) not found; it is needed once to download the Kafka $KAFKA_VERSION jars from Maven Central: install Debian's maven package, set MVN=/path/to/mvn, or set KAFKA_BROKERS to use an existing broker"
  MVN_BIN=$(command -v mvn)
}

pom_sum() { sha256sum "$KAFKA_POM" | cut -d' ' -f1; }

# The marker lists every jar plus the pom's checksum; the libs dir counts as
# complete only if the pom is unchanged and every listed jar is still there.
kafka_libs_complete() {
  local marker="$KAFKA_LIBS/.complete" f first
  [[ -s $marker ]] || return 1
  first=$(head -n1 "$marker")
  [[ $first == "# pom $(pom_sum)" ]] || return 1
  while IFS= read -r f; do
    [[ $f == \#* || -z $f ]] && continue
    [[ -s $KAFKA_LIBS/$f ]] || return 1
  done <"$marker"
}

fetch_kafka_libs() {
  kafka_libs_complete && return 0
  resolve_mvn
  local log="$STATE/kafka-fetch.log" t0 rc=0
  t0=$(now_us)
  note "downloading Apache Kafka $KAFKA_VERSION jars from Maven Central into $(rel "$KAFKA_LIBS") (first run only) ..."
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS" "$DOWNLOADS/m2"
  local jh=${JAVA_HOME:-}
  [[ -n $jh ]] || jh=$(dirname -- "$(dirname -- "$(readlink -f -- "$JAVA_BIN")")")
  JAVA_HOME=$jh timeout "$MVN_TIMEOUT" "$MVN_BIN" -q -B -f "$KAFKA_POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" -Dmaven.repo.local="$DOWNLOADS/m2" \
    >"$log" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    tail_log "$log" 30
    [[ $rc -ne 124 ]] || die "downloading the Kafka jars timed out after ${MVN_TIMEOUT}s (log: $(rel "$log")); check access to Maven Central and retry"
    die "downloading the Kafka jars with Maven failed (log: $(rel "$log")); check access to Maven Central (repo.maven.apache.org) and retry, or set KAFKA_BROKERS"
  fi
  [[ -s $KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar ]] || die "Maven finished but $(rel "$KAFKA_LIBS")/kafka_2.13-$KAFKA_VERSION.jar is missing (log: $(rel "$log"))"
  {
    printf '# pom %s\n' "$(pom_sum)"
    (cd "$KAFKA_LIBS" && ls -1 -- *.jar)
  } >"$KAFKA_LIBS/.complete.tmp"
  mv -f "$KAFKA_LIBS/.complete.tmp" "$KAFKA_LIBS/.complete"
  note "downloaded $(($(wc -l <"$KAFKA_LIBS/.complete") - 1)) jars in $(since "$t0")"
}

# 22-character base64url Kafka cluster id (must not start with '-').
gen_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
    [[ ${#id} -eq 22 && $id != -* ]] && break
  done
  printf '%s' "$id"
}

kafka_write_config() {
  cat >"$STATE/kafka/server.properties" <<EOF
# Generated by scripts/infra.sh on every start: edit the script, not this file.
# Single-node KRaft broker+controller for local development and tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$STATE/kafka/data
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
# Keep it light: this is a dev box, not a production broker.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
}

kafka_jvm_opts() {
  KAFKA_JVM_OPTS=(-Xms256m -Xmx1g -Xss512k
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true
    "-Dlog4j2.configurationFile=$INFRA_DIR/kafka/log4j2.properties"
    "-Dkafka.logs.dir=$STATE/kafka")
  # Extra JVM flags, whitespace-separated (e.g. INFRA_KAFKA_JAVA_OPTS=-Xmx1g).
  if [[ -n ${INFRA_KAFKA_JAVA_OPTS:-} ]]; then
    local extra
    read -r -a extra <<<"$INFRA_KAFKA_JAVA_OPTS"
    KAFKA_JVM_OPTS+=("${extra[@]}")
  fi
}

kafka_managed_pid() {
  local pid
  pid=$(read_pid "$STATE/kafka.pid")
  pid_matches "$pid" "*kafka.Kafka*$STATE/kafka/server.properties*" && printf '%s' "$pid"
}

# kafka_wait BROKERS SECONDS [PID]: retry kafka_probe until it succeeds (0), the
# deadline passes (1) or PID exits (2).
kafka_wait() {
  local deadline=$((SECONDS + $2)) left
  while :; do
    if [[ -n ${3:-} ]] && ! pid_alive "$3"; then return 2; fi
    left=$((deadline - SECONDS))
    kafka_probe "$1" $((left < 1 ? 1 : left < 10 ? left : 10)) && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

KAFKA_PROBE_ERR=""
# kafka_probe BROKERS TIMEOUT_S: TCP connect to the first broker, then a real
# metadata request via kafkajs (scripts/infra/kafka-ready.mjs).
kafka_probe() {
  local first=${1%%,*} t=$2
  first=${first#*://}
  if ! tcp_open "${first%:*}" "${first##*:}"; then
    KAFKA_PROBE_ERR="$first does not accept TCP connections"
    return 1
  fi
  if have node && [[ -d $ROOT/node_modules/kafkajs ]]; then
    if KAFKA_PROBE_ERR=$(timeout $((t + 5)) node "$INFRA_DIR/kafka-ready.mjs" "$1" --timeout $((t * 1000)) 2>&1 >/dev/null); then
      return 0
    fi
    return 1
  fi
  # No node/kafkajs (npm ci not run yet): fall back to the broker's own startup
  # message (kafka.log is truncated on every start; see kafka/log4j2.properties).
  if [[ $1 == "$LOCAL_KAFKA_BROKERS" ]] && grep -q 'Kafka Server started' "$STATE/kafka.log" 2>/dev/null; then
    return 0
  fi
  KAFKA_PROBE_ERR="cannot send a metadata request without node and node_modules/kafkajs (run npm ci)"
  [[ $1 != "$LOCAL_KAFKA_BROKERS" ]]
}

kafka_fail() {
  tail_log "$STATE/kafka/server.log" 30
  tail_log "$STATE/kafka.log" 30
  die "$*"
}

kafka_up() {
  local t0 pid
  t0=$(now_us)
  if [[ -n ${KAFKA_BROKERS:-} ]]; then
    kafka_wait "$KAFKA_BROKERS" "$EXTERNAL_WAIT" ||
      die "KAFKA_BROKERS=$KAFKA_BROKERS is set but the broker is not reachable within ${EXTERNAL_WAIT}s ($KAFKA_PROBE_ERR): start it, or unset KAFKA_BROKERS to use the local one"
    line kafka external "$KAFKA_BROKERS (KAFKA_BROKERS; reachable)"
    return 0
  fi
  local starting=""
  if tcp_open 127.0.0.1 "$KAFKA_PORT"; then
    if kafka_probe "$LOCAL_KAFKA_BROKERS" 5; then
      if pid=$(kafka_managed_pid); then
        line kafka running "pid $pid, 127.0.0.1:$KAFKA_PORT (already running)"
      else
        line kafka running "127.0.0.1:$KAFKA_PORT (already running; not started by infra.sh)"
      fi
      return 0
    fi
    pid=$(kafka_managed_pid) ||
      die "127.0.0.1:$KAFKA_PORT is in use by a process not started by infra.sh $(port_owner_hint "$KAFKA_PORT") and the Kafka check failed: $KAFKA_PROBE_ERR. Stop that process, or set KAFKA_BROKERS to use it"
    starting=$pid
  elif pid=$(kafka_managed_pid); then
    starting=$pid
  fi

  if [[ -n $starting ]]; then
    note "kafka (pid $starting) is running but not ready yet; waiting up to ${KAFKA_WAIT}s"
  else
    [[ ! -f $STATE/kafka.pid ]] || { note "removing stale $(rel "$STATE")/kafka.pid"; rm -f "$STATE/kafka.pid"; }
    if tcp_open 127.0.0.1 "$KAFKA_CONTROLLER_PORT"; then
      die "controller port $KAFKA_CONTROLLER_PORT is in use by another process $(port_owner_hint "$KAFKA_CONTROLLER_PORT"): stop it, or set KAFKA_BROKERS"
    fi
    resolve_java
    fetch_kafka_libs
    mkdir -p "$STATE/kafka/data"
    kafka_write_config
    kafka_jvm_opts
    local cid_file="$STATE/kafka/cluster.id" cid
    if [[ ! -s $cid_file ]]; then
      cid=$(sed -n 's/^cluster\.id=//p' "$STATE/kafka/data/meta.properties" 2>/dev/null || true)
      [[ -n $cid ]] || cid=$(gen_cluster_id)
      printf '%s\n' "$cid" >"$cid_file"
    fi
    cid=$(<"$cid_file")
    if [[ ! -f $STATE/kafka/data/meta.properties ]]; then
      note "formatting Kafka storage $(rel "$STATE")/kafka/data (cluster id $cid; first run only)"
      timeout 120 "$JAVA_BIN" "${KAFKA_JVM_OPTS[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format \
        -t "$cid" -c "$STATE/kafka/server.properties" >"$STATE/kafka-format.log" 2>&1 ||
        { tail_log "$STATE/kafka-format.log" 30; die "formatting Kafka storage failed (log: $(rel "$STATE")/kafka-format.log); try: bash scripts/infra.sh reset"; }
    fi
    : >"$STATE/kafka.log"
    # Detached in its own session; the wrapper records the JVM's pid, then execs it.
    # The JVM must not inherit (and so hold) our lock fds 8/9.
    (
      cd "$STATE/kafka" || exit 1
      exec 8>&- 9>&-
      setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$STATE/kafka.pid" \
        "$JAVA_BIN" "${KAFKA_JVM_OPTS[@]}" -cp "$KAFKA_LIBS/*" kafka.Kafka "$STATE/kafka/server.properties" \
        </dev/null >>"$STATE/kafka.log" 2>&1 &
    )
    for _ in $(seq 1 50); do [[ -s $STATE/kafka.pid ]] && break; sleep 0.1; done
    starting=$(read_pid "$STATE/kafka.pid")
    [[ -n $starting ]] || kafka_fail "the Kafka JVM did not start (no pid file)"
  fi

  local rc=0
  kafka_wait "$LOCAL_KAFKA_BROKERS" "$KAFKA_WAIT" "$starting" || rc=$?
  if [[ $rc -eq 2 ]]; then
    rm -f "$STATE/kafka.pid"
    kafka_fail "the Kafka broker (pid $starting) exited during startup (logs: $(rel "$STATE")/kafka/server.log, $(rel "$STATE")/kafka.log)"
  elif [[ $rc -ne 0 ]]; then
    kafka_fail "the Kafka broker (pid $starting) is not ready after ${KAFKA_WAIT}s ($KAFKA_PROBE_ERR); it is still running: bash scripts/infra.sh down to stop it"
  fi
  line kafka running "pid $starting, 127.0.0.1:$KAFKA_PORT (started in $(since "$t0"))"
}

kafka_down() {
  local pid
  if ! pid=$(kafka_managed_pid); then
    report_unmanaged kafka "$STATE/kafka.pid" "$KAFKA_PORT"
    return 0
  fi
  terminate kafka "$pid" 30
  rm -f "$STATE/kafka.pid"
  line kafka stopped "(was pid $pid)"
}
