#!/bin/sh
# A realm export (Keycloak's JSON) as the Keycloak operator's KeycloakRealmImport, for an overlay:
#   deploy/k8s/realm-import.sh deploy/keycloak/realm.json > deploy/k8s/overlays/development/realm-import.yaml
# (the development realm, kept in step by deploy/k8s's tests) or, for a deployment, its own realm.
# JSON is YAML: the realm goes in as it is, indented under spec.realm.
set -eu
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: $0 REALM.json" >&2; exit 2; }
cat <<HEADER
# Generated from $1 by deploy/k8s/realm-import.sh: do not edit.
apiVersion: k8s.keycloak.org/v2alpha1
kind: KeycloakRealmImport
metadata:
  name: need-to-know
spec:
  keycloakCRName: keycloak
  realm:
HEADER
sed 's/^/    /' "$1"
