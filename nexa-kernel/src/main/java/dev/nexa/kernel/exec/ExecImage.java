package dev.nexa.kernel.exec;

import dev.nexa.elf.ElfFile;
import dev.nexa.elf.LoadPlan;
import dev.nexa.kernel.vfs.MappableFile;

/** A parsed, validated ELF file ready to be mapped: where it came from and how it lays out. */
record ExecImage(String path, MappableFile file, ElfFile elf, LoadPlan plan) {}
