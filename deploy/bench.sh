#!/usr/bin/env bash
# Benchmarks, run by hand (not part of the test command). Each prints its figures beside the
# machine's own reference figures from the same run, so that ratios compare across machines.
#
#   deploy/bench.sh audit [records]    the audit trail at scale (default 1,000,000 records)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
what="${1:-audit}"
case "$what" in
  audit) main=be.needtoknow.bench.AuditTreeBench; shift || true ;;
  *) echo "usage: deploy/bench.sh audit [records]" >&2; exit 2 ;;
esac
(cd "$ROOT" && mvn -B -q package -DskipTests -pl deploy/bench -am) >&2
exec java -Xmx2g -cp "$ROOT/deploy/bench/target/ntk-bench-0.1.0-SNAPSHOT.jar:$ROOT/deploy/bench/target/lib/*" "$main" "$@"
