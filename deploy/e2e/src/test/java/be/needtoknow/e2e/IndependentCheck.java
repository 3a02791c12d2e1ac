package be.needtoknow.e2e;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * What a DPO's auditor does with the published formats alone (docs/audit-log-formats.md), written
 * here from RFC 9162 §2.1.3.2 and c2sp.org/signed-note, without audit-service's code: check a
 * checkpoint's Ed25519 signature with the verifier key, and recompute a root from an inclusion proof.
 */
final class IndependentCheck {

    /** The DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private IndependentCheck() {
    }

    /** Whether a signature line of the note is the verifier key's signature of its text. */
    static boolean signedBy(String note, String verifierKey) throws Exception {
        String[] key = verifierKey.split("\\+", 3); // base64 may hold "+"
        String name = key[0];
        byte[] keyId = HexFormat.of().parseHex(key[1]);
        byte[] typed = Base64.getDecoder().decode(key[2]);
        if (typed.length != 33 || typed[0] != 1) {
            return false;
        }
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
        System.arraycopy(typed, 1, spki, ED25519_SPKI_PREFIX.length, 32);
        PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        int blank = note.indexOf("\n\n");
        byte[] text = note.substring(0, blank + 1).getBytes(StandardCharsets.UTF_8);
        for (String line : note.substring(blank + 2).split("\n")) {
            String prefix = "\u2014 " + name + " ";
            if (!line.startsWith(prefix)) {
                continue;
            }
            byte[] signature = Base64.getDecoder().decode(line.substring(prefix.length()));
            if (signature.length == 68 && Arrays.equals(Arrays.copyOf(signature, 4), keyId)) {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(publicKey);
                verifier.update(text);
                if (verifier.verify(Arrays.copyOfRange(signature, 4, 68))) {
                    return true;
                }
            }
        }
        return false;
    }

    static byte[] leafHash(byte[] leaf) {
        return sha256((byte) 0, leaf, new byte[0]);
    }

    /** RFC 9162 §2.1.3.2: the root that an inclusion proof of leaf {@code index} in a tree of {@code size} leads to. */
    static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> path) {
        if (index >= size) {
            throw new IllegalArgumentException("index beyond the tree");
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                throw new IllegalArgumentException("proof too long");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = sha256((byte) 1, p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = sha256((byte) 1, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new IllegalArgumentException("proof too short");
        }
        return r;
    }

    private static byte[] sha256(byte prefix, byte[] a, byte[] b) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(prefix);
            digest.update(a);
            digest.update(b);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
