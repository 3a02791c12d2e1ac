package be.needtoknow.witness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The witness's own key: an Ed25519 key used for timestamped cosignatures (C2SP tlog-cosignature,
 * signed-note signature type 0x04). Its texts:
 * <ul>
 * <li>signer key (secret): {@code PRIVATE+KEY+<name>+<key id>+<base64(0x04 ‖ 32-byte seed)>};</li>
 * <li>verifier key (public): {@code <name>+<key id>+<base64(0x04 ‖ 32-byte public key)>};</li>
 * </ul>
 * where the key id is SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4] as 8 lowercase hex digits.
 */
public final class CosignerKey {

    static final byte TYPE = 0x04;
    private static final String HEADER = "cosignature/v1\n";

    private final String name;
    private final byte[] publicKey;
    private final byte[] keyId;
    private final PrivateKey privateKey;

    private CosignerKey(String name, byte[] seed) {
        this.name = Strict.keyName(name);
        this.publicKey = Ed25519.publicKeyOf(seed);
        this.keyId = Ed25519.keyId(name, TYPE, publicKey);
        this.privateKey = Ed25519.privateKey(seed);
    }

    /** A new signer key text for a name. */
    public static String generate(String name) {
        byte[] seed = Ed25519.newSeed();
        CosignerKey key = new CosignerKey(name, seed);
        return "PRIVATE+KEY+" + name + "+" + HexFormat.of().formatHex(key.keyId) + "+"
                + Base64.getEncoder().encodeToString(typed(seed));
    }

    /** Reads a signer key text; refuses another key type or a key id that is not the key's. */
    public static CosignerKey parse(String signerKey) {
        String[] parts = signerKey.strip().split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IllegalArgumentException("not a signer key: PRIVATE+KEY+<name>+<key id>+<key>");
        }
        byte[] raw;
        try {
            raw = Strict.base64(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signer key's key material is not base64");
        }
        if (raw.length != 1 + Ed25519.KEY_LENGTH || raw[0] != TYPE) {
            throw new IllegalArgumentException("not a cosigner signer key (type 0x04, Ed25519)");
        }
        CosignerKey key = new CosignerKey(parts[2], Arrays.copyOfRange(raw, 1, raw.length));
        Arrays.fill(raw, (byte) 0);
        if (!HexFormat.of().formatHex(key.keyId).equals(parts[3])) {
            throw new IllegalArgumentException("the signer key's id does not match its key");
        }
        return key;
    }

    public String name() {
        return name;
    }

    /** The verifier key to publish. */
    public String verifierKey() {
        return name + "+" + HexFormat.of().formatHex(keyId) + "+" + Base64.getEncoder().encodeToString(typed(publicKey));
    }

    /**
     * The cosignature line on a checkpoint: {@code — <name> base64(key id ‖ timestamp ‖ signature)}
     * and a newline, the signature being over {@code cosignature/v1\ntime <timestamp>\n} and the
     * checkpoint's note text.
     */
    String cosign(String noteText, long timestamp) {
        byte[] signature = Ed25519.sign(privateKey, message(noteText, timestamp));
        ByteBuffer line = ByteBuffer.allocate(4 + 8 + signature.length);
        line.put(keyId).putLong(timestamp).put(signature);
        return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(line.array()) + "\n";
    }

    /** The message a cosignature signs. */
    static byte[] message(String noteText, long timestamp) {
        return (HEADER + "time " + timestamp + "\n" + noteText).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] typed(byte[] key) {
        byte[] out = new byte[1 + key.length];
        out[0] = TYPE;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }
}
