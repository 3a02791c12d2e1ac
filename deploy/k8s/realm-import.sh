#!/bin/sh
# A realm export (Keycloak's JSON) as the Keycloak operator's KeycloakRealmImport, for an overlay:
#   deploy/k8s/realm-import.sh deploy/keycloak/realm.json > deploy/k8s/overlays/development/realm-import.yaml
# (the development realm, kept in step by deploy/k8s's tests) or, for a deployment, its own realm.
# The DPO console's client secret (client ntk-dpo-console) is not taken from the file: Keycloak reads
# it from the Secret ntk-dpo-console (key client-secret) that audit-service reads too, through the
# operator's placeholders, so the two cannot differ and the file's development secret is not used.
# Needs jq. JSON is YAML: the realm goes in indented under spec.realm.
set -eu
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: $0 REALM.json" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "$0: jq is needed" >&2; exit 2; }
cat <<HEADER
# Generated from $1 by deploy/k8s/realm-import.sh: do not edit.
apiVersion: k8s.keycloak.org/v2alpha1
kind: KeycloakRealmImport
metadata:
  name: need-to-know
spec:
  keycloakCRName: keycloak
  placeholders:
    NTK_DPO_CONSOLE_SECRET:
      secret:
        name: ntk-dpo-console
        key: client-secret
  realm:
HEADER
jq '(.clients[] | select(.clientId == "ntk-dpo-console") | .secret) = "${NTK_DPO_CONSOLE_SECRET}"' "$1" | sed 's/^/    /'
