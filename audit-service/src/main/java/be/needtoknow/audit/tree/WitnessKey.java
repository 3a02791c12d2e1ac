package be.needtoknow.audit.tree;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A witness's verifier key, and the check of its cosignatures (C2SP tlog-cosignature, Ed25519,
 * cosignature/v1): the key {@code <name>+<keyid>+base64(0x04 ‖ public key)}, the keyid being the
 * first four bytes of SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key); a cosignature line
 * {@code — <name> base64(keyid ‖ u64 timestamp ‖ signature)}, signed over
 * {@code "cosignature/v1\ntime <timestamp>\n"} followed by the checkpoint's body. Written here, as the
 * note format itself (see {@link NoteSigner}): no maintained Java library implements it.
 */
public record WitnessKey(String name, byte[] keyId, PublicKey publicKey, String text) {

    private static final byte COSIGNATURE_V1 = 0x04;

    /** A cosignature that verified: the witness's statement, at a time, about a checkpoint. */
    public record Cosignature(String line, long timestamp) {
    }

    public static WitnessKey parse(String verifierKey) {
        String[] parts = verifierKey.trim().split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a verifier key (<name>+<keyid>+<key>)");
        }
        byte[] key = Base64.getDecoder().decode(parts[2]);
        if (key.length != 33 || key[0] != COSIGNATURE_V1) {
            throw new IllegalArgumentException("not an Ed25519 cosignature key (type 0x04)");
        }
        byte[] raw = Arrays.copyOfRange(key, 1, 33);
        try {
            byte[] id = NoteSigner.keyId(parts[0], COSIGNATURE_V1, raw);
            if (!HexFormat.of().formatHex(id).equals(parts[1])) {
                throw new IllegalArgumentException("the verifier key's id does not match its key");
            }
            byte[] x509 = Arrays.copyOf(NoteSigner.X509_PREFIX, NoteSigner.X509_PREFIX.length + 32);
            System.arraycopy(raw, 0, x509, NoteSigner.X509_PREFIX.length, 32);
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            return new WitnessKey(parts[0], id, publicKey, verifierKey.trim());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key", e);
        }
    }

    /**
     * This witness's cosignature among these signature lines, over the checkpoint with this body
     * (its text up to the blank line, ending in a newline); empty if none verifies.
     */
    public Optional<Cosignature> cosignatureIn(String lines, String checkpointBody) {
        String prefix = "\u2014 " + name + " ";
        for (String line : lines.split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            try {
                byte[] sig = Base64.getDecoder().decode(line.substring(prefix.length()));
                if (sig.length != 4 + 8 + 64 || !Arrays.equals(keyId, Arrays.copyOf(sig, 4))) {
                    continue;
                }
                long timestamp = ByteBuffer.wrap(sig, 4, 8).getLong();
                if (timestamp < 0) {
                    continue;
                }
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(publicKey);
                verifier.update(("cosignature/v1\ntime " + timestamp + "\n" + checkpointBody).getBytes(StandardCharsets.UTF_8));
                if (verifier.verify(Arrays.copyOfRange(sig, 12, 76))) {
                    return Optional.of(new Cosignature(line + "\n", timestamp));
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not a valid signature line: ignored, as the note format says
            }
        }
        return Optional.empty();
    }

    /** The body of a signed note: its text up to and including the newline before the blank line. */
    public static String body(String note) {
        int split = note.indexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("not a signed note");
        }
        return note.substring(0, split + 1);
    }
}
