package be.needtoknow.referrals.casefile;

import jakarta.ws.rs.WebApplicationException;

import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;

/** How a call to case-service fails here: its refusals come back as they are; an unreachable case-service is a 503. */
final class CaseServiceCalls {

    private CaseServiceCalls() {
    }

    /** case-service's own problem (its type, status and rule), or a generic one when it sent none. */
    static ProblemException refused(WebApplicationException e, String detail) {
        Problem problem;
        try {
            problem = e.getResponse().readEntity(Problem.class);
        } catch (RuntimeException unreadable) {
            problem = null;
        }
        if (problem == null || problem.type() == null) {
            problem = Problem.of(e.getResponse().getStatus(), "case-service-refused", "Refused by case-service", detail);
        }
        return new ProblemException(problem.withInstance(null));
    }

    static ProblemException unavailable(String holds) {
        return ProblemException.unavailable("case-service-unavailable",
                "case-service, which holds " + holds + ", cannot be reached; nothing was changed.");
    }
}
