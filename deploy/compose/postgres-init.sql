-- One database per service (no shared tables, ever), owned by a role that the
-- migrations run as, and the service's own runtime role, which may only do what the migrations
-- grant it (the audit log: insert and read). Development passwords only, marked as such; a real
-- deployment gives its own.
CREATE ROLE ntk_case LOGIN PASSWORD 'dev-only-ntk-case-db';
CREATE ROLE ntk_case_app LOGIN PASSWORD 'dev-only-ntk-case-app-db';
CREATE DATABASE ntk_case OWNER ntk_case;
CREATE ROLE ntk_referral LOGIN PASSWORD 'dev-only-ntk-referral-db';
CREATE ROLE ntk_referral_app LOGIN PASSWORD 'dev-only-ntk-referral-app-db';
CREATE DATABASE ntk_referral OWNER ntk_referral;
CREATE ROLE ntk_audit LOGIN PASSWORD 'dev-only-ntk-audit-db';
CREATE ROLE ntk_audit_app LOGIN PASSWORD 'dev-only-ntk-audit-app-db';
CREATE DATABASE ntk_audit OWNER ntk_audit;
