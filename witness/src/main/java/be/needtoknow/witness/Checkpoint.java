package be.needtoknow.witness;

/**
 * A C2SP tlog-checkpoint's note text: the origin, the tree size and the base64 root hash (32 bytes,
 * SHA-256), then optional non-empty extension lines. {@code text} is the whole note text, the
 * part that the log signs and that a cosignature covers.
 */
record Checkpoint(String origin, long size, byte[] rootHash, String text) {

    static Checkpoint parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a checkpoint's text ends with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("a checkpoint has an origin, a size and a root hash");
        }
        for (String line : lines) {
            if (line.isEmpty()) {
                throw new IllegalArgumentException("a checkpoint has no empty line");
            }
        }
        long size;
        byte[] root;
        try {
            size = Strict.decimal(lines[1]);
            root = Strict.base64(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a checkpoint's size is decimal and its root hash base64");
        }
        if (root.length != 32) {
            throw new IllegalArgumentException("a checkpoint's root hash has 32 bytes");
        }
        return new Checkpoint(lines[0], size, root, text);
    }

    public byte[] rootHash() {
        return rootHash.clone();
    }
}
