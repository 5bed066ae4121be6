package dev.nexa.cpu.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Op;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The oracle's row table decodes to every SSE/MMX operation: an operation missing here would
 * have no host comparison at all.
 */
class SseRowCoverageTest {
    static List<Row> all() {
        var l = new ArrayList<Row>();
        Stream.of(Cases.fpArithmetic(), Cases.fpCompareRound(), Cases.conversions(), Cases.moves(),
                Cases.shuffles(), Cases.integer(), Cases.strings(), Cases.approximations()).forEach(l::addAll);
        return l;
    }

    @Test
    void everySseOperationHasAnOracleRow() {
        var decoder = new Decoder();
        var seen = EnumSet.noneOf(Op.class);
        for (Row r : all()) {
            for (boolean mem : new boolean[] {false, true}) {
                if (mem ? r.has(Row.REG_ONLY) || r.has(Row.NO_MODRM) || r.mem() == 0 : r.has(Row.MEM_ONLY)) continue;
                byte[] code = r.encode(1, mem ? -1 : 2, false, 0);
                Op op = decoder.decode(a -> a < code.length ? code[(int) a] & 0xFF : 0x90, 0, 0).op();
                assertNotEquals(Op.UD, op, r.name());
                seen.add(op);
            }
        }
        seen.add(Op.LDMXCSR);                                   // SseOracleProperties.ldmxcsrAndStmxcsr
        seen.add(Op.STMXCSR);
        var missing = EnumSet.noneOf(Op.class);
        for (Op op : Op.values()) {
            if (op.family() == Op.Family.SSE && !op.name().endsWith("_FIRST") && !seen.contains(op)) missing.add(op);
        }
        assertEquals(EnumSet.noneOf(Op.class), missing);
    }
}
