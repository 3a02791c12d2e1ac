package be.needtoknow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The endpoints of a service that answer without a sign-in, as its code says: every JAX-RS
 * resource method (in the module's compiled classes) that has neither {@code @Authenticated} nor
 * {@code @RolesAllowed} (nor {@code @DenyAll}), on itself or, without a {@code @PermitAll} of its
 * own, on its class, and whose path no HTTP permission of the configuration
 * ({@code quarkus.http.auth.permission.<name>.paths}, the most specific one) puts under a policy
 * other than {@code permit}. Read by reflection, without running the code.
 */
public final class OpenEndpoints {

    private static final Set<String> SIGN_IN = Set.of("io.quarkus.security.Authenticated",
            "jakarta.annotation.security.RolesAllowed", "jakarta.annotation.security.DenyAll");
    private static final String PERMIT_ALL = "jakarta.annotation.security.PermitAll";
    private static final String PATH = "jakarta.ws.rs.Path";
    private static final String HTTP_METHOD = "jakarta.ws.rs.HttpMethod";

    private OpenEndpoints() {
    }

    /** "METHOD /path/{template}" of each endpoint open to anyone, in the module's target/classes. */
    public static Set<String> of(Path classes) {
        Map<String, String> permissions = permissions(ConfigProvider.getConfig());
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Set<String> open = new TreeSet<>();
        for (String name : resourceClasses(classes)) {
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("Cannot inspect " + name + " for its endpoints", e);
            }
            Annotation typePath = annotation(type.getAnnotations(), PATH);
            if (type.isInterface() || typePath == null) {
                continue; // a REST client's interface, or no resource
            }
            boolean typeSignIn = has(type.getAnnotations(), SIGN_IN);
            for (Method method : type.getDeclaredMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Annotation[] own = method.getAnnotations();
                boolean signIn = has(own, SIGN_IN) || (typeSignIn && annotation(own, PERMIT_ALL) == null);
                String path = join(value(typePath), annotation(own, PATH) == null ? "" : value(annotation(own, PATH)));
                if (!signIn && "permit".equals(policy(permissions, path))) {
                    open.add(verb + " " + path);
                }
            }
        }
        return open;
    }

    private static List<String> resourceClasses(Path classes) {
        byte[] marker = "jakarta/ws/rs/Path".getBytes(StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                if (contains(Files.readAllBytes(file), marker)) {
                    String relative = classes.relativize(file).toString();
                    names.add(relative.substring(0, relative.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the compiled classes in " + classes.toAbsolutePath(), e);
        }
        return names;
    }

    private static boolean contains(byte[] bytes, byte[] marker) {
        outer: for (int i = 0; i <= bytes.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (bytes[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** path pattern → policy, of each HTTP permission in the configuration. */
    private static Map<String, String> permissions(Config config) {
        Map<String, String> permissions = new TreeMap<>();
        String prefix = "quarkus.http.auth.permission.";
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix) && name.endsWith(".paths")) {
                String permission = name.substring(0, name.length() - ".paths".length());
                String policy = config.getOptionalValue(permission + ".policy", String.class).orElse("permit");
                for (String pattern : config.getValue(name, String.class).split(",")) {
                    permissions.put(pattern.strip(), policy);
                }
            }
        }
        return permissions;
    }

    /** The policy of the most specific permission whose paths match, "permit" if none. */
    private static String policy(Map<String, String> permissions, String path) {
        String best = null;
        for (String pattern : permissions.keySet()) {
            boolean matches = pattern.endsWith("/*")
                    ? path.startsWith(pattern.substring(0, pattern.length() - 1))
                            || path.equals(pattern.substring(0, pattern.length() - 2))
                    : path.equals(pattern);
            if (matches && (best == null || specificity(pattern) > specificity(best))) {
                best = pattern;
            }
        }
        return best == null ? "permit" : permissions.get(best);
    }

    private static int specificity(String pattern) {
        return pattern.endsWith("/*") ? 2 * pattern.length() - 3 : 2 * pattern.length();
    }

    private static String verb(Method method) {
        for (Annotation a : method.getAnnotations()) {
            Annotation meta = annotation(a.annotationType().getAnnotations(), HTTP_METHOD);
            if (meta != null) {
                return value(meta);
            }
        }
        return null;
    }

    private static String join(String first, String second) {
        String path = ("/" + first + "/" + second).replaceAll("/+", "/").replaceAll("\\{([^}:]+):[^}]*}", "{$1}")
                .replaceAll("\\s", "");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static boolean has(Annotation[] annotations, Set<String> names) {
        for (Annotation a : annotations) {
            if (names.contains(a.annotationType().getName())) {
                return true;
            }
        }
        return false;
    }

    private static Annotation annotation(Annotation[] annotations, String name) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static String value(Annotation annotation) {
        try {
            return (String) annotation.annotationType().getMethod("value").invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
