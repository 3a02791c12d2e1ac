package be.needtoknow.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package rules of common, the code every service shares, checked on its main classes (not the
 * tests) in every build. Its packages form layers without cycles, so that each one can be read,
 * tested and changed from the bottom up; its main code never reaches into the test stack or the
 * test libraries, which are not shipped; and it depends on no service: the services depend on it,
 * and each one is built and deployed on its own.
 */
class ArchitectureTest {

    private static final String ROOT = "be.needtoknow.common";

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
    void dependsOnNoService() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("be.needtoknow.cases..", "be.needtoknow.referrals..", "be.needtoknow.audit..")
                .check(MAIN);
    }
}
