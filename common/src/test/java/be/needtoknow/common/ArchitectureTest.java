package be.needtoknow.common;

import org.junit.jupiter.api.Test;

/** The package rules ({@link PackageRules}) on common's main classes. */
class ArchitectureTest {

    private static final PackageRules RULES = PackageRules.of("be.needtoknow.common");

    @Test
    void packagesAreFreeOfCycles() {
        RULES.packagesAreFreeOfCycles();
    }

    @Test
    void mainCodeDependsOnNoTestOrDeployCode() {
        RULES.mainCodeDependsOnNoTestOrDeployCode();
    }

    @Test
    void dependsOnNoService() {
        RULES.usesNoClassOfAnotherService();
    }

    @Test
    void refusalsAreRecordedOnlyByTheProblemMappers() {
        RULES.refusalsAreRecordedOnlyByTheProblemMappers();
    }
}
