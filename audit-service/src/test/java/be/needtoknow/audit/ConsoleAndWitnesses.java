package be.needtoknow.audit;

import java.util.HashMap;
import java.util.Map;

import be.needtoknow.audit.console.ConsoleSignInTest;
import be.needtoknow.audit.tree.CosignatureTest;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One second run of audit-service for the two classes that need settings of their own: the console's
 * sign-in on (ConsoleSignInTest) and two witnesses with a quorum of two (CosignatureTest). Neither
 * setting touches what the other class tests, and each run of the service costs a restart of about
 * a quarter of a minute on two cores, so they share it.
 */
public class ConsoleAndWitnesses implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(ConsoleSignInTest.consoleOn());
        overrides.putAll(CosignatureTest.twoWitnesses());
        return overrides;
    }
}
