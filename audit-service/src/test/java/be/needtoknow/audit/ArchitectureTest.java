package be.needtoknow.audit;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.PackageRules;

/** The package rules ({@link PackageRules}) on audit-service's main classes. */
class ArchitectureTest {

    private static final PackageRules RULES = PackageRules.of("be.needtoknow.audit");

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
