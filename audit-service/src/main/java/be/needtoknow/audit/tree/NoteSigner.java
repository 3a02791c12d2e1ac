package be.needtoknow.audit.tree;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs notes in the C2SP signed-note format with an Ed25519 key (the checkpoints of the audit
 * log). Keys are written as that format writes them: the signer key
 * {@code PRIVATE+KEY+<name>+<keyid>+<base64(0x01 ‖ seed)>}, the verifier key
 * {@code <name>+<keyid>+<base64(0x01 ‖ public key)>}, where keyid is the first four bytes of
 * SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key) in hex. The JDK does the Ed25519; the note format is
 * a few lines, written here since no maintained Java library implements it.
 */
public final class NoteSigner {

    private static final byte ED25519 = 0x01;
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows. */
    static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String name;
    private final byte[] keyId;
    private final byte[] publicKey;
    private final PrivateKey privateKey;

    private NoteSigner(String name, byte[] seed) throws GeneralSecurityException {
        this.name = name;
        this.privateKey = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        this.publicKey = publicKeyOf(seed);
        this.keyId = keyId(name, publicKey);
    }

    /** Parses a signer key; refuses one whose key id does not match its key. */
    public static NoteSigner parse(String signerKey) {
        String[] parts = signerKey.trim().split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IllegalArgumentException("not a signer key (PRIVATE+KEY+<name>+<keyid>+<key>)");
        }
        byte[] key = Base64.getDecoder().decode(parts[4]);
        if (key.length != 33 || key[0] != ED25519) {
            throw new IllegalArgumentException("not an Ed25519 signer key");
        }
        try {
            NoteSigner signer = new NoteSigner(parts[2], Arrays.copyOfRange(key, 1, 33));
            if (!HexFormat.of().formatHex(signer.keyId).equals(parts[3])) {
                throw new IllegalArgumentException("the signer key's id does not match its key");
            }
            return signer;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /** A new signer key for a name (for operators: see docs/operations.md, "Configuration"). */
    public static String generate(String name) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        try {
            NoteSigner signer = new NoteSigner(name, seed);
            byte[] key = new byte[33];
            key[0] = ED25519;
            System.arraycopy(seed, 0, key, 1, 32);
            return "PRIVATE+KEY+" + name + "+" + HexFormat.of().formatHex(signer.keyId) + "+"
                    + Base64.getEncoder().encodeToString(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The verifier key to publish: name+keyid+base64(0x01 ‖ public key). */
    public String verifierKey() {
        byte[] key = new byte[33];
        key[0] = ED25519;
        System.arraycopy(publicKey, 0, key, 1, 32);
        return name + "+" + HexFormat.of().formatHex(keyId) + "+" + Base64.getEncoder().encodeToString(key);
    }

    /** The signed note: the text (ending in a newline), a blank line, and the signature line. */
    public String sign(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a note's text ends with a newline");
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] sig = signature.sign();
            byte[] line = new byte[4 + sig.length];
            System.arraycopy(keyId, 0, line, 0, 4);
            System.arraycopy(sig, 0, line, 4, sig.length);
            return text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(line) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] keyId(String name, byte[] publicKey) {
        return keyId(name, ED25519, publicKey);
    }

    /** The key id of a key of this signature type (0x01 a note signature, 0x04 a cosignature). */
    static byte[] keyId(String name, byte type, byte[] publicKey) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(type);
            return Arrays.copyOf(digest.digest(publicKey), 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The public key of a seed. The JDK derives it only while generating a pair, so the pair is
     * generated from a source that yields exactly the seed; the result is checked.
     */
    private static byte[] publicKeyOf(byte[] seed) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        });
        KeyPair pair = generator.generateKeyPair();
        byte[] derivedSeed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        if (!Arrays.equals(seed, derivedSeed)) {
            throw new GeneralSecurityException("could not derive the Ed25519 public key");
        }
        byte[] encoded = pair.getPublic().getEncoded();
        if (encoded.length != X509_PREFIX.length + 32
                || !Arrays.equals(X509_PREFIX, Arrays.copyOf(encoded, X509_PREFIX.length))) {
            throw new GeneralSecurityException("unexpected Ed25519 public key encoding");
        }
        return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    }

    /** Prints a new signer key and its verifier key: {@code java NoteSigner.java <name>}. */
    public static void main(String[] args) {
        String key = generate(args.length > 0 ? args[0] : "audit.need-to-know.example");
        System.out.println(key);
        System.out.println(parse(key).verifierKey());
    }
}
