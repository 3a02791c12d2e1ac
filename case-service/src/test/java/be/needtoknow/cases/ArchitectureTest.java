package be.needtoknow.cases;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package rules of case-service, checked on its main classes (not the tests) in every build.
 * Its packages form layers without cycles, so that each one can be read, tested and changed from
 * the bottom up; its main code never reaches into the test stack or the test libraries, which are
 * not shipped; and it uses no class of another service: the services talk over HTTP and Kafka
 * only, and share nothing but common.
 */
class ArchitectureTest {

    private static final String ROOT = "be.needtoknow.cases";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void mainCodeDependsOnNoTestOrDeployCode() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("be.needtoknow.stack..", "org.junit..",
                "io.quarkus.test..", "io.restassured..", "org.awaitility..").check(MAIN);
    }

    @Test
    void usesNoClassOfAnotherService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("be.needtoknow.referrals..", "be.needtoknow.audit..")
                .check(MAIN);
    }
}
