package be.needtoknow.common;

import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * A typed group of settings ({@code @ConfigMapping}) read as the framework reads it at start-up:
 * SmallRye Config with Bean Validation, as Quarkus wires them, so that a unit test sees the value a
 * service would get, or the refusal that would stop its start. Shared with the services as
 * common's test jar.
 */
public final class TypedSettings {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private TypedSettings() {
    }

    /** The group from these values (and its defaults); a value out of range throws {@code ConfigValidationException}. */
    public static <T> T read(Class<T> group, Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(group)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .addDefaultInterceptors().addDiscoveredConverters().build().getConfigMapping(group);
    }
}
