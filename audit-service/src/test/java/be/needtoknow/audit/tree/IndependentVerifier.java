package be.needtoknow.audit.tree;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An independent implementation, written from RFC 9162 (sections 2.1.1, 2.1.3.2 and 2.1.4.2) for
 * the tests, sharing no code with the one that produces the proofs: the tree head of a list of
 * leaves, and the verification of inclusion and consistency proofs.
 */
public final class IndependentVerifier {

    private IndependentVerifier() {
    }

    static byte[] sha256(byte prefix, byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(prefix);
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hashChildren(byte[] left, byte[] right) {
        return sha256((byte) 1, left, right);
    }

    /** MTH(D[n]) of RFC 9162 2.1.1, recursively, straight from its definition. */
    public static byte[] treeHead(List<byte[]> leaves) {
        int n = leaves.size();
        if (n == 0) {
            try {
                return MessageDigest.getInstance("SHA-256").digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        if (n == 1) {
            return sha256((byte) 0, leaves.get(0));
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return hashChildren(treeHead(leaves.subList(0, k)), treeHead(leaves.subList(k, n)));
    }

    private static boolean lsb(long x) {
        return (x & 1) == 1;
    }

    /** RFC 9162 2.1.3.2. */
    public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (leafIndex >= treeSize) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if (lsb(fn) || fn == sn) {
                r = hashChildren(p, r);
                if (!lsb(fn)) {
                    while (!lsb(fn) && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = hashChildren(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** RFC 9162 2.1.4.2. */
    public static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> proof) {
        if (first > second || first == 0) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstHash, secondHash);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstHash);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while (lsb(fn)) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if (lsb(fn) || fn == sn) {
                fr = hashChildren(c, fr);
                sr = hashChildren(c, sr);
                if (!lsb(fn)) {
                    while (!lsb(fn) && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = hashChildren(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(fr, firstHash) && Arrays.equals(sr, secondHash) && sn == 0;
    }
}
