package be.needtoknow.audit.tree;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The stored hashes of the tree's perfect subtrees (table merkle_node), read over plain JDBC. */
public final class TreeNodes {

    private TreeNodes() {
    }

    /** The same on a connection: one query for all the perfect subtrees the ranges are made of. */
    public static List<byte[]> hashes(Connection c, List<Rfc9162.Range> ranges) throws SQLException {
        Set<Rfc9162.Range> parts = new LinkedHashSet<>();
        ranges.forEach(range -> parts.addAll(Rfc9162.perfectParts(range)));
        Map<Rfc9162.Range, byte[]> stored = fetch(c, new ArrayList<>(parts));
        List<byte[]> result = new ArrayList<>();
        for (Rfc9162.Range range : ranges) {
            List<byte[]> partHashes = new ArrayList<>();
            for (Rfc9162.Range part : Rfc9162.perfectParts(range)) {
                byte[] hash = stored.get(part);
                if (hash == null) {
                    throw new IllegalStateException("The tree lacks the node of leaves " + part);
                }
                partHashes.add(hash);
            }
            result.add(Rfc9162.fold(partHashes));
        }
        return result;
    }

    static Map<Rfc9162.Range, byte[]> fetch(Connection c, List<Rfc9162.Range> keys) throws SQLException {
        Map<Rfc9162.Range, byte[]> result = new HashMap<>();
        if (keys.isEmpty()) {
            return result;
        }
        Short[] levels = new Short[keys.size()];
        Long[] indexes = new Long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            levels[i] = (short) keys.get(i).level();
            indexes[i] = keys.get(i).start() >> keys.get(i).level();
        }
        Array levelArray = c.createArrayOf("int2", levels);
        Array indexArray = c.createArrayOf("int8", indexes);
        try (PreparedStatement s = c.prepareStatement("select n.level, n.idx, n.hash from merkle_node n "
                + "join unnest(?::int2[], ?::int8[]) as k(level, idx) on n.level = k.level and n.idx = k.idx")) {
            s.setArray(1, levelArray);
            s.setArray(2, indexArray);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int level = r.getShort(1);
                    long start = r.getLong(2) << level;
                    result.put(new Rfc9162.Range(start, start + (1L << level)), r.getBytes(3));
                }
            }
        }
        return result;
    }
}
