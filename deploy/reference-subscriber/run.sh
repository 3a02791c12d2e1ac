#!/usr/bin/env bash
# The reference subscriber of a recipient, e.g.:
#   NTK_RECIPIENT=clb-gent NTK_KAFKA_PASSWORD=dev-only-kafka-clb-gent NTK_CLIENT_SECRET=dev-only-clb-gent-system-secret \
#     deploy/reference-subscriber/run.sh
# Build first (deploy/suite.sh start does). Stop with Ctrl-C.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$HERE/target/ntk-reference-subscriber-0.1.0-SNAPSHOT.jar:$HERE/target/lib/*" \
  be.needtoknow.subscriber.ReferenceSubscriber
