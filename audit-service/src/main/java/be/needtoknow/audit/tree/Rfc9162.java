package be.needtoknow.audit.tree;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 (RFC 6962), section 2.1: leaf hash SHA-256(0x00 ‖ leaf), node hash
 * SHA-256(0x01 ‖ left ‖ right), the tree split at the largest power of two smaller than its size.
 * Plain Java, so that the rules are unit-tested without a server. The proofs are computed as the
 * list of subtrees (ranges of leaves) whose hashes they carry, in the RFC's order; the caller looks
 * the hashes up. Written here because no maintained Java library offers RFC 9162 proofs over
 * hashes kept in our own database.
 */
public final class Rfc9162 {

    /** The leaves [start, end) of a subtree. */
    public record Range(long start, long end) {
        public long size() {
            return end - start;
        }

        /** A perfect subtree: a power-of-two number of leaves, aligned on its size. */
        public boolean perfect() {
            long size = size();
            return Long.bitCount(size) == 1 && start % size == 0;
        }

        /** Its level in the tree of perfect subtrees (0: a leaf). */
        public int level() {
            return Long.numberOfTrailingZeros(size());
        }
    }

    private Rfc9162() {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] leafHash(byte[] leaf) {
        MessageDigest digest = sha256();
        digest.update((byte) 0x00);
        return digest.digest(leaf);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = sha256();
        digest.update((byte) 0x01);
        digest.update(left);
        return digest.digest(right);
    }

    /** The largest power of two smaller than n (n ≥ 2). */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** The subtrees of the audit path of leaf m in a tree of n leaves (RFC 9162 2.1.3.1), in order. */
    public static List<Range> inclusion(long m, long n) {
        if (m < 0 || m >= n) {
            throw new IllegalArgumentException("leaf " + m + " is not in a tree of size " + n);
        }
        List<Range> path = new ArrayList<>();
        path(m, 0, n, path);
        return path;
    }

    private static void path(long m, long start, long end, List<Range> out) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < k) {
            path(m, start, start + k, out);
            out.add(new Range(start + k, end));
        } else {
            path(m - k, start + k, end, out);
            out.add(new Range(start, start + k));
        }
    }

    /** The subtrees of the consistency proof between sizes m and n (RFC 9162 2.1.4.1), 0 &lt; m ≤ n. */
    public static List<Range> consistency(long m, long n) {
        if (m <= 0 || m > n) {
            throw new IllegalArgumentException("no consistency proof from size " + m + " to size " + n);
        }
        List<Range> proof = new ArrayList<>();
        if (m < n) {
            subproof(m, 0, n, true, proof);
        }
        return proof;
    }

    private static void subproof(long m, long start, long end, boolean whole, List<Range> out) {
        long n = end - start;
        if (m == n) {
            if (!whole) {
                out.add(new Range(start, end));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(m, start, start + k, whole, out);
            out.add(new Range(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(new Range(start, start + k));
        }
    }

    /** A range as the perfect subtrees it is made of, largest first (the binary digits of its size). */
    public static List<Range> perfectParts(Range range) {
        List<Range> parts = new ArrayList<>();
        long start = range.start();
        long remaining = range.size();
        while (remaining > 0) {
            long size = Long.highestOneBit(remaining);
            parts.add(new Range(start, start + size));
            start += size;
            remaining -= size;
        }
        return parts;
    }

    /**
     * The hash of a range from the hashes of its perfect parts (largest first): since every split
     * is at a power of two, the tree leans right, and the parts fold from the right.
     */
    public static byte[] fold(List<byte[]> partHashes) {
        byte[] hash = partHashes.get(partHashes.size() - 1);
        for (int i = partHashes.size() - 2; i >= 0; i--) {
            hash = nodeHash(partHashes.get(i), hash);
        }
        return hash;
    }

    /**
     * Builds a tree leaf by leaf, keeping only the perfect subtrees of its right edge (at most 64
     * hashes): the root of any number of leaves in one pass, as verification needs.
     */
    public static final class Builder {
        private final Deque<byte[]> hashes = new ArrayDeque<>();
        private final Deque<Long> sizes = new ArrayDeque<>();
        private long size;

        public void add(byte[] leafHash) {
            byte[] hash = leafHash;
            long subtree = 1;
            while (!sizes.isEmpty() && sizes.peek() == subtree) {
                hash = nodeHash(hashes.pop(), hash);
                subtree += sizes.pop();
            }
            hashes.push(hash);
            sizes.push(subtree);
            size++;
        }

        public long size() {
            return size;
        }

        /** A builder that goes on from the same leaves, independently of this one. */
        public Builder copy() {
            Builder copy = new Builder();
            copy.hashes.addAll(hashes);
            copy.sizes.addAll(sizes);
            copy.size = size;
            return copy;
        }

        /** The root of the leaves added so far (the hash of the empty string for none, as RFC 9162 says). */
        public byte[] root() {
            if (hashes.isEmpty()) {
                return sha256().digest();
            }
            List<byte[]> parts = new ArrayList<>(hashes);
            java.util.Collections.reverse(parts);
            return fold(parts);
        }
    }
}
