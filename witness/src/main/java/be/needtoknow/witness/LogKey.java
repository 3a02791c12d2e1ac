package be.needtoknow.witness;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A log's verifier key that the witness trusts for one origin: {@code <name>+<key id>+<base64(0x01 ‖
 * 32-byte Ed25519 public key)>} (C2SP signed-note, signature type 0x01). The key id must be
 * SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4].
 */
final class LogKey {

    static final byte TYPE = 0x01;

    private final String name;
    private final byte[] keyId;
    private final PublicKey publicKey;
    private final String text;

    private LogKey(String name, byte[] keyId, PublicKey publicKey, String text) {
        this.name = name;
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.text = text;
    }

    static LogKey parse(String verifierKey) {
        String text = verifierKey.strip();
        String[] parts = text.split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a verifier key: <name>+<key id>+<key>");
        }
        String name = Strict.keyName(parts[0]);
        byte[] raw;
        try {
            raw = Strict.base64(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the verifier key's key material is not base64");
        }
        if (raw.length != 1 + Ed25519.KEY_LENGTH || raw[0] != TYPE) {
            throw new IllegalArgumentException("not an Ed25519 note verifier key (type 0x01)");
        }
        byte[] publicKey = Arrays.copyOfRange(raw, 1, raw.length);
        byte[] keyId = Ed25519.keyId(name, TYPE, publicKey);
        if (!HexFormat.of().formatHex(keyId).equals(parts[1])) {
            throw new IllegalArgumentException("the verifier key's id does not match its key");
        }
        return new LogKey(name, keyId, Ed25519.publicKey(publicKey), text);
    }

    String name() {
        return name;
    }

    /** Whether a signature line (its name and decoded bytes) names this key: same name and same key id. */
    boolean names(SignedNote.SignatureLine line) {
        return line.name().equals(name) && line.bytes().length >= 4
                && Arrays.equals(keyId, Arrays.copyOf(line.bytes(), 4));
    }

    /** Whether a line that {@link #names} this key carries its valid signature on the note text. */
    boolean verifies(SignedNote.SignatureLine line, String noteText) {
        byte[] bytes = line.bytes();
        return bytes.length == 4 + Ed25519.SIGNATURE_LENGTH && Ed25519.verify(publicKey,
                noteText.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(bytes, 4, bytes.length));
    }

    @Override
    public String toString() {
        return text;
    }
}
