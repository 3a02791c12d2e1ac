package be.needtoknow.audit.tree;

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

/** Reads a signed checkpoint and checks its signature against a verifier key (C2SP signed-note, tlog-checkpoint). */
public final class CheckpointNote {

    /** A checkpoint's body. */
    public record Parsed(String origin, long treeSize, byte[] rootHash) {
    }

    private CheckpointNote() {
    }

    /** The checkpoint, when the note carries a valid signature of this verifier key; empty otherwise. */
    public static Optional<Parsed> verify(String note, String verifierKey) {
        try {
            String[] key = verifierKey.split("\\+", 3);
            byte[] raw = Base64.getDecoder().decode(key[2]);
            if (raw.length != 33 || raw[0] != 0x01) {
                return Optional.empty();
            }
            byte[] keyId = HexFormat.of().parseHex(key[1]);
            int split = note.indexOf("\n\n");
            if (split < 0) {
                return Optional.empty();
            }
            String text = note.substring(0, split + 1);
            String prefix = "\u2014 " + key[0] + " ";
            for (String line : note.substring(split + 2).split("\n")) {
                if (!line.startsWith(prefix)) {
                    continue;
                }
                byte[] signature = Base64.getDecoder().decode(line.substring(prefix.length()));
                if (signature.length != 68 || !Arrays.equals(keyId, Arrays.copyOf(signature, 4))) {
                    continue;
                }
                byte[] x509 = Arrays.copyOf(NoteSigner.X509_PREFIX, NoteSigner.X509_PREFIX.length + 32);
                System.arraycopy(raw, 1, x509, NoteSigner.X509_PREFIX.length, 32);
                PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(publicKey);
                verifier.update(text.getBytes(StandardCharsets.UTF_8));
                if (verifier.verify(Arrays.copyOfRange(signature, 4, 68))) {
                    String[] lines = text.split("\n");
                    return Optional.of(new Parsed(lines[0], Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2])));
                }
            }
            return Optional.empty();
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
