#!/bin/sh
# Generated from deploy/kafka/access.json and the recipient directory by
# deploy/suite.sh kafka-access: do not edit.
# Needs KAFKA_BOOTSTRAP (host:port), KAFKA_ADMIN_CONFIG (the administrator's client properties)
# and NTK_KAFKA_PASSWORD_<PRINCIPAL> for each principal; KAFKA_BIN (default /opt/kafka/bin).
set -eu
bin="${KAFKA_BIN:-/opt/kafka/bin}"

# Topics
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.audit.v1 --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.audit.v1.dlq --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.clb-gent.v1 --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.clb-gent.v1.dlq --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.clb-brugge.v1 --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.clb-brugge.v1.dlq --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.care-jongerenhulp.v1 --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.care-jongerenhulp.v1.dlq --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.care-de-horizon.v1 --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.care-de-horizon.v1.dlq --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.school-sint-jan.v1 --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.school-sint-jan.v1.dlq --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.school-de-linde.v1 --partitions 3
"$bin/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic ntk.referrals.school-de-linde.v1.dlq --partitions 3

# case-service
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name case-service --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_CASE_SERVICE:?set the Kafka password of case-service}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:case-service --operation Write --topic ntk.audit.v1

# referral-service
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name referral-service --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_REFERRAL_SERVICE:?set the Kafka password of referral-service}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:referral-service --operation Write --topic ntk.audit.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:referral-service --operation Write --topic ntk.referrals. --resource-pattern-type prefixed

# audit-service
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name audit-service --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_AUDIT_SERVICE:?set the Kafka password of audit-service}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:audit-service --operation Read --topic ntk.audit.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:audit-service --operation Write --topic ntk.audit.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:audit-service --operation Write --topic ntk.audit.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:audit-service --operation Read --group audit-service

# clb-gent
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name clb-gent --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_CLB_GENT:?set the Kafka password of clb-gent}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:clb-gent --operation Read --topic ntk.referrals.clb-gent.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:clb-gent --operation Read --topic ntk.referrals.clb-gent.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:clb-gent --operation Write --topic ntk.referrals.clb-gent.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:clb-gent --operation Read --group clb-gent. --resource-pattern-type prefixed

# clb-brugge
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name clb-brugge --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_CLB_BRUGGE:?set the Kafka password of clb-brugge}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:clb-brugge --operation Read --topic ntk.referrals.clb-brugge.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:clb-brugge --operation Read --topic ntk.referrals.clb-brugge.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:clb-brugge --operation Write --topic ntk.referrals.clb-brugge.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:clb-brugge --operation Read --group clb-brugge. --resource-pattern-type prefixed

# care-jongerenhulp
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name care-jongerenhulp --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_CARE_JONGERENHULP:?set the Kafka password of care-jongerenhulp}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:care-jongerenhulp --operation Read --topic ntk.referrals.care-jongerenhulp.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:care-jongerenhulp --operation Read --topic ntk.referrals.care-jongerenhulp.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:care-jongerenhulp --operation Write --topic ntk.referrals.care-jongerenhulp.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:care-jongerenhulp --operation Read --group care-jongerenhulp. --resource-pattern-type prefixed

# care-de-horizon
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name care-de-horizon --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_CARE_DE_HORIZON:?set the Kafka password of care-de-horizon}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:care-de-horizon --operation Read --topic ntk.referrals.care-de-horizon.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:care-de-horizon --operation Read --topic ntk.referrals.care-de-horizon.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:care-de-horizon --operation Write --topic ntk.referrals.care-de-horizon.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:care-de-horizon --operation Read --group care-de-horizon. --resource-pattern-type prefixed

# school-sint-jan
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name school-sint-jan --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_SCHOOL_SINT_JAN:?set the Kafka password of school-sint-jan}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:school-sint-jan --operation Read --topic ntk.referrals.school-sint-jan.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:school-sint-jan --operation Read --topic ntk.referrals.school-sint-jan.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:school-sint-jan --operation Write --topic ntk.referrals.school-sint-jan.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:school-sint-jan --operation Read --group school-sint-jan. --resource-pattern-type prefixed

# school-de-linde
"$bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name school-de-linde --add-config "SCRAM-SHA-512=[iterations=8192,password=${NTK_KAFKA_PASSWORD_SCHOOL_DE_LINDE:?set the Kafka password of school-de-linde}]"
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:school-de-linde --operation Read --topic ntk.referrals.school-de-linde.v1
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:school-de-linde --operation Read --topic ntk.referrals.school-de-linde.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:school-de-linde --operation Write --topic ntk.referrals.school-de-linde.v1.dlq
"$bin/kafka-acls.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" --add --allow-principal User:school-de-linde --operation Read --group school-de-linde. --resource-pattern-type prefixed
