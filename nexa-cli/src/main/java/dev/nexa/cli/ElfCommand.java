package dev.nexa.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfFile;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.elf.LoadPlan;
import dev.nexa.elf.LoadSegment;
import dev.nexa.elf.ProgramHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nexa elf FILE [--json]}: what Nexa's loader sees in an ELF file — type, entry,
 * interpreter, needed libraries, program headers, and the page-level load plan (or why Linux
 * would refuse the file).
 */
@Command(name = "elf", mixinStandardHelpOptions = true, description = "Show what the loader sees in an ELF file.")
final class ElfCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Parameters(paramLabel = "FILE", description = "The ELF file.")
    Path file;

    @Override
    public Integer call() throws IOException {
        ElfFile elf;
        try {
            elf = ElfFile.parse(file);
        } catch (NoSuchFileException e) {
            System.err.println("nexa elf: " + file + ": No such file or directory");
            return 1;
        } catch (ElfFormatException e) {
            System.err.println("nexa elf: " + file + ": " + e.getMessage());
            return 1;
        }
        LoadPlan plan = null;
        String planError = null;
        try {
            plan = LoadPlan.of(elf);
        } catch (ElfFormatException e) {
            planError = e.getMessage();
        }
        if (json) printJson(elf, plan, planError, System.out);
        else printText(elf, plan, planError, System.out);
        return planError == null ? 0 : 1;
    }

    private static String type(ElfFile elf) {
        return switch (elf.header().type()) {
            case Elf.ET_EXEC -> "EXEC";
            case Elf.ET_DYN -> elf.interpreter().isPresent() || elf.dynamic().map(d -> d.pie()).orElse(false) ? "DYN (PIE)" : "DYN";
            case Elf.ET_REL -> "REL";
            case Elf.ET_CORE -> "CORE";
            default -> "0x" + Integer.toHexString(elf.header().type());
        };
    }

    private static String perms(int prot) {
        return ((prot & Elf.PROT_READ) != 0 ? "r" : "-") + ((prot & Elf.PROT_WRITE) != 0 ? "w" : "-")
                + ((prot & Elf.PROT_EXEC) != 0 ? "x" : "-");
    }

    private void printText(ElfFile elf, LoadPlan plan, String planError, PrintStream out) {
        out.printf("%s: ELF64 x86-64 %s, entry 0x%x%n", file, type(elf), elf.header().entry());
        out.println("interpreter: " + elf.interpreter().orElse("(none: static)"));
        elf.dynamic().ifPresent(d -> {
            if (!d.needed().isEmpty()) out.println("needed: " + String.join(", ", d.needed()));
            d.soname().ifPresent(s -> out.println("soname: " + s));
            d.runpath().ifPresent(s -> out.println("runpath: " + s));
            d.rpath().ifPresent(s -> out.println("rpath: " + s));
        });
        out.println("stack: " + (elf.executableStack() ? "executable" : "non-executable"));
        out.println("program headers:");
        out.println("  type           offset     vaddr              filesz     memsz      flags align");
        for (ProgramHeader p : elf.programHeaders()) {
            out.printf("  %-14s 0x%08x 0x%016x 0x%08x 0x%08x %s   0x%x%n", p.typeName(), p.offset(), p.vaddr(),
                    p.filesz(), p.memsz(), perms(p.prot()), p.align());
        }
        if (plan == null) {
            out.println("load plan: refused: " + planError);
            return;
        }
        out.printf("load plan (%s, %d pages, alignment 0x%x):%n",
                plan.relocatable() ? "relative to the load base" : "absolute", plan.span() / Elf.PAGE_SIZE, plan.alignment());
        for (LoadSegment s : plan.segments()) {
            out.printf("  [0x%x, 0x%x) %s file 0x%x+0x%x, zero to 0x%x%n", s.pageVaddr(), s.pageEnd(), perms(s.prot()),
                    s.fileOffset(), s.fileBytes(), s.memEnd());
        }
        plan.phdrVaddr().ifPresent(v -> out.printf("  program headers at 0x%x, entry at 0x%x, brk from 0x%x%n", v,
                plan.entry(), plan.brkStart()));
    }

    private void printJson(ElfFile elf, LoadPlan plan, String planError, PrintStream out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("file", file.toString());
            g.writeStringField("type", type(elf));
            g.writeNumberField("entry", elf.header().entry());
            g.writeStringField("interpreter", elf.interpreter().orElse(null));
            g.writeArrayFieldStart("needed");
            for (String n : elf.dynamic().map(d -> d.needed()).orElse(java.util.List.of())) g.writeString(n);
            g.writeEndArray();
            g.writeStringField("runpath", elf.dynamic().flatMap(d -> d.runpath()).orElse(null));
            g.writeBooleanField("executableStack", elf.executableStack());
            g.writeArrayFieldStart("programHeaders");
            for (ProgramHeader p : elf.programHeaders()) {
                g.writeStartObject();
                g.writeStringField("type", p.typeName());
                g.writeNumberField("offset", p.offset());
                g.writeNumberField("vaddr", p.vaddr());
                g.writeNumberField("filesz", p.filesz());
                g.writeNumberField("memsz", p.memsz());
                g.writeStringField("flags", perms(p.prot()));
                g.writeNumberField("align", p.align());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (plan == null) {
                g.writeStringField("loadError", planError);
            } else {
                g.writeObjectFieldStart("loadPlan");
                g.writeBooleanField("relocatable", plan.relocatable());
                g.writeNumberField("span", plan.span());
                g.writeNumberField("alignment", plan.alignment());
                g.writeNumberField("entry", plan.entry());
                if (plan.phdrVaddr().isPresent()) g.writeNumberField("phdr", plan.phdrVaddr().getAsLong());
                g.writeNumberField("brk", plan.brkStart());
                g.writeArrayFieldStart("segments");
                for (LoadSegment s : plan.segments()) {
                    g.writeStartObject();
                    g.writeNumberField("start", s.pageVaddr());
                    g.writeNumberField("end", s.pageEnd());
                    g.writeStringField("prot", perms(s.prot()));
                    g.writeNumberField("fileOffset", s.fileOffset());
                    g.writeNumberField("fileBytes", s.fileBytes());
                    g.writeNumberField("memEnd", s.memEnd());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        out.println();
    }
}
