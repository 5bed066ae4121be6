package dev.nexa.kernel.initramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import dev.nexa.cpu.fuzz.Fuzzing;

/**
 * Hostile input for {@link CpioReader}: whatever the bytes, it returns entries whose names are confined
 * to the root and whose extents lie inside an image no larger than the bound, or it throws a
 * {@link CpioFormatException} whose one-line message names the offset and the field. Any other
 * exception fails the property.
 *
 * <p>Tries are modest by default. For a long campaign run
 * {@code ./mvnw -B -pl nexa-kernel -am verify -Dnexa.long=true} (more tries, see
 * {@link Fuzzing}); a failing archive is kept in fixtures/regressions/cpio/ and replayed by
 * {@link CpioRegressionTest}; add {@code -Dtest=HostileInputTest -Dsurefire.failIfNoSpecifiedTests=false}
 * to run only these.
 */
@AddLifecycleHook(Fuzzing.class)
@Fuzzing.Keep(kind = "cpio", ext = "cpio")
class HostileInputTest {
    /** Small, so that decompression bombs are cheap to build and must hit it. */
    private static final long LIMIT = 256 * 1024;
    private static final CpioReader READER = new CpioReader().withMaxImageSize(LIMIT);
    private static final Set<String> FIELDS = Set.of("c_magic", "c_ino", "c_mode", "c_uid", "c_gid", "c_nlink",
            "c_mtime", "c_filesize", "c_maj", "c_min", "c_rmaj", "c_rmin", "c_namesize", "c_chksum", "name",
            "symlink target", "header", "padding", "gzip", "compression", "image");
    private static final Pattern MESSAGE = Pattern.compile(
            "fuzz\\.cpio: (member \\d+ \\(gzip at 0x[0-9a-f]+\\), )?offset 0x[0-9a-f]+: (\\S+|symlink target) .+");

    /**
     * Reads {@code bytes}; checks the outcome is one of the two allowed ones. Returns the archive or
     * null. A failing input is handed to {@link Fuzzing} for the regression corpus.
     */
    static CpioArchive check(byte[] bytes) {
        try {
            return checkUnrecorded(bytes);
        } catch (RuntimeException | Error e) {
            Fuzzing.failing(bytes);
            throw e;
        }
    }

    private static CpioArchive checkUnrecorded(byte[] bytes) {
        CpioArchive archive;
        try {
            archive = READER.read("fuzz.cpio", bytes);
        } catch (CpioFormatException e) {
            var message = e.getMessage();
            assertTrue(MESSAGE.matcher(message).matches(), message);
            assertFalse(message.contains("\n"), message);
            assertTrue(FIELDS.contains(e.field()), e.field());
            assertTrue(message.contains(": " + e.field() + " "), message);
            assertTrue(e.offset() >= 0 && e.offset() <= Math.max(bytes.length, LIMIT), message);
            return null;
        }
        var image = archive.image();
        assertTrue(image.size() <= LIMIT, "image of " + image.size() + " bytes");
        for (var e : archive.entries()) {
            assertConfined(e.name());
            assertTrue(e.headerOffset() >= 0 && e.headerOffset() < image.size());
            assertTrue(e.dataOffset() >= 0 && e.dataSize() >= 0 && e.dataOffset() + e.dataSize() <= image.size(),
                    e.toString());
            if (e.isSymlink()) {
                assertFalse(e.symlinkTarget().isEmpty());
            }
        }
        for (var g : archive.hardLinks()) {
            assertTrue(g.members().size() >= 2);
            assertTrue(archive.entries().containsAll(g.members()));
        }
        var fs = archive.unpack();
        assertEquals(".", fs.root().path());
        for (var n : fs.nodes()) {
            assertConfined(n.path());
            assertTrue(n.dataOffset() + n.dataSize() <= image.size());
            assertTrue(n.linkCount() >= 1);
        }
        return archive;
    }

    static void assertConfined(String name) {
        if (name.equals(".")) {
            return;
        }
        assertFalse(name.isEmpty() || name.startsWith("/") || name.endsWith("/"), name);
        for (var part : name.split("/", -1)) {
            assertFalse(part.isEmpty() || part.equals(".") || part.equals(".."), name);
        }
    }

    // ---- generators ----------------------------------------------------------------------------

