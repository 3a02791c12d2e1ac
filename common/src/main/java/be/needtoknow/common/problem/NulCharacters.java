package be.needtoknow.common.problem;

import java.io.IOException;

import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * No text with a NUL character (U+0000) gets in: PostgreSQL cannot store one, so it would fail
 * late, as a server error. Refused at the door instead, as bad input: in a JSON string (400 naming
 * the field) and in the path or query (400). Hand-written: two small hooks of Jackson and JAX-RS.
 */
public final class NulCharacters {

    private NulCharacters() {
    }

    static boolean has(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /** JSON strings: a NUL is a format error at its field. */
    @Singleton
    public static class JsonStrings implements ObjectMapperCustomizer {
        @Override
        public void customize(ObjectMapper mapper) {
            mapper.registerModule(new SimpleModule("no-nul-characters").addDeserializer(String.class, new StringDeserializer() {
                @Override
                public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                    String value = super.deserialize(p, ctxt);
                    if (has(value)) {
                        throw ctxt.weirdStringException(value, String.class, "contains a NUL character");
                    }
                    return value;
                }
            }));
        }
    }

    /** The path and the query: a NUL is refused before any resource sees the request. */
    @Provider
    @PreMatching
    public static class Uris implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (has(request.getUriInfo().getPath()) || request.getUriInfo().getQueryParameters().entrySet().stream()
                    .anyMatch(e -> has(e.getKey()) || e.getValue().stream().anyMatch(NulCharacters::has))) {
                throw ProblemException.badRequest("nul-character", "The path or query contains a NUL character.");
            }
        }
    }
}
