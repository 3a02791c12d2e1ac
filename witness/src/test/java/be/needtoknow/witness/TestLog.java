package be.needtoknow.witness;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A log for the tests, written from RFC 6962 §2.1 and C2SP signed-note apart from the witness's code:
 * its Merkle tree hashes and consistency proofs (the recursive definitions of the RFC), and an
 * Ed25519 key that signs its checkpoints.
 */
final class TestLog {

    final String origin;
    final String keyName;
    private final KeyPair keys;
    private final byte[] keyId;
    private final List<byte[]> leaves = new ArrayList<>();

    TestLog(String origin, String keyName) throws Exception {
        this.origin = origin;
        this.keyName = keyName;
        this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        this.keyId = Arrays.copyOf(sha256(concat(keyName.getBytes(StandardCharsets.UTF_8), new byte[] { '\n', 0x01 },
                rawPublicKey())), 4);
    }

    /** The raw key: the last 32 bytes of the X.509 encoding of an Ed25519 public key. */
    private byte[] rawPublicKey() {
        byte[] encoded = keys.getPublic().getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    String verifierKey() {
        return keyName + "+" + HexFormat.of().formatHex(keyId) + "+"
                + Base64.getEncoder().encodeToString(concat(new byte[] { 0x01 }, rawPublicKey()));
    }

    /** "<origin> <verifier key>", as the witness takes a log. */
    String trust() {
        return origin + " " + verifierKey();
    }

    /** Grows the tree to {@code size} leaves. */
    void growTo(int size) {
        while (leaves.size() < size) {
            leaves.add(("{\"record\":" + leaves.size() + ",\"origin\":\"" + origin + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    byte[] root(int size) {
        growTo(size);
        return mth(leaves.subList(0, size));
    }

    /** The note text of the checkpoint of the first {@code size} leaves. */
    String text(int size) {
        return text(size, root(size));
    }

    String text(int size, byte[] root) {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** The checkpoint of the first {@code size} leaves, signed by this log. */
    String checkpoint(int size) throws Exception {
        return sign(text(size));
    }

    String sign(String text) throws Exception {
        return text + "\n" + signatureLine(text) + "\n";
    }

    String signatureLine(String text) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(text.getBytes(StandardCharsets.UTF_8));
        return "\u2014 " + keyName + " " + Base64.getEncoder().encodeToString(concat(keyId, signer.sign()));
    }

    /** PROOF(m, D[n]) of RFC 6962 §2.1.2, base64, one per line. */
    String proofLines(int m, int n) {
        growTo(n);
        StringBuilder lines = new StringBuilder();
        for (byte[] hash : proof(m, n)) {
            lines.append(Base64.getEncoder().encodeToString(hash)).append('\n');
        }
        return lines.toString();
    }

    List<byte[]> proof(int m, int n) {
        growTo(n);
        return m == 0 ? List.of() : subproof(m, leaves.subList(0, n), true);
    }

    /** The add-checkpoint body from {@code oldSize} to the checkpoint of {@code size}. */
    String request(int oldSize, int size) throws Exception {
        return "old " + oldSize + "\n" + proofLines(oldSize, size) + "\n" + checkpoint(size);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean complete) {
        int n = d.size();
        List<byte[]> proof = new ArrayList<>();
        if (m == n) {
            if (!complete) {
                proof.add(mth(d));
            }
            return proof;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            proof.addAll(subproof(m, d.subList(0, k), complete));
            proof.add(mth(d.subList(k, n)));
        } else {
            proof.addAll(subproof(m - k, d.subList(k, n), false));
            proof.add(mth(d.subList(0, k)));
        }
        return proof;
    }

    /** MTH of RFC 6962 §2.1. */
    static byte[] mth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return sha256(new byte[0]);
        }
        if (n == 1) {
            return sha256(concat(new byte[] { 0x00 }, d.get(0)));
        }
        int k = largestPowerOfTwoBelow(n);
        return sha256(concat(new byte[] { 0x01 }, mth(d.subList(0, k)), mth(d.subList(k, n))));
    }

    private static int largestPowerOfTwoBelow(int n) {
        int k = 1;
        while (k << 1 < n) {
            k <<= 1;
        }
        return k;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