    @Provide
    Arbitrary<String> hostileNames() {
        var component = Arbitraries.of("..", ".", "", "a", "b", "etc", "passwd", "ü", "TRAILER!!!", "x y");
        return component.list().ofMinSize(1).ofMaxSize(6)
                .map(parts -> String.join("/", parts))
                .flatMap(n -> Arbitraries.of("", "/", "./", "../", "//").map(prefix -> prefix + n));
    }

    private static final int[] MODES = {0100644, 0100755, 040755, 0120777, 020600, 060660, 010644, 0140755};

    @Provide
    Arbitrary<byte[]> validArchives() {
        var data = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        var entry = Combinators.combine(hostileNames(), Arbitraries.of(Arrays.stream(MODES).boxed().toList()), data,
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 4))
                .as((name, mode, bytes, nlink, ino) -> new Object[] {name, mode, bytes, nlink, ino});
        var archive = Combinators.combine(entry.list().ofMaxSize(8), Arbitraries.of("070701", "070702"),
                Arbitraries.of(true, false), Arbitraries.of(0, 1, 2))
                .as((entries, magic, trailer, compression) -> {
                    var raw = new RawCpio().magic(magic);
                    for (var e : entries) {
                        var name = (String) e[0];
                        int mode = (Integer) e[1];
                        var bytes = (byte[]) e[2];
                        boolean carriesData = (mode & FileType.S_IFMT) == 0100000 || (mode & FileType.S_IFMT) == 0120000;
                        if (!carriesData) {
                            bytes = new byte[0];
                        } else if ((mode & FileType.S_IFMT) == 0120000 && bytes.length == 0) {
                            bytes = "t".getBytes();
                        } else if ((mode & FileType.S_IFMT) == 0120000) {
                            bytes = new String(bytes, StandardCharsets.ISO_8859_1).replace('\0', 'z')
                                    .getBytes(StandardCharsets.UTF_8);
                        }
                        long sum = 0;
                        for (byte b : bytes) {
                            sum += b & 0xff;
                        }
                        var safeName = CpioNamesView.isRoot(name) ? "r" : name;
                        raw.entry(safeName.equals("TRAILER!!!") ? "t" : safeName, mode, (Integer) e[3],
                                (Integer) e[4], bytes, sum);
                    }
                    if (trailer) {
                        raw.trailer();
                    }
                    var bytes = raw.bytes();
                    return switch (compression) {
                        case 1 -> RawCpio.gzip(bytes);
                        case 2 -> RawCpio.concat(bytes, new byte[(4 - bytes.length % 4) % 4], RawCpio.gzip(bytes));
                        default -> bytes;
                    };
                });
        return archive;
    }

    /** The generated archives are themselves valid: otherwise the mutation properties prove little. */
    @Property(tries = 100)
    void generatedArchivesAreAccepted(@ForAll("validArchives") byte[] archive) {
        if (check(archive) == null) {
            try {
                READER.read("fuzz.cpio", archive);
            } catch (CpioFormatException e) {
                fail("generator made an invalid archive: " + e.getMessage());
            }
        }
    }

    @Property(tries = 200)
    void randomBytes(@ForAll @Size(max = 600) byte[] bytes, @ForAll boolean withMagic) {
        check(withMagic ? RawCpio.concat("070701".getBytes(), bytes) : bytes);
    }

    @Property(tries = 200)
    void bitFlipsOfAValidArchive(@ForAll("validArchives") byte[] archive,
                                 @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1 << 20) Integer> flips) {
        var bytes = archive.clone();
        if (bytes.length == 0) {
            return;
        }
        for (int f : flips) {
            int bit = f % (bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        check(bytes);
    }

    @Property(tries = 20)
    void truncationAtEveryOffset(@ForAll("validArchives") byte[] archive) {
        for (int cut = 0; cut < archive.length; cut++) {
            check(Arrays.copyOf(archive, cut));
        }
    }

    /** Overwrites one header field of the first entry with any 8 hex digits: huge sizes included. */
    @Property(tries = 300)
    void anyValueInAnyHeaderField(@ForAll @IntRange(min = 0, max = 12) int field,
                                  @ForAll long value, @ForAll("validArchives") byte[] archive) {
        var bytes = RawCpio.concat(new RawCpio().file("first", "some data").dir("d").trailer().bytes(), archive);
        var hex = String.format("%08X", value & 0xffff_ffffL).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(hex, 0, bytes, 6 + 8 * field, 8);
        check(bytes);
    }

    @Property(tries = 100)
    void hugeSizesAreErrorsNotAllocations(@ForAll @IntRange(min = 0x1000, max = Integer.MAX_VALUE) int size,
                                          @ForAll boolean nameSize) {
        var bytes = new RawCpio().file("f", "x").trailer().bytes();
        var hex = String.format("%08X", size).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(hex, 0, bytes, 6 + 8 * (nameSize ? 11 : 6), 8);
        var e = org.junit.jupiter.api.Assertions.assertThrows(CpioFormatException.class, () -> READER.read("fuzz.cpio", bytes));
        assertEquals(nameSize ? "c_namesize" : "c_filesize", e.field());
        check(bytes);
    }

    /** A non-hex character in a numeric field is an error naming exactly that field. */
    @Property(tries = 200)
    void nonHexDigitsNameTheField(@ForAll @IntRange(min = 0, max = 12 * 8 + 7) int position,
                                  @ForAll char c) {
        if (Character.digit(c, 16) >= 0 && c < 128) {
            return;
        }
        var bytes = new RawCpio().file("f", "x").trailer().bytes();
        bytes[6 + position] = (byte) c;
        if (Character.digit((char) (bytes[6 + position] & 0xff), 16) >= 0 && (bytes[6 + position] & 0xff) < 128) {
            return;  // the char's low byte happens to be a hex digit
        }
        try {
            READER.read("fuzz.cpio", bytes);
            fail("accepted a non-hex digit");
        } catch (CpioFormatException e) {
            var fields = List.of("c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime", "c_filesize", "c_maj",
                    "c_min", "c_rmaj", "c_rmin", "c_namesize", "c_chksum");
            assertEquals(fields.get(position / 8), e.field());
            assertEquals(6 + (position / 8) * 8, e.offset());
        }
    }

    @Property(tries = 200)
    void namesNeverEscapeTheRoot(@ForAll("hostileNames") String name, @ForAll boolean directory) {
        var raw = new RawCpio();
        var bytes = (directory ? raw.dir(name) : raw.file(name, "content")).trailer().bytes();
        var archive = check(bytes);
        if (archive != null) {
            assertEquals(name.equals("TRAILER!!!") ? 0 : 1, archive.entries().size(), name);
            for (var e : archive.entries()) {
                assertFalse(e.name().contains(".."), e.name());
            }
        }
    }

    /** Repeated names of every type in any order: unpack() replays them without failing. */
    @Property(tries = 200)
    void duplicateEntriesOfAnyType(@ForAll @Size(max = 12) List<@IntRange(min = 0, max = 7) Integer> types,
                                   @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 3) Integer> names) {
        var raw = new RawCpio();
        var pool = List.of("a", "a/b", "b", "a/b/c");
        for (int i = 0; i < Math.min(types.size(), names.size()); i++) {
            int mode = MODES[types.get(i)];
            var data = (mode & FileType.S_IFMT) == 0120000 ? "a".getBytes()
                    : (mode & FileType.S_IFMT) == 0100000 ? ("v" + i).getBytes() : new byte[0];
            raw.entry(pool.get(names.get(i)), mode, 2, 7, data, 0);
        }
        var archive = check(raw.trailer().bytes());
        assertTrue(archive != null);
    }

    @Property(tries = 20)
    void decompressionBombsHitTheLimit(@ForAll @IntRange(min = 1, max = 8) int megabytes) {
        var bomb = RawCpio.gzip(new byte[megabytes << 20]);
        try {
            READER.read("fuzz.cpio", bomb);
            fail("a " + megabytes + " MiB bomb passed a " + LIMIT + " byte limit");
        } catch (CpioFormatException e) {
            assertEquals("gzip", e.field());
        }
    }

    /** Name-shape checks the generator uses to avoid writing a non-directory root. */
    private static final class CpioNamesView {
        static boolean isRoot(String name) {
            return dev.nexa.kernel.initramfs.internal.CpioNames.normalize(name).equals(".");
        }
    }
}
