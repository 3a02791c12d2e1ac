package be.needtoknow.witness;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Ed25519 (RFC 8032) with the JDK, on raw keys: a 32-byte seed for the private key and the 32-byte
 * encoded point for the public key, as signed notes carry them. The raw public key is turned into
 * the JDK's point form (y little-endian, the top bit the sign of x) and back, so no DER is involved.
 */
final class Ed25519 {

    static final int KEY_LENGTH = 32;
    static final int SIGNATURE_LENGTH = 64;

    private Ed25519() {
    }

    /** A fresh random 32-byte seed. */
    static byte[] newSeed() {
        byte[] seed = new byte[KEY_LENGTH];
        new SecureRandom().nextBytes(seed);
        return seed;
    }

    static PrivateKey privateKey(byte[] seed) {
        requireLength(seed);
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /**
     * The raw public key of a seed. The JDK computes a public key only when it generates a pair; it
     * is given a random source that yields exactly this seed, and the pair's private key is checked
     * to be that seed.
     */
    static byte[] publicKeyOf(byte[] seed) {
        requireLength(seed);
        byte[] copy = seed.clone();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                private static final long serialVersionUID = 1L;

                @Override
                public void nextBytes(byte[] bytes) {
                    if (bytes.length != copy.length) {
                        throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
                    }
                    System.arraycopy(copy, 0, bytes, 0, copy.length);
                }
            });
            KeyPair pair = generator.generateKeyPair();
            byte[] generatedSeed = ((EdECPrivateKey) pair.getPrivate()).getBytes()
                    .orElseThrow(() -> new IllegalStateException("the generated key has no seed"));
            if (!Arrays.equals(copy, generatedSeed)) {
                throw new IllegalStateException("the JDK did not use the given seed");
            }
            return encode(((EdECPublicKey) pair.getPublic()).getPoint());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /** The JDK public key of a raw 32-byte public key; throws IllegalArgumentException if it is no key. */
    static PublicKey publicKey(byte[] raw) {
        requireLength(raw);
        byte[] bigEndian = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            bigEndian[i] = raw[KEY_LENGTH - 1 - i];
        }
        boolean xOdd = (bigEndian[0] & 0x80) != 0;
        bigEndian[0] &= 0x7f;
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(
                    new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, bigEndian))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** True only for a valid signature; false for any malformed key or signature. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The signed-note key id: the first four bytes of SHA-256(name ‖ 0x0A ‖ type ‖ public key), where
     * type is 0x01 for a note signer's Ed25519 key and 0x04 for a timestamped cosigner key.
     */
    static byte[] keyId(String name, byte type, byte[] publicKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(name.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0x0A);
            sha256.update(type);
            sha256.update(publicKey);
            return Arrays.copyOf(sha256.digest(), 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] encode(EdECPoint point) {
        byte[] bigEndian = point.getY().toByteArray();
        byte[] raw = new byte[KEY_LENGTH];
        // toByteArray is big-endian and may carry a leading zero byte; write it reversed.
        for (int i = 0; i < bigEndian.length && i < KEY_LENGTH; i++) {
            raw[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (point.isXOdd()) {
            raw[KEY_LENGTH - 1] |= (byte) 0x80;
        }
        return raw;
    }

    private static void requireLength(byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 key has 32 bytes, not " + key.length);
        }
    }
}
