package be.needtoknow.common.problem;

import jakarta.ws.rs.core.Response;

/**
 * A failure that reaches the client as problem details (or as a page, for people), never as a
 * stack trace. A refusal is its subclass {@code Refused}, which the problem mappers also audit.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Response answer;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    protected ProblemException(Problem problem, Response answer) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.answer = answer;
    }

    public Problem problem() {
        return problem;
    }

    /**
     * The same failure, answered with this page (a plain page for a person, with the problem's
     * status) instead of problem details: a page throws it again rather than returning its page, so
     * that the problem mappers still see it (and record it, if it is a refusal).
     */
    public ProblemException answeredWith(Response page) {
        return new ProblemException(problem, page);
    }

    /** The page to answer with instead of problem details; null for problem details. */
    public Response answer() {
        return answer;
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
