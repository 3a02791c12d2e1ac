package be.needtoknow.common.problem;

/** A refusal or failure that reaches the client as problem details, never as a stack trace. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(Problem.of(400, slug, "Bad request", detail));
    }

    public static ProblemException unauthenticated() {
        return new ProblemException(Problem.of(401, "unauthenticated", "Not authenticated",
                "A valid bearer token is required."));
    }

    public static ProblemException forbidden(String slug, String detail) {
        return new ProblemException(Problem.of(403, slug, "Forbidden", detail));
    }

    /** Refused by a rule of docs/rules.md; the response names the rule. */
    public static ProblemException refusedByRule(String ruleId, String slug, String detail) {
        return new ProblemException(Problem.of(403, slug, "Refused by rule " + ruleId, detail).withRule(ruleId));
    }

    /** Unknown, or not visible to the caller: the two are never told apart. */
    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what + " was not found."));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict", detail));
    }

    public static ProblemException unavailable(String slug, String detail) {
        return new ProblemException(Problem.of(503, slug, "Service unavailable", detail));
    }
}
