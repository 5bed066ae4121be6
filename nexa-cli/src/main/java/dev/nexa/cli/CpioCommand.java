package dev.nexa.cli;

import dev.nexa.kernel.initramfs.Compression;
import dev.nexa.kernel.initramfs.CpioArchive;
import dev.nexa.kernel.initramfs.CpioEntry;
import dev.nexa.kernel.initramfs.CpioFormat;
import dev.nexa.kernel.initramfs.CpioFormatException;
import dev.nexa.kernel.initramfs.CpioReader;
import dev.nexa.kernel.initramfs.CpioWriter;
import dev.nexa.kernel.initramfs.DirectoryPacker;
import dev.nexa.kernel.initramfs.InitramfsSpec;
import dev.nexa.kernel.initramfs.InitramfsSpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nexa cpio list|pack}: inspect and build initramfs archives (newc/crc, optionally gzip). */
@Command(name = "cpio", mixinStandardHelpOptions = true, description = "Inspect and build initramfs (cpio) archives.",
        subcommands = {CpioCommand.List.class, CpioCommand.Pack.class})
final class CpioCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list or pack");
    }

    /** {@code nexa cpio list ARCHIVE}: like {@code cpio -itv}, as the kernel would unpack it. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an archive's entries (like cpio -itv).")
    static final class List implements Callable<Integer> {
        @Parameters(paramLabel = "ARCHIVE", description = "A cpio archive (newc or crc, gzip allowed, concatenated members allowed).")
        Path archive;

        @Option(names = "--names", description = "Print names only (like cpio -it).")
        boolean namesOnly;

        private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM ppd  yyyy", Locale.ROOT)
                .withZone(ZoneOffset.UTC);

        @Override
        public Integer call() throws IOException {
            CpioArchive a;
            try {
                a = new CpioReader().read(archive);
            } catch (NoSuchFileException e) {
                System.err.println("nexa cpio: " + archive + ": No such file or directory");
                return 1;
            } catch (CpioFormatException e) {
                System.err.println("nexa cpio: " + e.getMessage());
                return 1;
            }
            StringBuilder sb = new StringBuilder();
            for (CpioEntry e : a.entries()) {
                if (namesOnly) {
                    sb.append(e.name()).append('\n');
                    continue;
                }
                sb.append(String.format("%s %3d %-8d %-8d %8d %s %s", modeString(e), e.nlink(), e.uid(), e.gid(),
                        e.isCharDevice() || e.isBlockDevice() ? 0 : e.dataSize(),
                        DATE.format(Instant.ofEpochSecond(e.mtime())), e.name()));
                if (e.isSymlink()) sb.append(" -> ").append(e.symlinkTarget());
                if (e.isCharDevice() || e.isBlockDevice()) sb.append(" (").append(e.rdevMajor()).append(", ").append(e.rdevMinor()).append(')');
                sb.append('\n');
            }
            System.out.print(sb);
            return 0;
        }

        static String modeString(CpioEntry e) {
            int m = e.mode();
            char[] s = new char[10];
            s[0] = e.type().lsChar();
            String rwx = "rwxrwxrwx";
            for (int k = 0; k < 9; k++) s[k + 1] = (m & (0400 >> k)) != 0 ? rwx.charAt(k) : '-';
            if ((m & 04000) != 0) s[3] = s[3] == 'x' ? 's' : 'S';
            if ((m & 02000) != 0) s[6] = s[6] == 'x' ? 's' : 'S';
            if ((m & 01000) != 0) s[9] = s[9] == 'x' ? 't' : 'T';
            return new String(s);
        }
    }

    /** {@code nexa cpio pack -o OUT (DIR | --spec FILE)}. */
    @Command(name = "pack", mixinStandardHelpOptions = true,
            description = "Build an archive from a directory, or from a gen_init_cpio spec (file/dir/nod/slink/pipe/sock lines).")
    static final class Pack implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The archive to write.")
        Path output;

        @Option(names = "--spec", paramLabel = "FILE", description = "A gen_init_cpio description instead of a directory.")
        Path spec;

        @Option(names = "--gzip", description = "Compress the archive with gzip.")
        boolean gzip;

        @Option(names = "--crc", description = "Write the \"crc\" format (070702) instead of \"newc\".")
        boolean crc;

        @Option(names = "--mtime", paramLabel = "SECONDS", description = "Timestamp for every entry (reproducible archives).")
        Long mtime;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The directory to pack.")
        Path directory;

        @Override
        public Integer call() throws IOException {
            if ((spec == null) == (directory == null)) {
                System.err.println("nexa cpio pack: give either a directory or --spec FILE");
                return 125;
            }
            Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp));
                 CpioWriter w = new CpioWriter(out, crc ? CpioFormat.CRC : CpioFormat.NEWC,
                         gzip ? Compression.GZIP : Compression.NONE)) {
                if (spec != null) {
                    InitramfsSpec s = InitramfsSpec.parse(spec, System.getenv());
                    s.writeTo(w, spec.toAbsolutePath().getParent(), mtime == null ? 0 : mtime);
                } else {
                    if (!Files.isDirectory(directory)) {
                        System.err.println("nexa cpio pack: " + directory + ": not a directory");
                        return 1;
                    }
                    DirectoryPacker p = new DirectoryPacker();
                    if (mtime != null) p = p.withMtime(mtime);
                    p.pack(directory, w);
                }
                w.finish();
            } catch (InitramfsSpecException e) {
                Files.deleteIfExists(tmp);
                System.err.println("nexa cpio pack: " + e.getMessage());
                return 1;
            } catch (NoSuchFileException e) {
                Files.deleteIfExists(tmp);
                System.err.println("nexa cpio pack: " + e.getFile() + ": No such file or directory");
                return 1;
            }
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return 0;
        }
    }
}
