package dev.nexa.kernel.exec;

import dev.nexa.cpu.Cpu;
import dev.nexa.cpu.CpuFeatures;
import dev.nexa.cpu.Reg;
import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfFile;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.elf.LoadPlan;
import dev.nexa.elf.LoadSegment;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.mm.AddressSpace;
import dev.nexa.kernel.mm.UserMemory;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.MappableFile;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.Vfs;
import dev.nexa.mem.FrameAllocator;
import dev.nexa.mem.Paging;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * execve(2) for ELF programs and #! scripts, as Linux's fs/exec.c and fs/binfmt_elf.c do it:
 * the program's PT_LOAD segments are mapped (a PIE at 0x5555_5555_4000, ET_EXEC at its own
 * addresses), its PT_INTERP interpreter at 0x7f00_0000_0000, an 8 MiB stack below
 * 0x7fff_ffff_f000 carries argc, argv, envp and the auxiliary vector, and execution starts at
 * the interpreter's entry (or the program's when static) with RDX = 0.
 * <p>
 * Everything that can fail is checked before the point of no return; only then is the old
 * address space replaced, so a failed execve leaves the caller exactly as it was.
 */
public final class ElfLoader {
    /** Linux's BINPRM_BUF_SIZE: how much of a #! line is read. */
    private static final int SHEBANG_MAX = 256;
    private static final int MAX_SCRIPT_DEPTH = 4;
    private static final long MAX_IMAGE = 256L << 20;

    private final Vfs vfs;
    private final FrameAllocator frames;
    private final RandomGenerator random;
    private final Consumer<String> log;

    public ElfLoader(Vfs vfs, FrameAllocator frames, RandomGenerator random, Consumer<String> log) {
        this.vfs = vfs;
        this.frames = frames;
        this.random = random;
        this.log = log;
    }

    /** Replaces the task's program with the one at {@code path}. */
    public ExecResult exec(Task task, String path, List<String> argv, List<String> envp) throws ErrnoException {
        return exec(task, Vfs.AT_FDCWD, path, 0, argv, envp);
    }

