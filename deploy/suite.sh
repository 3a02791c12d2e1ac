#!/usr/bin/env bash
# need-to-know: run the whole suite on its embedded default stack (real PostgreSQL, Kafka and
# Keycloak, a mail server, two witnesses of the audit log, and the three services), all on 127.0.0.1.
#
#   deploy/suite.sh start                 build if needed, start, load demo data, print the URLs
#   deploy/suite.sh stop                  stop exactly what start started
#   deploy/suite.sh status                running or not, and the summary
#   deploy/suite.sh reset                 stop, and forget all data (databases, topics, the checkpoints the
#                                         witnesses cosigned); Keycloak stays unpacked, the witnesses keep their keys
#   deploy/suite.sh token USER            an access token for a demo user (password grant)
#   deploy/suite.sh token --client ID     an access token for a service account (client credentials)
#   deploy/suite.sh kafka-access [P...]   the Kafka topics, principals and ACLs (deploy/kafka/access.json and
#                                         the recipient directory) as commands for a broker's administrator
#   deploy/suite.sh mail ADDRESS          the messages in a family's mailbox on the suite's mail server (IMAP
#                                         127.0.0.1:2143), e.g. mail els.vermeulen@example.org
#
# State and logs live in $NTK_HOME (default: .ntk in the repository).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NTK_HOME="${NTK_HOME:-$REPO/.ntk}"
export NTK_HOME
RUN="$NTK_HOME/run"
LAUNCHER="$REPO/deploy/stack/target/ntk-stack-0.1.0-SNAPSHOT.jar"
LAUNCHER_CP="$LAUNCHER:$REPO/deploy/stack/target/lib/*"

die() { echo "need-to-know: $*" >&2; exit 1; }

check_java() {
  command -v java >/dev/null 2>&1 || die "java was not found on the PATH; install a Java 17 (or newer) JDK."
  local version
  version="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${version%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed; 'java' is version ${version:-unknown}."
}

launcher_pid() {
  [ -f "$RUN/suite.pid" ] || return 1
  local pid
  pid="$(cat "$RUN/suite.pid")"
  # Only a live process that is our launcher counts; a stale pid file is ignored.
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "ntk-stack"; then
    echo "$pid"
  else
    return 1
  fi
}

needs_build() {
  for jar in "$LAUNCHER" "$REPO"/{case,referral,audit}-service/target/quarkus-app/quarkus-run.jar \
      "$REPO/witness/target/ntk-witness-0.1.0-SNAPSHOT.jar"; do
    [ -f "$jar" ] || return 0
  done
  # Any source, POM or realm newer than the launcher means a rebuild.
  [ -n "$(find "$REPO" -path "$REPO/.ntk" -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' -o -name '*.sql' \) -newer "$LAUNCHER" -print -quit)" ]
}

build() {
  command -v mvn >/dev/null 2>&1 || die "mvn (Apache Maven) was not found on the PATH."
  mkdir -p "$NTK_HOME/logs"
  echo "Building the suite (first time: downloads from Maven Central; log: $NTK_HOME/logs/build.log) ..."
  if ! (cd "$REPO" && mvn -B -q package -DskipTests > "$NTK_HOME/logs/build.log" 2>&1); then
    tail -n 30 "$NTK_HOME/logs/build.log" >&2
    die "the build failed (a failed download names the artifact above); see $NTK_HOME/logs/build.log"
  fi
}

start() {
  check_java
  if pid="$(launcher_pid)"; then
    echo "need-to-know is already running (launcher pid $pid)."
    cat "$RUN/ready" 2>/dev/null || true
    return 0
  fi
  mkdir -p "$RUN" "$NTK_HOME/logs"
  rm -f "$RUN/suite.pid" "$RUN/ready" "$RUN/failed"
  if needs_build; then build; fi
  local started=$SECONDS
  echo "Starting PostgreSQL, Kafka, Keycloak, a mail server, two witnesses and the three services (log: $NTK_HOME/logs/suite.log) ..."
  nohup java -Dntk.repository="$REPO" -Dntk.home="$NTK_HOME" -Xmx768m -cp "$LAUNCHER_CP" be.needtoknow.stack.SuiteMain up \
    > "$NTK_HOME/logs/suite.log" 2>&1 < /dev/null &
  echo $! > "$RUN/suite.pid"
  while true; do
    if [ -f "$RUN/ready" ]; then
      echo
      cat "$RUN/ready"
      echo "(start command: $((SECONDS - started)) s)"
      return 0
    fi
    if [ -f "$RUN/failed" ] || ! kill -0 "$(cat "$RUN/suite.pid")" 2>/dev/null; then
      tail -n 30 "$NTK_HOME/logs/suite.log" >&2
      rm -f "$RUN/suite.pid"
      die "the suite did not start: $(cat "$RUN/failed" 2>/dev/null || echo 'the launcher exited; see the log above')"
    fi
    if [ $((SECONDS - started)) -gt 600 ]; then
      stop
      die "the suite was not ready within 10 minutes; see $NTK_HOME/logs/"
    fi
    sleep 1
  done
}

