package dev.nexa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The command line as a user meets it: statuses, messages, and the elf report. */
class CliTest {
    record Result(int status, String out, String err) {}

    static synchronized Result nexa(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Runs {@code args} with the guest's stdout captured: its status and what it printed. */
    static synchronized Result guest(String... args) {
        var out = new GuestRun.CaptureFile("stdout");
        var oldStdio = RunCommand.stdio;
        try {
            RunCommand.stdio = () -> new GuestLauncher.Stdio(new GuestRun.BytesFile(new byte[0]), out, new GuestRun.CaptureFile("stderr"));
            Result r = nexa(args);
            return new Result(r.status(), new String(out.bytes(), StandardCharsets.ISO_8859_1), r.err());
        } finally {
            RunCommand.stdio = oldStdio;
        }
    }

    @Test
    void plainRunSkipsPicocliButBehavesTheSame() {
        String args = Path.of(System.getProperty("nexa.fixtures"), "bin", "musl-static", "args").toString();
        String[] plain = {"run", args, "-x", "--", "two words", "@not-a-file"};
        String[] viaPicocli = {"run", "--", args, "-x", "--", "two words", "@not-a-file"};
        assertFalse(RunCommand.isPlain(plain), "an @ argument goes through picocli (which expands @files)");
        assertTrue(RunCommand.isPlain(java.util.Arrays.copyOf(plain, 5)));
        assertFalse(RunCommand.isPlain(viaPicocli));
        Result fast = guest(java.util.Arrays.copyOf(plain, 5)), slow = guest(java.util.Arrays.copyOf(viaPicocli, 6));
        assertEquals(slow, fast);
        assertTrue(fast.out().contains("two words"), fast.out());
        assertEquals(127, guest("run", "/no/such/program").status());
    }

    @Test
    void unknownOptionIsAOneLineUsageError() {
        Result r = nexa("run", "--no-such-option", "/bin/true");
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("nexa: Unknown option: '--no-such-option'"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void badMemorySizeNamesTheValue() {
        Result r = nexa("run", "--mem", "lots", "/bin/true");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("'lots'"), r.err());
    }

    @Test
    void missingProgramIs127AndNonElfIs126() throws Exception {
        Result missing = nexa("run", "/no/such/program");
        assertEquals(127, missing.status());
        assertTrue(missing.err().contains("No such file or directory"), missing.err());

        Path notElf = Files.createTempFile("nexa-not-elf", ".bin");
        try {
            Files.writeString(notElf, "this is not an ELF file, just text\n");
            notElf.toFile().setExecutable(true);
            Result r = nexa("run", notElf.toString());
            assertEquals(126, r.status());
            assertTrue(r.err().contains("exec format error"), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        } finally {
            Files.delete(notElf);
        }
    }

    @Test
    void versionAndHelp() {
        Result v = nexa("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().startsWith("nexa "), v.out());
        Result h = nexa("--help");
        assertEquals(0, h.status());
        assertTrue(h.out().contains("run"), h.out());
    }

    @Test
    void elfJsonDescribesADynamicProgram() throws Exception {
        Path hello = FixtureCase.fixtures().resolve("bin/musl-dynamic/hello_dynamic");
        Result r = nexa("elf", "--json", hello.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("/lib/ld-musl-x86_64.so.1", j.get("interpreter").asText());
        assertTrue(j.get("loadPlan").get("relocatable").asBoolean());
        assertTrue(j.get("loadPlan").get("segments").size() >= 2);
    }

    @Test
    void elfRefusesNonElfWithFieldAndOffset() throws Exception {
        Path f = Files.createTempFile("nexa-elf", ".txt");
        try {
            Files.writeString(f, "hello");
            Result r = nexa("elf", f.toString());
            assertEquals(1, r.status());
            assertTrue(r.err().contains("e_ident") && r.err().contains("offset"), r.err());
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void cpioPackThenListShowsTheTree() throws Exception {
        Path dir = Files.createTempDirectory("nexa-pack");
        Path archive = Files.createTempFile("nexa", ".cpio");
        try {
            Files.createDirectories(dir.resolve("bin"));
            Files.writeString(dir.resolve("bin/hello"), "#!/bin/sh\necho hi\n");
            Files.createSymbolicLink(dir.resolve("bin/alias"), Path.of("hello"));
            Result pack = nexa("cpio", "pack", "--gzip", "--mtime", "0", "-o", archive.toString(), dir.toString());
            assertEquals(0, pack.status(), pack.err());
            Result list = nexa("cpio", "list", archive.toString());
            assertEquals(0, list.status(), list.err());
            assertTrue(list.out().contains(" bin/hello\n"), list.out());
            assertTrue(list.out().contains(" bin/alias -> hello\n"), list.out());
            Result names = nexa("cpio", "list", "--names", archive.toString());
            assertEquals(".\nbin\nbin/alias\nbin/hello\n", names.out());
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
            Files.deleteIfExists(archive);
        }
    }

    @Test
    void cpioListOfGarbageNamesOffsetAndField() throws Exception {
        Path f = Files.createTempFile("nexa-garbage", ".cpio");
        try {
            Files.writeString(f, "garbage!");
            Result r = nexa("cpio", "list", f.toString());
            assertEquals(1, r.status());
            assertTrue(r.err().contains("offset 0x0") && r.err().contains("c_magic"), r.err());
        } finally {
            Files.delete(f);
        }
    }
}
