#!/usr/bin/env bash
# Benchmarks, run by hand (not part of the test command). Each prints its figures beside the
# machine's own reference figures from the same run, so that ratios compare across machines.
#
#   deploy/bench.sh audit [records]        the audit trail at scale (default 1,000,000 records)
#   deploy/bench.sh suite [--quick] [...]  the whole suite on its embedded stack, on free ports in a
#                                          temporary directory: note writes and audited note reads
#                                          (closed loop, then open loop), the audit lag and the exact
#                                          audit check, referral latency end to end, audit ingest,
#                                          the DPO through the HTTP API, start time and memory (about 25 minutes; --quick: a smoke
#                                          run of about 5 minutes); --csv FILE writes the rows as CSV
#   deploy/bench.sh all [--quick] [...]    the same, then the audit trail at 100 thousand, 1 million
#                                          and 10 million records (--quick: 100 thousand), one table
#
# deploy/bench.sh suite --help lists the options. MAVEN_ARGS (e.g. -o) is passed to the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
what="$1"
shift
case "$what" in
  audit)
    main=be.needtoknow.bench.AuditTreeBench
    modules=deploy/bench ;;
  suite|all)
    main=be.needtoknow.bench.SuiteBench
    # The suite runs the packaged services and the Keycloak distribution.
    modules=deploy/bench,case-service,referral-service,audit-service
    if [ "$what" = all ]; then
      sizes=100k,1m,10m
      for arg in "$@"; do [ "$arg" = --quick ] && sizes=100k; done
      set -- "$@" --audit "$sizes"
    fi ;;
  *) echo "usage: deploy/bench.sh audit [records] | suite [--quick] [options] | all [--quick] [options]" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086 # MAVEN_ARGS holds several arguments
(cd "$ROOT" && mvn -B -q ${MAVEN_ARGS:-} package -DskipTests -pl "$modules" -am) >&2
exec java -Xmx2g -Dntk.repository="$ROOT" \
  -cp "$ROOT/deploy/bench/target/ntk-bench-0.1.0-SNAPSHOT.jar:$ROOT/deploy/bench/target/lib/*" "$main" "$@"
