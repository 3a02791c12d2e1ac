package be.needtoknow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/entitlements.md is read as a reader sees it, or not at all: each flaw is named with its line
 * (without a stack: ExposureTest runs the table against the suite).
 */
class EntitlementsTableTest {

    @TempDir
    Path dir;

    @Test
    void theSuitesTableIsWellFormed() {
        Entitlements table = Entitlements.load(Entitlements.DOCUMENT);
        assertTrue(table.parties().contains("an.teacher") && table.parties().contains("kafka:no-acl"), table.parties().toString());
        assertTrue(table.obtainable("an.teacher").contains("note-teachers"));
        assertFalse(table.obtainable("an.teacher").contains("note-care-team"));
        assertEquals("N3", table.cell("an.teacher", "note-care-team").rule());
    }

    /** The suite's file with one line changed; the failure must name that line. */
    private interface Edit {
        String apply(String line);
    }

    private void assertRefusedAtLine(String find, Edit edit, String because) throws IOException {
        List<String> lines = Files.readAllLines(Entitlements.DOCUMENT);
        int index = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(find)) {
                index = i;
                break;
            }
        }
        assertTrue(index >= 0, find);
        List<String> changed = new java.util.ArrayList<>(lines);
        changed.set(index, edit.apply(lines.get(index)));
        Path file = Files.write(dir.resolve("entitlements.md"), changed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Entitlements.load(file));
        assertTrue(e.getMessage().contains("entitlements.md:" + (index + 1) + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(because), e.getMessage());
    }

    @Test
    void aMalformedRowIsNamedByItsLine() throws IOException {
        assertRefusedAtLine("| an.teacher | no", l -> l + " no N3 |", "cells");
        assertRefusedAtLine("| an.teacher | no", l -> l.replaceFirst("no N3", "maybe"), "'yes RULE'");
        assertRefusedAtLine("| an.teacher | no", l -> l.replaceFirst("no N3", "no Z9"), "'yes RULE'");
        assertRefusedAtLine("| an.teacher | no", l -> l.replaceFirst("an.teacher", "zed.teacher"), "no entry");
        assertRefusedAtLine("| tom.teacher | no", l -> l.replaceFirst("tom.teacher", "an.teacher"), "a second row");
        assertRefusedAtLine("| Party | note-private", l -> l.replace("| note-private | note-care-team", "| note-care-team | note-private"),
                "columns must be the kinds");
        assertRefusedAtLine("| case-service | /case-files |", l -> l.replace("/case-files", "case files"), "a path");
    }
}