stop() {
  local pid
  if pid="$(launcher_pid)"; then
    echo "Stopping need-to-know (launcher pid $pid) ..."
    kill -TERM "$pid"
    for _ in $(seq 1 90); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "The launcher did not stop within 90 s; killing it." >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # After a crash of the launcher, its children may be left: stop those we recorded, if still ours.
  if [ -f "$RUN/children.pids" ]; then
    while read -r child; do
      [ -n "$child" ] || continue
      if kill -0 "$child" 2>/dev/null && tr '\0' ' ' < "/proc/$child/cmdline" 2>/dev/null | grep -q "$NTK_HOME"; then
        echo "Stopping leftover process $child"
        pkill -TERM -P "$child" 2>/dev/null || true
        kill -TERM "$child" 2>/dev/null || true
      fi
    done < "$RUN/children.pids"
    rm -f "$RUN/children.pids"
  fi
  if [ -f "$NTK_HOME/postgres/postmaster.pid" ]; then
    local pg
    pg="$(head -n 1 "$NTK_HOME/postgres/postmaster.pid")"
    if kill -0 "$pg" 2>/dev/null; then
      echo "Stopping leftover PostgreSQL $pg"
      kill -TERM "$pg" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN/suite.pid" "$RUN/ready"
  echo "need-to-know is stopped."
}

status() {
  if pid="$(launcher_pid)"; then
    if [ -f "$RUN/ready" ]; then cat "$RUN/ready"; else echo "need-to-know is starting (launcher pid $pid)."; fi
  else
    echo "need-to-know is not running."
    return 3
  fi
}

reset() {
  stop
  rm -rf "$NTK_HOME/postgres" "$NTK_HOME/kafka" "$NTK_HOME/run"
  # Keycloak's realm database (its users and their subject ids): the next start imports the realm file again.
  rm -rf "$NTK_HOME"/keycloak/keycloak-*/data/h2
  # A new, empty log: the witnesses forget the checkpoints of the old one (else they would refuse the new one).
  rm -rf "$NTK_HOME"/witnesses/*/storage
  echo "need-to-know's data is gone; the next start begins empty (with the demo pupils)."
}

token() {
  check_java
  [ -f "$LAUNCHER" ] || die "the suite is not built yet: run deploy/suite.sh start first."
  java -cp "$LAUNCHER_CP" be.needtoknow.stack.SuiteMain token "$@"
}

# The family's links (transfer notices, access packages) go to the family by e-mail only (X, T4):
# this is the family's mail program, reading the running suite's mail server.
read_mail() {
  check_java
  [ -f "$LAUNCHER" ] || die "the suite is not built yet: run deploy/suite.sh start first."
  java -Dntk.repository="$REPO" -cp "$LAUNCHER_CP" be.needtoknow.stack.SuiteMain mail "$@"
}

kafka_access() {
  check_java
  [ -f "$LAUNCHER" ] || die "the suite is not built yet: run deploy/suite.sh start first."
  java -Dntk.repository="$REPO" -cp "$LAUNCHER_CP" be.needtoknow.stack.SuiteMain kafka-access "$@"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) reset ;;
  token) shift; token "$@" ;;
  kafka-access) shift; kafka_access "$@" ;;
  mail) shift; read_mail "$@" ;;
  k8s-kafka-access) shift; check_java; [ -f "$LAUNCHER" ] || die "the suite is not built yet: run deploy/suite.sh start first."; java -Dntk.repository="$REPO" -cp "$LAUNCHER_CP" be.needtoknow.stack.StrimziAccess "$@" ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
