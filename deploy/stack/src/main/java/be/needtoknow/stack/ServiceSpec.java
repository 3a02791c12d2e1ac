package be.needtoknow.stack;

import java.util.List;

/**
 * One of the three services as the stack runs it: its port and its own database, with two roles —
 * the owner, which the migrations run as, and the service's own runtime role ({@code <owner>_app}),
 * which may only read and write the rows its migrations grant it (the audit log: insert and read).
 */
public record ServiceSpec(String name, int port, String database, String user, String password, String appUser,
        String appPassword) {

    /** Development defaults only: the prod profile has no database password and needs one given. */
    public static List<ServiceSpec> defaults() {
        return List.of(
                new ServiceSpec("case-service", 8081, "ntk_case", "ntk_case", "dev-only-ntk-case-db", "ntk_case_app",
                        "dev-only-ntk-case-app-db"),
                new ServiceSpec("referral-service", 8082, "ntk_referral", "ntk_referral", "dev-only-ntk-referral-db",
                        "ntk_referral_app", "dev-only-ntk-referral-app-db"),
                new ServiceSpec("audit-service", 8083, "ntk_audit", "ntk_audit", "dev-only-ntk-audit-db", "ntk_audit_app",
                        "dev-only-ntk-audit-app-db"));
    }

    public ServiceSpec withPort(int newPort) {
        return new ServiceSpec(name, newPort, database, user, password, appUser, appPassword);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }
}
