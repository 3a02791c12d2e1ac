package be.needtoknow.stack;

import java.util.List;

/** One of the three services as the stack runs it: its port and its own database and role. */
public record ServiceSpec(String name, int port, String database, String user, String password) {

    /** Development defaults only: the prod profile has no database password and needs one given. */
    public static List<ServiceSpec> defaults() {
        return List.of(
                new ServiceSpec("case-service", 8081, "ntk_case", "ntk_case", "dev-only-ntk-case-db"),
                new ServiceSpec("referral-service", 8082, "ntk_referral", "ntk_referral", "dev-only-ntk-referral-db"),
                new ServiceSpec("audit-service", 8083, "ntk_audit", "ntk_audit", "dev-only-ntk-audit-db"));
    }

    public ServiceSpec withPort(int newPort) {
        return new ServiceSpec(name, newPort, database, user, password);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }
}
