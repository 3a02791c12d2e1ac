package be.needtoknow.cases;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.PackageRules;

/** The package rules ({@link PackageRules}) on case-service's main classes. */
class ArchitectureTest {

    private static final PackageRules RULES = PackageRules.of("be.needtoknow.cases");

    @Test
    void packagesAreFreeOfCycles() {
        RULES.packagesAreFreeOfCycles();
    }

    @Test
    void mainCodeDependsOnNoTestOrDeployCode() {
        RULES.mainCodeDependsOnNoTestOrDeployCode();
    }

    @Test
    void usesNoClassOfAnotherService() {
        RULES.usesNoClassOfAnotherService();
    }

    @Test
    void refusalsAreRecordedOnlyByTheProblemMappers() {
        RULES.refusalsAreRecordedOnlyByTheProblemMappers();
    }
}
