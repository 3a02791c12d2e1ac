#!/usr/bin/env bash
# A witness of the audit log, as a party (a CLB, the school board, an outside auditor) runs it:
#   witness/run.sh generate-key witness.clb-gent.example
#       prints the signer key (secret: save it in a file only you can read) and the verifier key
#       (give it to the log's operator with the witness's URL)
#   witness/run.sh serve --signer-key-file witness.key \
#       --log 'audit.need-to-know.local <the log verifier key, from a source you trust>' \
#       --storage witness-state --host 127.0.0.1 --port 8091
# docs/audit-log-formats.md, section "Witnesses", tells more. Build first (deploy/suite.sh start does,
# or mvn -B -pl witness package). Stop with Ctrl-C.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java -Xmx64m -cp "$HERE/target/ntk-witness-0.1.0-SNAPSHOT.jar" be.needtoknow.witness.Witness "$@"
