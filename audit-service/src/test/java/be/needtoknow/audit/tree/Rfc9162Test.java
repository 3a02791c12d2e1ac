package be.needtoknow.audit.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A2: the tree and its proofs, checked against the independent RFC 9162 implementation for every
 * size up to 70 (sizes 1, 2, the powers of two and one past them among them), every leaf and
 * every pair of sizes. The proofs' hashes are folded from perfect subtrees, as the service does
 * from its stored nodes.
 */
class Rfc9162Test {

    static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(("{\"record\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        return leaves;
    }

    /** A subtree's hash, as the service folds it from the hashes of its perfect parts. */
    static byte[] hash(List<byte[]> leaves, Rfc9162.Range range) {
        List<byte[]> parts = new ArrayList<>();
        for (Rfc9162.Range part : Rfc9162.perfectParts(range)) {
            assertTrue(part.perfect(), part + " is not a perfect subtree");
            parts.add(IndependentVerifier.treeHead(leaves.subList((int) part.start(), (int) part.end())));
        }
        return Rfc9162.fold(parts);
    }

    static List<byte[]> hashes(List<byte[]> leaves, List<Rfc9162.Range> ranges) {
        return ranges.stream().map(r -> hash(leaves, r)).toList();
    }

    @Test
    void a2_theRootAndEveryInclusionProofVerifyIndependently() {
        for (int n = 1; n <= 70; n++) {
            List<byte[]> leaves = leaves(n);
            byte[] root = IndependentVerifier.treeHead(leaves);
            assertArrayEquals(root, hash(leaves, new Rfc9162.Range(0, n)), "root of " + n);
            Rfc9162.Builder builder = new Rfc9162.Builder();
            leaves.forEach(l -> builder.add(Rfc9162.leafHash(l)));
            assertArrayEquals(root, builder.root(), "built root of " + n);
            for (int m = 0; m < n; m++) {
                List<byte[]> path = hashes(leaves, Rfc9162.inclusion(m, n));
                byte[] leafHash = Rfc9162.leafHash(leaves.get(m));
                assertTrue(IndependentVerifier.verifyInclusion(m, n, leafHash, path, root), "leaf " + m + " of " + n);
                assertFalse(IndependentVerifier.verifyInclusion(m, n, Rfc9162.leafHash("other".getBytes()), path, root));
            }
        }
    }

    @Test
    void a2_everyConsistencyProofVerifiesIndependently() {
        for (int n = 1; n <= 70; n++) {
            List<byte[]> leaves = leaves(n);
            byte[] second = IndependentVerifier.treeHead(leaves);
            for (int m = 1; m <= n; m++) {
                byte[] first = IndependentVerifier.treeHead(leaves.subList(0, m));
                List<byte[]> proof = hashes(leaves, Rfc9162.consistency(m, n));
                assertTrue(IndependentVerifier.verifyConsistency(m, n, first, second, proof), m + " → " + n);
                if (m < n) {
                    byte[] forged = IndependentVerifier.treeHead(leaves(m + 1).subList(1, m + 1));
                    assertFalse(IndependentVerifier.verifyConsistency(m, n, forged, second, proof), "forged " + m + " → " + n);
                }
            }
        }
    }

    @Test
    void theEmptyTreeIsTheHashOfNothing() {
        assertArrayEquals(IndependentVerifier.treeHead(List.of()), new Rfc9162.Builder().root());
    }
}
