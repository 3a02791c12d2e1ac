#!/bin/sh
# Creates the Secrets that deploy/k8s refers to, each with a new random value, in a namespace
# (default need-to-know), before `kubectl apply -k`. A Secret that exists already is kept as it is:
# the pseudonym key and the checkpoint signing key must never change under a running audit trail.
# The values go to kubectl on its standard input, never to a file or a command line.
# The Kafka passwords are not here: Strimzi's User Operator makes one Secret per KafkaUser.
#   deploy/k8s/create-secrets.sh [NAMESPACE]
# Needs kubectl, and Java 17+ for the checkpoint signing key (NTK_AUDIT_ORIGIN names the log: by
# default audit.need-to-know.local, audit-service's own default).
set -eu
ns="${1:-need-to-know}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"

random() { head -c 48 /dev/urandom | base64 | tr -d '\n=+/' ; }

# secret NAME KEY=VALUE...: one Secret; basic-auth (as CloudNativePG reads a role's password) when
# its first key is the user name.
secret() {
  name="$1"; shift
  if kubectl -n "$ns" get secret "$name" >/dev/null 2>&1; then
    echo "secret $name exists: kept"
    return 0
  fi
  type=Opaque
  case "$1" in username=*) type=kubernetes.io/basic-auth ;; esac
  printf '%s\n' "$@" | kubectl -n "$ns" create secret generic "$name" --type="$type" --from-env-file=/dev/stdin
}

for service in case referral audit; do
  secret "ntk-$service-db-owner" "username=ntk_$service" "password=$(random)"
  secret "ntk-$service-db-app" "username=ntk_${service}_app" "password=$(random)"
done
secret ntk-keycloak-db username=keycloak "password=$(random)"
# One pseudonym key for the three services (one pupil, one pseudonym in every service's records).
secret ntk-pseudonym "key=$(random)"
# N1: shared by case-service and referral-service.
secret ntk-referral-grant "key=$(random)"
# A2: the Ed25519 key that signs the audit log's checkpoints (its first line; the second is the
# verifier key, which the DPO also reads at GET /audit-log/verifier-key).
secret ntk-audit-checkpoint "signing-key=$(java "$repo/audit-service/src/main/java/be/needtoknow/audit/tree/NoteSigner.java" \
  "${NTK_AUDIT_ORIGIN:-audit.need-to-know.local}" | head -n 1)"
# The DPO console: its client secret (the realm import gives Keycloak the same) and its state secret.
secret ntk-dpo-console "client-secret=$(random)" "state-secret=$(random)"
