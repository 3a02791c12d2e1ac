package be.needtoknow.common.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body. {@code type} is stable per kind of problem
 * ({@value #TYPE_PREFIX}&lt;slug&gt;), so a client can branch on it; {@code rule} names the
 * docs/rules.md rule behind a refusal, where there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String rule,
        List<FieldError> errors) {

    public static final String TYPE_PREFIX = "urn:need-to-know:problem:";
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null, null, null);
    }

    public Problem withRule(String ruleId) {
        return new Problem(type, title, status, detail, instance, ruleId, errors);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, rule, fieldErrors);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, rule, errors);
    }

    /** One invalid field of a request body or parameter. */
    public record FieldError(String field, String message) {
    }
}
