package dev.nexa.kernel.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The description format of the kernel's usr/gen_init_cpio.c, one entry a line:
 * <pre>
 * # a comment
 * file  &lt;name&gt; &lt;location&gt; &lt;mode&gt; &lt;uid&gt; &lt;gid&gt; [&lt;hard links&gt;]
 * dir   &lt;name&gt; &lt;mode&gt; &lt;uid&gt; &lt;gid&gt;
 * nod   &lt;name&gt; &lt;mode&gt; &lt;uid&gt; &lt;gid&gt; &lt;dev_type&gt; &lt;maj&gt; &lt;min&gt;
 * slink &lt;name&gt; &lt;target&gt; &lt;mode&gt; &lt;uid&gt; &lt;gid&gt;
 * pipe  &lt;name&gt; &lt;mode&gt; &lt;uid&gt; &lt;gid&gt;
 * sock  &lt;name&gt; &lt;mode&gt; &lt;uid&gt; &lt;gid&gt;
 * </pre>
 * mode is octal (permission bits; the type comes from the keyword), uid and gid decimal (-1 wraps to
 * 4294967295 as C's %d into a uid_t does), dev_type "b" or "c". In a file's location, {@code ${VAR}}
 * is replaced by the variable's value, or by nothing when it is unset, as gen_init_cpio's
 * {@code cpio_replace_env()} does (Nexa does not re-expand the substituted text). gen_init_cpio skips
 * unknown keywords and ignores extra fields; Nexa reports both, naming the file and line.
 */
public final class InitramfsSpec {

    /** One entry of the description. */
    public sealed interface Line permits FileLine, DirLine, NodLine, SlinkLine, PipeLine, SockLine {
        /** 1-based line number in the description. */
        int line();

        /** The name in the archive, as written. */
        String name();

        /** Permission bits, octal in the description. */
        int mode();

        long uid();

        long gid();
    }

    /** {@code file <name> <location> <mode> <uid> <gid> [<hard links>]}; location already expanded. */
    public record FileLine(int line, String name, String location, int mode, long uid, long gid,
                           List<String> hardLinks) implements Line {
        public FileLine {
            hardLinks = List.copyOf(hardLinks);
        }
    }

    /** {@code dir <name> <mode> <uid> <gid>}. */
    public record DirLine(int line, String name, int mode, long uid, long gid) implements Line {}

    /** {@code nod <name> <mode> <uid> <gid> <dev_type> <maj> <min>}; type is CHAR_DEVICE or BLOCK_DEVICE. */
    public record NodLine(int line, String name, int mode, long uid, long gid, FileType type, long major,
                          long minor) implements Line {}

    /** {@code slink <name> <target> <mode> <uid> <gid>}. */
    public record SlinkLine(int line, String name, String target, int mode, long uid, long gid) implements Line {}

    /** {@code pipe <name> <mode> <uid> <gid>}. */
    public record PipeLine(int line, String name, int mode, long uid, long gid) implements Line {}

    /** {@code sock <name> <mode> <uid> <gid>}. */
    public record SockLine(int line, String name, int mode, long uid, long gid) implements Line {}

    private final String sourceName;
    private final List<Line> lines;

    private InitramfsSpec(String sourceName, List<Line> lines) {
        this.sourceName = sourceName;
        this.lines = List.copyOf(lines);
    }

    /** The description's name in error messages. */
    public String sourceName() {
        return sourceName;
    }

    /** The entries in order. */
    public List<Line> lines() {
        return lines;
    }

    /** Parses a description file; errors name it as given. */
    public static InitramfsSpec parse(Path file, Map<String, String> environment)
            throws IOException, InitramfsSpecException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), environment);
    }

    /** Parses description text; {@code environment} supplies ${VAR} values (e.g. System.getenv()). */
    public static InitramfsSpec parse(String sourceName, String text, Map<String, String> environment)
            throws InitramfsSpecException {
        Objects.requireNonNull(environment);
        var out = new ArrayList<Line>();
        var rawLines = text.split("\n", -1);
        for (int i = 0; i < rawLines.length; i++) {
            int number = i + 1;
            var raw = rawLines[i];
            if (raw.startsWith("#")) {
                continue;  // gen_init_cpio: a '#' in the first column starts a comment
            }
            var t = raw.strip().split("[ \t\r\f\u000b]+");
            if (t.length == 0 || t[0].isEmpty()) {
                continue;
            }
            var p = new Fields(sourceName, number, t);
            out.add(switch (t[0]) {
                case "file" -> {
                    p.atLeast(6, "file <name> <location> <mode> <uid> <gid> [<hard links>]");
                    var links = List.of(t).subList(6, t.length);
                    yield new FileLine(number, t[1], expand(t[2], environment), p.mode(3), p.id(4, "uid"),
                            p.id(5, "gid"), links);
                }
                case "dir" -> {
                    p.exactly(5, "dir <name> <mode> <uid> <gid>");
                    yield new DirLine(number, t[1], p.mode(2), p.id(3, "uid"), p.id(4, "gid"));
                }
                case "nod" -> {
                    p.exactly(8, "nod <name> <mode> <uid> <gid> <dev_type> <maj> <min>");
                    var type = switch (t[5]) {
                        case "c" -> FileType.CHAR_DEVICE;
                        case "b" -> FileType.BLOCK_DEVICE;
                        default -> throw p.error("nod: dev_type \"" + t[5] + "\" is neither b (block) nor c (character)");
                    };
                    yield new NodLine(number, t[1], p.mode(2), p.id(3, "uid"), p.id(4, "gid"), type,
                            p.unsigned(6, "maj"), p.unsigned(7, "min"));
                }
                case "slink" -> {
                    p.exactly(6, "slink <name> <target> <mode> <uid> <gid>");
                    yield new SlinkLine(number, t[1], t[2], p.mode(3), p.id(4, "uid"), p.id(5, "gid"));
                }
                case "pipe" -> {
                    p.exactly(5, "pipe <name> <mode> <uid> <gid>");
                    yield new PipeLine(number, t[1], p.mode(2), p.id(3, "uid"), p.id(4, "gid"));
                }
                case "sock" -> {
                    p.exactly(5, "sock <name> <mode> <uid> <gid>");
                    yield new SockLine(number, t[1], p.mode(2), p.id(3, "uid"), p.id(4, "gid"));
                }
                default -> throw p.error("unknown entry type \"" + t[0]
                        + "\" (want file, dir, nod, slink, pipe or sock)");
            });
        }
        return new InitramfsSpec(sourceName, out);
    }

    /**
     * Writes the entries to {@code writer} as gen_init_cpio would: files take their content and mtime
     * from {@code location} (relative locations resolved against {@code baseDirectory}), the other
     * entries get {@code defaultMtime} (gen_init_cpio's -t); directories, pipes and sockets get
     * c_nlink 2 as there.
     */
    public void writeTo(CpioWriter writer, Path baseDirectory, long defaultMtime)
            throws IOException, InitramfsSpecException {
        for (var line : lines) {
            try {
                switch (line) {
                    case FileLine f -> {
                        var source = baseDirectory.resolve(f.location());
                        if (!Files.isRegularFile(source)) {
                            throw new InitramfsSpecException(sourceName, f.line(), "file: location \"" + f.location()
                                    + "\" (" + source + ") is not a readable regular file");
                        }
                        long mtime = Files.getLastModifiedTime(source, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000;
                        // gen_init_cpio clips timestamps past newc's 32 bits; so does Nexa, and below 0 too.
                        mtime = Math.clamp(mtime, 0L, 0xffff_ffffL);
                        writer.file(f.name(), source, attributes(f).withMtime(mtime),
                                f.hardLinks().toArray(String[]::new));
                    }
                    case DirLine d -> writer.directory(d.name(), attributes(d).withMtime(defaultMtime));
                    case NodLine n -> writer.node(n.name(), n.type(), n.major(), n.minor(),
                            attributes(n).withMtime(defaultMtime));
                    case SlinkLine s -> writer.symlink(s.name(), s.target(), attributes(s).withMtime(defaultMtime));
                    case PipeLine p -> writer.fifo(p.name(), attributes(p).withMtime(defaultMtime).withNlink(2));
                    case SockLine s -> writer.socket(s.name(), attributes(s).withMtime(defaultMtime).withNlink(2));
                }
            } catch (IllegalArgumentException e) {
                throw new InitramfsSpecException(sourceName, line.line(), e.getMessage());
            }
        }
    }

    private static CpioWriter.Attributes attributes(Line l) {
        return new CpioWriter.Attributes(l.mode(), l.uid(), l.gid(), 0, 0);
    }

    /** cpio_replace_env(): each ${VAR} becomes the variable's value, "" when unset. */
    static String expand(String location, Map<String, String> environment) {
        var sb = new StringBuilder();
        int from = 0;
        while (true) {
            int start = location.indexOf("${", from);
            int end = start < 0 ? -1 : location.indexOf('}', start + 2);
            if (end < 0) {
                sb.append(location, from, location.length());
                return sb.toString();
            }
            sb.append(location, from, start);
            sb.append(environment.getOrDefault(location.substring(start + 2, end), ""));
            from = end + 1;
        }
    }

    /** The fields of one line, with the checks and conversions of gen_init_cpio's sscanf formats. */
    private record Fields(String source, int line, String[] t) {
        InitramfsSpecException error(String detail) {
            return new InitramfsSpecException(source, line, detail);
        }

        void exactly(int n, String usage) throws InitramfsSpecException {
            if (t.length != n) {
                throw error(t[0] + ": expected \"" + usage + "\", got " + (t.length - 1) + " fields");
            }
        }

        void atLeast(int n, String usage) throws InitramfsSpecException {
            if (t.length < n) {
                throw error(t[0] + ": expected \"" + usage + "\", got " + (t.length - 1) + " fields");
            }
        }

        int mode(int i) throws InitramfsSpecException {
            try {
                int mode = Integer.parseInt(t[i], 8);
                if (mode < 0 || mode > 07777) {
                    throw error(t[0] + ": mode " + t[i] + " is not an octal permission mode (0 to 7777)");
                }
                return mode;
            } catch (NumberFormatException e) {
                throw error(t[0] + ": mode \"" + t[i] + "\" is not octal");
            }
        }

        long id(int i, String what) throws InitramfsSpecException {
            try {
                long v = Long.parseLong(t[i]);
                if (v < Integer.MIN_VALUE || v > 0xffff_ffffL) {
                    throw error(t[0] + ": " + what + " " + t[i] + " does not fit 32 bits");
                }
                return v & 0xffff_ffffL;
            } catch (NumberFormatException e) {
                throw error(t[0] + ": " + what + " \"" + t[i] + "\" is not a decimal number");
            }
        }

        long unsigned(int i, String what) throws InitramfsSpecException {
            try {
                long v = Long.parseLong(t[i]);
                if (v < 0 || v > 0xffff_ffffL) {
                    throw error(t[0] + ": " + what + " " + t[i] + " is not an unsigned 32-bit number");
                }
                return v;
            } catch (NumberFormatException e) {
                throw error(t[0] + ": " + what + " \"" + t[i] + "\" is not a decimal number");
            }
        }
    }
}
