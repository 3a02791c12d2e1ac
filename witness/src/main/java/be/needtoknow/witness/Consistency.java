package be.needtoknow.witness;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Verification of a Merkle consistency proof (RFC 6962 §2.1.2, verified as RFC 9162 §2.1.4.2
 * describes; SHA-256, interior node hash = SHA-256(0x01 ‖ left ‖ right)).
 */
final class Consistency {

    /** SHA-256 of nothing: the root hash of the empty tree. */
    static final byte[] EMPTY_ROOT = sha256(new byte[0]);

    private Consistency() {
    }

    /**
     * Whether {@code proof} shows that the tree of {@code oldSize} leaves with root {@code oldRoot}
     * is a prefix of the tree of {@code newSize} leaves with root {@code newRoot}. For an old size of
     * zero, the proof is empty; for equal sizes, the proof is empty and the roots are equal.
     */
    static boolean verify(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
        if (oldSize < 0 || oldSize > newSize) {
            return false;
        }
        if (oldSize == 0) {
            return proof.isEmpty() && (newSize > 0 || Arrays.equals(newRoot, EMPTY_ROOT));
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && Arrays.equals(oldRoot, newRoot);
        }
        // RFC 9162 2.1.4.2, steps 1 to 7.
        if (proof.isEmpty()) {
            return false;
        }
        int next = 0;
        byte[] start;
        if ((oldSize & (oldSize - 1)) == 0) {
            start = oldRoot; // the old tree is a complete subtree: its root is the proof's implicit first node
        } else {
            start = proof.get(next++);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = start;
        byte[] sr = start;
        for (; next < proof.size(); next++) {
            byte[] c = proof.get(next);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(c, fr);
                sr = node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = node(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && Arrays.equals(fr, oldRoot) && Arrays.equals(sr, newRoot);
    }

    static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha256 = digest();
        sha256.update((byte) 0x01);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    private static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
