package dev.nexa.cli;

import dev.nexa.kernel.initramfs.CpioArchive;
import dev.nexa.kernel.initramfs.CpioEntry;
import dev.nexa.kernel.initramfs.CpioReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class BuiltinInitramfsTest {
    @Test
    void busyboxInitramfsHasInitShellAppletsAndFixtures() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BuiltinInitramfs.BUSYBOX)),
                "needs the Debian package busybox-static");
        byte[] bytes = BuiltinInitramfs.build(FixtureCase.fixtures());
        CpioArchive a = new CpioReader().read("builtin", bytes);
        Map<String, CpioEntry> byName = a.entries().stream().collect(Collectors.toMap(CpioEntry::name, Function.identity(), (x, y) -> y));
        CpioEntry init = byName.get("init");
        assertNotNull(init);
        assertEquals(0755, init.permissions());
        assertTrue(new String(init.readData()).startsWith("#!/bin/sh\n"));
        assertTrue(byName.get("bin/busybox").isRegular());
        assertEquals(Files.size(Path.of("/bin/busybox")), byName.get("bin/busybox").dataSize());
        assertEquals("/bin/busybox", byName.get("bin/sh").symlinkTarget());
        assertTrue(byName.containsKey("bin/ls") || byName.containsKey("usr/bin/ls"));
        assertTrue(byName.get("tmp").isDirectory());
        assertEquals(01777, byName.get("tmp").permissions());
        assertTrue(byName.containsKey("opt/nexa/bin/hello"), "the project's own fixtures are included");
    }

    @Test
    void libraryClosureFollowsDtNeededAndTheInterpreter() {
        Path ls = Path.of("/bin/ls");
        Assumptions.assumeTrue(Files.exists(ls), "needs coreutils");
        var libs = BuiltinInitramfs.closure(ls).stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(libs.contains("libc.so.6"), libs.toString());
        assertTrue(libs.contains("ld-linux-x86-64.so.2"), libs.toString());
    }
}
