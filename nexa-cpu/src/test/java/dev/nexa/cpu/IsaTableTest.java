package dev.nexa.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Entry;
import dev.nexa.cpu.decode.IsaRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The ISA table: generated from the decoder tables, its rows well formed, docs/isa.md up to date. */
class IsaTableTest {
    @Test
    void docsIsaMdIsUpToDate() throws Exception {
        Path doc = Path.of(System.getProperty("nexa.root", "..")).resolve("docs/isa.md");
        Assumptions.assumeTrue(Files.exists(doc.getParent()), "no docs folder at " + doc.getParent());
        Assumptions.assumeFalse(Boolean.getBoolean("nexa.isa.update"), "IsaOracleCoverageCheck rewrites docs/isa.md");
        String want = IsaTable.markdown(IsaTable.rows());
        String have = Files.exists(doc) ? Files.readString(doc) : "";
        assertEquals(want, have, "docs/isa.md is stale: regenerate it with ./nexa isa --markdown > docs/isa.md");
    }

    @Test
    void encodingsAreUniqueKeys() {
        var seen = new HashSet<String>();
        for (IsaRows.Row r : IsaRows.all()) assertTrue(seen.add(r.encoding()), "two rows " + r.encoding());
        assertTrue(seen.size() > 700, "rows: " + seen.size());
    }

    @Test
    void coverageListNamesExistingRows() {
        var rows = new HashSet<String>();
        IsaRows.all().forEach(r -> rows.add(r.encoding()));
        for (String enc : IsaTable.committedCoverage().keySet()) assertTrue(rows.contains(enc), "no row " + enc);
    }

    /** The decoder's leafOf finds the row an encoding names, for a few spot checks. */
    @Test
    void bytesDecodeThroughTheirRow() {
        String[][] cases = {
            {"f0 48 01 18", "01 /r"}, {"41 57", "50+r"}, {"74 00", "70+cc cb"}, {"66 0f 38 00 c1", "66 0F 38 00 /r"},
            {"0f 38 00 c1", "NP 0F 38 00 /r"}, {"48 0f c7 0e", "REX.W 0F C7 /1 (mem)"}, {"0f c7 0e", "0F C7 /1 (mem)"},
            {"d9 e8", "D9 E8"}, {"dc c3", "DC C0+i"}, {"0f ae e8", "0F AE /5 (reg)"}, {"f3 48 0f b8 c1", "F3 0F B8 /r"},
            {"c4 e2 70 f2 c2", "VEX.LZ.NP.0F38 F2 /r"}, {"0f 1f 44 00 00", "0F 19-1F /r"},
        };
        var d = new Decoder();
        for (String[] c : cases) {
            byte[] b = HexFormat.of().parseHex(c[0].replace(" ", ""));
            Entry.Leaf leaf = d.leafOf(a -> a < b.length ? b[(int) a] & 0xFF : 0, 0);
            assertNotNull(leaf, c[0]);
            assertEquals(c[1], IsaRows.of(leaf).encoding(), c[0]);
        }
        byte[] lockedRegister = HexFormat.of().parseHex("f00118");     // lock add [rax], ebx is fine ...
        assertNotNull(d.leafOf(a -> a < lockedRegister.length ? lockedRegister[(int) a] & 0xFF : 0, 0));
        byte[] bad = HexFormat.of().parseHex("f001d8");                 // ... lock add eax, ebx is #UD
        assertEquals(null, d.leafOf(a -> a < bad.length ? bad[(int) a] & 0xFF : 0, 0));
    }
}
