#!/usr/bin/env bash
# Verifies the audit trail (A2) against its database alone, without the service: recomputes the
# Merkle tree from the stored records and checks it against every checkpoint signed by the given
# verifier key, and optionally against a checkpoint saved elsewhere. A read-only role suffices.
#
#   deploy/audit-verify.sh <verifier key> [saved checkpoint file]
#
# The database: NTK_DB_URL, NTK_DB_USER, NTK_DB_PASSWORD; by default the run command's (development
# defaults only). Exit status 0: consistent; 1: not (the first record that does not match is named).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
APP="$ROOT/audit-service/target/quarkus-app"
if [ ! -d "$APP/lib/main" ]; then
  echo "audit-service is not built: mvn -q package -DskipTests -pl audit-service -am" >&2
  exit 2
fi
export NTK_DB_URL="${NTK_DB_URL:-jdbc:postgresql://127.0.0.1:5432/ntk_audit}"
export NTK_DB_USER="${NTK_DB_USER:-ntk_audit_app}"
export NTK_DB_PASSWORD="${NTK_DB_PASSWORD:-dev-only-ntk-audit-app-db}"
exec java -cp "$APP/app/*:$APP/lib/main/*" be.needtoknow.audit.tree.TreeVerifier "$@"