    /**
     * execveat: the program is {@code path} relative to {@code dirfd}, opened with the extra
     * {@code openFlags} (O_NOFOLLOW); its name for scripts and AT_EXECFN is "/dev/fd/N/path"
     * when the path is relative to a descriptor, as fs/exec.c alloc_bprm makes it.
     */
    public ExecResult exec(Task task, int dirfd, String path, int openFlags, List<String> argv, List<String> envp)
            throws ErrnoException {
        List<String> args = new ArrayList<>(argv);
        String file = path;
        String name = dirfd == Vfs.AT_FDCWD || path.startsWith("/") ? path : "/dev/fd/" + dirfd + "/" + path;
        for (int depth = 0; ; depth++) {
            OpenFile f = depth == 0 ? openExecutable(task.process(), dirfd, file, openFlags)
                    : openExecutable(task.process(), Vfs.AT_FDCWD, file, 0);
            String shown = depth == 0 ? name : file;
            try {
                byte[] head = readHead(f.mappable(), SHEBANG_MAX);
                if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
                    if (depth >= MAX_SCRIPT_DEPTH) throw new ErrnoException(Errno.ELOOP, file + ": too many #! levels");
                    args = scriptArgs(head, shown, args);
                    file = args.get(0);
                    continue;
                }
                return execElf(task, shown, f, args, envp);
            } finally {
                f.close();
            }
        }
    }

    /** #!interp [one-arg]: argv becomes interp, [arg], the script path, then argv[1..]. */
    private static List<String> scriptArgs(byte[] head, String file, List<String> argv) throws ErrnoException {
        int end = 2;
        while (end < head.length && head[end] != '\n') end++;
        if (end == head.length && head.length == SHEBANG_MAX) {
            // Linux 5.1+: a #! line that does not fit is refused unless the interpreter name fits.
        }
        String line = new String(head, 2, end - 2, StandardCharsets.UTF_8).strip();
        if (line.isEmpty()) throw new ErrnoException(Errno.ENOEXEC, file + ": empty #! line");
        int sp = indexOfBlank(line);
        String interp = sp < 0 ? line : line.substring(0, sp);
        String arg = sp < 0 ? null : line.substring(sp).strip();
        List<String> out = new ArrayList<>();
        out.add(interp);
        if (arg != null && !arg.isEmpty()) out.add(arg);
        out.add(file);
        if (argv.size() > 1) out.addAll(argv.subList(1, argv.size()));
        return out;
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == ' ' || s.charAt(i) == '\t') return i;
        return -1;
    }

    private OpenFile openExecutable(Process p, int dirfd, String path, int openFlags) throws ErrnoException {
        if (path.isEmpty()) throw new ErrnoException(Errno.ENOENT, "empty path");
        OpenFile f = vfs.open(p, dirfd, path, OpenFile.O_RDONLY | Vfs.FMODE_EXEC | openFlags, 0);
        Stat st = f.stat();
        if (!st.isRegular()) {
            f.close();
            throw new ErrnoException(Errno.EACCES, path + ": not a regular file");
        }
        if ((st.mode() & 0111) == 0) {
            f.close();
            throw new ErrnoException(Errno.EACCES, path + ": not executable");
        }
        return f;
    }

    private static byte[] readHead(MappableFile f, int max) throws ErrnoException {
        long n = Math.min(max, f.size());
        byte[] b = new byte[(int) n];
        f.readAt(0, MemorySegment.ofArray(b));
        return b;
    }

    /**
     * Reads and parses the file. Problems Linux finds before the point of no return become the
     * errno it answers (ELIBBAD for any problem with an interpreter); a layout Linux only rejects
     * after begin_new_exec (ElfFormatException.Kind#pastPointOfNoReturn) is returned as
     * {@code deferred}, for {@link #execElf} to fail with after discarding the old program.
     */
    private static ExecImage parse(String path, MappableFile file, boolean interpreter) throws ErrnoException {
        long size = file.size();
        if (size > MAX_IMAGE) {
            throw new ErrnoException(interpreter ? Errno.ELIBBAD : Errno.ENOEXEC,
                    path + ": larger than " + (MAX_IMAGE >> 20) + " MiB");
        }
        byte[] bytes = new byte[(int) size];
        file.readAt(0, MemorySegment.ofArray(bytes));
        ElfFile elf;
        try {
            elf = ElfFile.parse(bytes);
        } catch (ElfFormatException e) {
            Errno errno = interpreter ? Errno.ELIBBAD : errnoOf(e);
            throw new ErrnoException(errno, path + ": " + e.getMessage());
        }
        try {
            return new ExecImage(path, file, elf, LoadPlan.of(elf), null);
        } catch (ElfFormatException e) {
            if (!e.kind().pastPointOfNoReturn()) {
                throw new ErrnoException(interpreter ? Errno.ELIBBAD : errnoOf(e), path + ": " + e.getMessage());
            }
            return new ExecImage(path, file, elf, null, new ErrnoException(errnoOf(e), path + ": " + e.getMessage()));
        }
    }

    private static Errno errnoOf(ElfFormatException e) {
        try {
            return Errno.valueOf(e.linuxErrno());
        } catch (IllegalArgumentException | NullPointerException x) {
            return Errno.ENOEXEC;
        }
    }

    /**
     * begin_new_exec went ahead and the load failed afterwards: the old program is gone (its
     * address space replaced by an empty one, close-on-exec descriptors closed) and the error is
     * thrown for {@link dev.nexa.kernel.Kernel#exec} to turn into SIGSEGV (fs/exec.c bprm_execve).
     */
    private ErrnoException failPastPointOfNoReturn(Task task, ErrnoException why, AddressSpace replacement)
            throws ErrnoException {
        Process proc = task.process();
        AddressSpace next = replacement != null ? replacement : AddressSpace.create(frames);
        proc.replaceAddressSpace(next);
        task.cpu().mmu().switchTo(next.pageTable());
        task.cpu().flushBlockLookup();
        task.rebindMemory();
        proc.files().closeOnExec();
        log.accept("[EXEC] failed after the point of no return: " + why.getMessage());
        return why;
    }

    private ExecResult execElf(Task task, String path, OpenFile program, List<String> argv, List<String> envp)
            throws ErrnoException {
        Process proc = task.process();
        ExecImage main = parse(path, program.mappable(), false);
        ExecImage interp = null;
        OpenFile interpFile = null;
        String interpPath = main.elf().interpreter().orElse(null);
        try {
            if (interpPath != null) {
                try {
                    interpFile = openExecutableForInterp(proc, interpPath);
                } catch (ErrnoException e) {
                    throw new ErrnoException(e.errno(), path + ": interpreter " + interpPath + ": " + e.getMessage());
                }
                interp = parse(interpPath, interpFile.mappable(), true);
                if (interp.elf().interpreter().isPresent()) {
                    // load_elf_interp maps only the interpreter's PT_LOADs: its own PT_INTERP is
                    // ignored, so interpreters never chain (glibc's libc.so.6 works as one).
                    log.accept("[EXEC] " + interpPath + " names an interpreter of its own; ignored, as Linux does");
                }
                log.accept("[EXEC] Dynamic binary, interpreter: " + interpPath);
            }
            if (main.deferred() != null) throw failPastPointOfNoReturn(task, main.deferred(), null);
            if (interp != null && interp.deferred() != null) throw failPastPointOfNoReturn(task, interp.deferred(), null);

            // Build the new address space completely before touching the old one.
            AddressSpace mm = AddressSpace.create(frames);
            try {
                long mainBase = main.plan().relocatable() ? alignUp(AddressSpace.PIE_BASE, main.plan().alignment()) : 0;
                long interpBase = 0;
                if (interp != null) {
                    interpBase = alignUp(AddressSpace.INTERP_BASE, interp.plan().alignment());
                    if (!interp.plan().relocatable()) interpBase = 0;
                }
                try {
                    mapImage(mm, main, mainBase);
                    if (interp != null) mapImage(mm, interp, interpBase);
                } catch (ErrnoException e) {
                    // elf_map, the bss brk and load_elf_interp run after begin_new_exec in Linux.
                    throw failPastPointOfNoReturn(task, new ErrnoException(e.errno(), path + ": " + e.getMessage()), mm);
                }
                // Plan addresses are relative to the load base (see LoadPlan); AT_BASE is the
                // interpreter's load bias, where its link-time address 0 lands.
                long interpBias = interp == null ? 0 : interp.plan().relocatable() ? interp.plan().loadBias(interpBase) : 0;
                mm.initBrk(mainBase + main.plan().brkStart());
                mm.map(AddressSpace.STACK_TOP - AddressSpace.STACK_SIZE, AddressSpace.STACK_SIZE,
                        Vma.PROT_READ | Vma.PROT_WRITE | (main.elf().executableStack() ? Vma.PROT_EXEC : 0),
                        Vma.MAP_PRIVATE | Vma.MAP_ANONYMOUS | Vma.MAP_FIXED | Vma.MAP_GROWSDOWN, null, 0, 0, "[stack]");

                long entry = mainBase + main.plan().entry();
                long startPc = interp == null ? entry : interpBase + interp.plan().entry();
                // AT_PHDR is where the PT_LOAD holding e_phoff puts the table; when none holds it, Linux
                // (load_elf_binary, 5.18+) still adds the load bias to 0, so the guest sees an address
                // where nothing may be mapped rather than some other segment's bytes.
                var phdrVaddr = main.plan().phdrVaddr();
                long phdr = phdrVaddr.isPresent() ? mainBase + phdrVaddr.getAsLong()
                        : main.plan().relocatable() ? main.plan().loadBias(mainBase) : 0;
                long[][] auxv = auxv(proc, phdr, main.elf(), interpBias, entry);

                // Point of no return.
                Cpu cpu = task.cpu();
                proc.replaceAddressSpace(mm);
                cpu.mmu().switchTo(mm.pageTable());
                cpu.flushBlockLookup();
                task.rebindMemory();
                proc.files().closeOnExec();
                proc.resetHandlersForExec();
                task.clearChildTid = 0;
                task.robustList = 0;
                task.rseq = 0;
                // begin_new_exec forgets the alternate stack (sas_ss_sp/size); ss_flags stay.
                task.altStackSp = 0;
                task.altStackSize = 0;
                byte[] rnd = new byte[16];
                random.nextBytes(rnd);
                UserMemory mem = task.memory();
                InitialStack.Built stack = InitialStack.build(mem, AddressSpace.STACK_TOP, argv, envp, path, auxv, rnd);
                cpu.reset();
                cpu.setReg(Reg.RSP, stack.sp());
                cpu.setRip(startPc);
                // RDX = 0: no rtld_fini for the program to register (x86-64 psABI §3.4.1).
                cpu.setReg(Reg.RDX, 0);
                proc.execed(path, argv, envp, stack.auxv());
                proc.exe = program.location();
                if (interp != null) {
                    log.accept(String.format("[EXEC] Dynamic: interp_entry=0x%x main_entry=0x%x AT_BASE=0x%x",
                            startPc, entry, interpBias));
                } else {
                    log.accept(String.format("[EXEC] Static binary: %s entry=0x%x", path, entry));
                }
                ExecResult result = new ExecResult(path, interpPath, mainBase, interpBase, entry, startPc, stack.sp(),
                        mm.brk(), stack.auxv());
                if (task.kernel() != null) task.kernel().trace().exec(task, result);
                return result;
            } catch (ErrnoException | RuntimeException e) {
                if (proc.addressSpace() != mm) mm.destroy();
                throw e;
            }
        } finally {
            if (interpFile != null) interpFile.close();
        }
    }

    private OpenFile openExecutableForInterp(Process p, String path) throws ErrnoException {
        OpenFile f = vfs.open(p, Vfs.AT_FDCWD, path, OpenFile.O_RDONLY | Vfs.FMODE_EXEC, 0);
        if (!f.stat().isRegular()) {
            f.close();
            throw new ErrnoException(Errno.EACCES, path + ": not a regular file");
        }
        return f;
    }

    private static long alignUp(long v, long align) {
        long a = Math.max(align, Paging.PAGE_SIZE);
        if (Long.bitCount(a) != 1) a = Paging.PAGE_SIZE;
        return (v + a - 1) & -a;
    }

    /** Maps every PT_LOAD of the image at {@code base}, in program-header order (later ones win), as {@link LoadSegment} describes. */
    private static void mapImage(AddressSpace mm, ExecImage img, long base) throws ErrnoException {
        for (LoadSegment s : img.plan().segments()) {
            if (s.pageEnd() == s.pageVaddr()) continue;
            long fileStart = base + s.pageVaddr(), fileEnd = base + s.filePageEnd(), end = base + s.pageEnd();
            int flags = Vma.MAP_PRIVATE | Vma.MAP_FIXED | Vma.MAP_DENYWRITE;
            if (fileEnd > fileStart) {
                // elf_map maps whole file pages: the bytes after p_filesz in the last one are the file's
                // (zero past its end), unless padzero() clears them for a writable segment with bss.
                long fileLimit = s.zeroesPartialPage() ? s.fileBytes() : fileEnd - fileStart;
                mm.map(fileStart, fileEnd - fileStart, s.prot(), flags, img.file(), s.fileOffset(), fileLimit, null);
            }
            if (end > fileEnd) {
                mm.map(fileEnd, end - fileEnd, s.anonProt(), flags | Vma.MAP_ANONYMOUS, null, 0, 0, null);
            }
        }
    }

    private static long[][] auxv(Process p, long phdr, ElfFile elf, long interpBase, long entry) {
        return new long[][] {
                {Elf.AT_MINSIGSTKSZ, 2048},
                {Elf.AT_HWCAP, CpuFeatures.HWCAP},
                {Elf.AT_PAGESZ, Paging.PAGE_SIZE},
                {Elf.AT_CLKTCK, 100},
                {Elf.AT_PHDR, phdr},
                {Elf.AT_PHENT, elf.header().phentsize()},
                {Elf.AT_PHNUM, elf.header().phnum()},
                {Elf.AT_BASE, interpBase},
                {Elf.AT_FLAGS, 0},
                {Elf.AT_ENTRY, entry},
                {Elf.AT_UID, p.uid},
                {Elf.AT_EUID, p.euid},
                {Elf.AT_GID, p.gid},
                {Elf.AT_EGID, p.egid},
                {Elf.AT_SECURE, 0},
                {Elf.AT_RANDOM, InitialStack.RANDOM_BYTES},
                {Elf.AT_HWCAP2, CpuFeatures.HWCAP2},
                {Elf.AT_EXECFN, InitialStack.EXECFN_STRING},
                {Elf.AT_PLATFORM, InitialStack.PLATFORM_STRING},
                {Elf.AT_NULL, 0},
        };
    }
}
