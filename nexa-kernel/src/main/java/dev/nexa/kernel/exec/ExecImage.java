package dev.nexa.kernel.exec;

import dev.nexa.elf.ElfFile;
import dev.nexa.elf.LoadPlan;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.MappableFile;

/**
 * A parsed ELF file ready to be mapped: where it came from and how it lays out; or, when
 * {@code deferred} is set, why it cannot be mapped (an error Linux reports only after the point
 * of no return; {@code plan} is then null).
 */
record ExecImage(String path, MappableFile file, ElfFile elf, LoadPlan plan, ErrnoException deferred) {}
