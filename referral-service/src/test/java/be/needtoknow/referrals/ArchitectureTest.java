package be.needtoknow.referrals;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.PackageRules;

/** The package rules ({@link PackageRules}) on referral-service's main classes. */
class ArchitectureTest {

    private static final PackageRules RULES = PackageRules.of("be.needtoknow.referrals");

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
