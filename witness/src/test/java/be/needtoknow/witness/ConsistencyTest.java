package be.needtoknow.witness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A2: the witness's consistency check (RFC 9162 §2.1.4.2) accepts every proof of RFC 6962 §2.1.2
 * as the test log builds it, for every pair of sizes up to 70, and refuses each proof with a hash
 * changed, dropped or added, and each pair of roots that is not the trees'.
 */
class ConsistencyTest {

    @Test
    void a2_everyProofBetweenTwoSizesVerifiesAndEveryAlteredOneFails() throws Exception {
        TestLog log = new TestLog("audit.test.example", "test-only.audit.test.example");
        for (int n = 1; n <= 70; n++) {
            byte[] newRoot = log.root(n);
            for (int m = 0; m <= n; m++) {
                byte[] oldRoot = log.root(m);
                List<byte[]> proof = log.proof(m, n);
                String pair = m + " to " + n;
                assertTrue(Consistency.verify(m, n, oldRoot, newRoot, proof), pair);
                if (m > 0 && m < n) {
                    assertFalse(Consistency.verify(m, n, flip(oldRoot), newRoot, proof), pair + " other old root");
                    assertFalse(Consistency.verify(m, n, oldRoot, flip(newRoot), proof), pair + " other new root");
                    for (int i = 0; i < proof.size(); i++) {
                        List<byte[]> altered = new ArrayList<>(proof);
                        altered.set(i, flip(proof.get(i)));
                        assertFalse(Consistency.verify(m, n, oldRoot, newRoot, altered), pair + " hash " + i + " changed");
                        List<byte[]> shorter = new ArrayList<>(proof);
                        shorter.remove(i);
                        assertFalse(Consistency.verify(m, n, oldRoot, newRoot, shorter), pair + " hash " + i + " dropped");
                    }
                    List<byte[]> longer = new ArrayList<>(proof);
                    longer.add(newRoot);
                    assertFalse(Consistency.verify(m, n, oldRoot, newRoot, longer), pair + " a hash added");
                    assertFalse(Consistency.verify(m, n + 1, oldRoot, log.root(n + 1), proof), pair + " another new size");
                    if (m > 1) {
                        assertFalse(Consistency.verify(m - 1, n, log.root(m - 1), newRoot, proof), pair + " another old size");
                    }
                }
            }
        }
        assertFalse(Consistency.verify(0, 0, new byte[32], new byte[32], List.of()), "the empty tree has one root");
        assertTrue(Consistency.verify(0, 0, null, Consistency.EMPTY_ROOT, List.of()));
        assertFalse(Consistency.verify(5, 4, log.root(5), log.root(4), List.of()));
    }

    private static byte[] flip(byte[] hash) {
        byte[] out = hash.clone();
        out[31] ^= 0x01;
        return out;
    }
}
