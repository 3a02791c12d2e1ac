package be.needtoknow.audit.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A2: the audit log's tree is RFC 9162's (the RFC 6962 Merkle tree), checked against known
 * answers that were not computed by this project: the standard test vectors of RFC 6962
 * implementations, as published in the transparency-dev/merkle repository (Apache-2.0). They are
 * kept as data in {@code src/test/resources/rfc9162/vectors.json}; its {@code source} field names
 * the files and the commit they were copied from.
 *
 * <p>Checked with {@link Rfc9162}: the leaf hashes of the eight inputs, the root of every tree of
 * size 0 to 8 (built with {@link Rfc9162.Builder}), the hashes of the perfect subtrees, and every
 * inclusion and consistency proof: the proof's hashes are those of the ranges that
 * {@link Rfc9162#inclusion} and {@link Rfc9162#consistency} return, each folded from its perfect
 * parts as the service does from its stored nodes, compared in order with the expected path.
 * Plain JUnit, no Quarkus.
 */
class Rfc9162VectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    private static JsonNode vectors;

    /** The leaf hashes of the vectors' inputs, as {@link Rfc9162#leafHash} computes them. */
    private static List<byte[]> leafHashes;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Rfc9162VectorsTest.class.getResourceAsStream("/rfc9162/vectors.json")) {
            assertNotNull(in, "rfc9162/vectors.json is not on the test classpath");
            vectors = new ObjectMapper().readTree(in);
        }
        leafHashes = new ArrayList<>();
        for (JsonNode leaf : vectors.get("leaves")) {
            leafHashes.add(Rfc9162.leafHash(HEX.parseHex(leaf.asText())));
        }
        assertEquals(8, leafHashes.size(), "the eight leaf inputs of RFC 6962's test vectors");
    }

    private static List<String> hexList(JsonNode array) {
        List<String> list = new ArrayList<>();
        for (JsonNode item : array) {
            list.add(item.asText());
        }
        return list;
    }

    private static byte[] built(List<byte[]> hashes) {
        Rfc9162.Builder builder = new Rfc9162.Builder();
        hashes.forEach(builder::add);
        return builder.root();
    }

    /**
     * A range's hash as the service computes it: the root of each of its perfect parts, folded
     * from the right. Cross-checked with a builder over the whole range.
     */
    private static String hash(Rfc9162.Range range) {
        List<byte[]> parts = new ArrayList<>();
        for (Rfc9162.Range part : Rfc9162.perfectParts(range)) {
            assertTrue(part.perfect(), part + " (a part of " + range + ") is not a perfect subtree");
            parts.add(built(leafHashes.subList((int) part.start(), (int) part.end())));
        }
        String folded = HEX.formatHex(Rfc9162.fold(parts));
        String whole = HEX.formatHex(built(leafHashes.subList((int) range.start(), (int) range.end())));
        assertEquals(whole, folded, "the folded hash of " + range + " is not the root of its leaves");
        return folded;
    }

    private static List<String> hashes(List<Rfc9162.Range> ranges) {
        List<String> list = new ArrayList<>();
        for (Rfc9162.Range range : ranges) {
            list.add(hash(range));
        }
        return list;
    }

    private static String root(long size) {
        return HEX.formatHex(built(leafHashes.subList(0, (int) size)));
    }

    @Test
    void a2_theLeafHashesOfTheEightInputsAreRfc6962s() {
        List<String> expected = hexList(vectors.get("leafHashes"));
        List<String> actual = new ArrayList<>();
        leafHashes.forEach(h -> actual.add(HEX.formatHex(h)));
        assertEquals(expected, actual, "leaf hashes SHA-256(0x00 ‖ leaf) of the eight inputs");
    }

    @Test
    void a2_theRootOfEveryTreeOfSizeZeroToEightIsRfc6962s() {
        List<String> expected = hexList(vectors.get("roots"));
        assertEquals(9, expected.size(), "roots of the trees of size 0 to 8");
        Rfc9162.Builder builder = new Rfc9162.Builder();
        assertEquals(expected.get(0), HEX.formatHex(builder.root()), "root of the empty tree");
        for (int n = 1; n <= 8; n++) {
            builder.add(leafHashes.get(n - 1));
            assertEquals((long) n, builder.size(), "size of the tree");
            assertEquals(expected.get(n), HEX.formatHex(builder.root()), "root of the tree of size " + n);
        }
    }

    @Test
    void a2_theHashOfEveryPerfectSubtreeIsRfc6962s() {
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode subtree : vectors.get("subtrees")) {
            Rfc9162.Range range = new Rfc9162.Range(subtree.get("start").asLong(), subtree.get("end").asLong());
            String expected = subtree.get("hash").asText();
            String actual = hash(range);
            if (!expected.equals(actual)) {
                failures.add(range + ": expected " + expected + ", got " + actual);
            }
            count++;
        }
        assertTrue(count > 0, "no subtree vectors");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void a2_everyInclusionProofIsTheKnownOne() {
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode vector : vectors.get("inclusion")) {
            long m = vector.get("leafIndex").asLong();
            long n = vector.get("treeSize").asLong();
            String name = "inclusion of leaf " + m + " in the tree of size " + n + " " + vector.get("from");
            List<String> expected = hexList(vector.get("path"));
            List<Rfc9162.Range> ranges = Rfc9162.inclusion(m, n);
            List<String> actual = hashes(ranges);
            if (!expected.equals(actual)) {
                failures.add(name + ": ranges " + ranges + "\n  expected " + expected + "\n  got      " + actual);
            }
            String leafHash = HEX.formatHex(leafHashes.get((int) m));
            if (!vector.get("leafHash").asText().equals(leafHash)) {
                failures.add(name + ": leaf hash expected " + vector.get("leafHash").asText() + ", got " + leafHash);
            }
            String root = root(n);
            if (!vector.get("root").asText().equals(root)) {
                failures.add(name + ": root expected " + vector.get("root").asText() + ", got " + root);
            }
            List<byte[]> path = new ArrayList<>();
            expected.forEach(h -> path.add(HEX.parseHex(h)));
            if (!IndependentVerifier.verifyInclusion(m, n, HEX.parseHex(leafHash), path,
                    HEX.parseHex(vector.get("root").asText()))) {
                failures.add(name + ": the expected path does not verify with IndependentVerifier");
            }
            count++;
        }
        assertTrue(count > 0, "no inclusion vectors");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void a2_everyConsistencyProofIsTheKnownOne() {
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode vector : vectors.get("consistency")) {
            long m = vector.get("size1").asLong();
            long n = vector.get("size2").asLong();
            String name = "consistency from size " + m + " to size " + n + " " + vector.get("from");
            List<String> expected = hexList(vector.get("proof"));
            List<Rfc9162.Range> ranges = Rfc9162.consistency(m, n);
            List<String> actual = hashes(ranges);
            if (!expected.equals(actual)) {
                failures.add(name + ": ranges " + ranges + "\n  expected " + expected + "\n  got      " + actual);
            }
            String root1 = root(m);
            if (!vector.get("root1").asText().equals(root1)) {
                failures.add(name + ": root1 expected " + vector.get("root1").asText() + ", got " + root1);
            }
            String root2 = root(n);
            if (!vector.get("root2").asText().equals(root2)) {
                failures.add(name + ": root2 expected " + vector.get("root2").asText() + ", got " + root2);
            }
            List<byte[]> proof = new ArrayList<>();
            expected.forEach(h -> proof.add(HEX.parseHex(h)));
            if (!IndependentVerifier.verifyConsistency(m, n, HEX.parseHex(vector.get("root1").asText()),
                    HEX.parseHex(vector.get("root2").asText()), proof)) {
                failures.add(name + ": the expected proof does not verify with IndependentVerifier");
            }
            count++;
        }
        assertTrue(count > 0, "no consistency vectors");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
