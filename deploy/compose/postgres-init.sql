-- One database and one non-superuser role per service (architecture.md: no shared tables, ever).
-- Development passwords only, marked as such; a real deployment gives its own.
CREATE ROLE ntk_case LOGIN PASSWORD 'dev-only-ntk-case-db';
CREATE DATABASE ntk_case OWNER ntk_case;
CREATE ROLE ntk_referral LOGIN PASSWORD 'dev-only-ntk-referral-db';
CREATE DATABASE ntk_referral OWNER ntk_referral;
CREATE ROLE ntk_audit LOGIN PASSWORD 'dev-only-ntk-audit-db';
CREATE DATABASE ntk_audit OWNER ntk_audit;
