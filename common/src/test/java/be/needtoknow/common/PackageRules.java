package be.needtoknow.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.Refused;

/**
 * The package rules of every module with main code that runs in a service (common and the three
 * services), checked on the module's main classes (not its tests) by its ArchitectureTest in every
 * build: its packages form layers without cycles, so that each one can be read, tested and changed
 * from the bottom up; its main code never reaches into the test stack or the test libraries, which
 * are not shipped; and it uses no class of a service other than itself: the services talk over HTTP
 * and Kafka only, share nothing but common, and common depends on none of them. And a refusal is
 * recorded in one place only: the problem mappers, which answer every {@link Refused} thrown where
 * it was decided. Shared with the services as common's test jar (this class only).
 */
public final class PackageRules {

    /** The services' root packages. */
    private static final List<String> SERVICES = List.of("be.needtoknow.cases", "be.needtoknow.referrals",
            "be.needtoknow.audit");

    private final String root;
    private final JavaClasses main;

    private PackageRules(String root) {
        this.root = root;
        this.main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root);
    }

    /** The rules for the module whose main classes are under this root package. */
    public static PackageRules of(String root) {
        return new PackageRules(root);
    }

    public void packagesAreFreeOfCycles() {
        slices().matching(root + ".(*)..").should().beFreeOfCycles().check(main);
    }

    public void mainCodeDependsOnNoTestOrDeployCode() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("be.needtoknow.stack..",
                "be.needtoknow.testing..", "org.junit..",
                "io.quarkus.test..", "io.restassured..", "org.awaitility..").check(main);
    }

    public void usesNoClassOfAnotherService() {
        String[] others = SERVICES.stream().filter(s -> !s.equals(root)).map(s -> s + "..").toArray(String[]::new);
        noClasses().should().dependOnClassesThat().resideInAnyPackage(others).check(main);
    }

    /** A1: a refusal is thrown ({@link Refused}) and recorded by the problem mappers, never by anyone else. */
    public void refusalsAreRecordedOnlyByTheProblemMappers() {
        noClasses().that().doNotHaveFullyQualifiedName("be.needtoknow.common.rest.ProblemMappers").should()
                .callMethod(AuditTrail.class, "refused", Refused.class, String.class, String.class).check(main);
    }
}
