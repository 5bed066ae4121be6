package dev.nexa.kernel.tty;

import dev.nexa.kernel.abi.Signal;

import java.util.BitSet;

import static dev.nexa.kernel.tty.Termios.*;

/**
 * Linux's default line discipline, N_TTY (drivers/tty/n_tty.c), in Java: the input processing
 * between the characters a terminal sends and what read(2) returns, driven by the tty's
 * {@link Termios}, and the output processing (OPOST) of what programs write and of echoes.
 * <ul>
 *   <li>Input: ISTRIP, IUCLC, IGNCR/ICRNL/INLCR, IXON/IXANY flow control, ISIG (INTR, QUIT,
 *       SUSP become signals for the foreground group, flushing the queues unless NOFLSH), and in
 *       canonical mode the line editing of ERASE, KILL, WERASE, LNEXT, REPRINT, EOF, EOL and
 *       EOL2, with ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL, ECHOPRT and IUTF8 erasing
 *       whole characters.</li>
 *   <li>The read buffer holds N_TTY_BUF_SIZE (4096) bytes, of which the completed lines are
 *       readable in canonical mode and everything otherwise. When it is full, input waits
 *       (the caller keeps the bytes not taken), except that a full canonical line still
 *       accepts the character that ends it, as n_tty does.</li>
 *   <li>Echoes go through an echo buffer of n_tty's byte codes and are written at the same
 *       moments n_tty writes them (at the end of each received block, before every write, on
 *       START), so what a terminal shows matches Linux byte for byte, including the echoes a
 *       signal character discards.</li>
 *   <li>Output: ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, XTABS, with the column tracking that tab
 *       erasing depends on.</li>
 * </ul>
 * Not modelled: parity and break flags (a host terminal does not report them), PARMRK
 * escapes, EXTPROC and packet mode. Methods run on the kernel thread only.
 */
public final class LineDiscipline {
    /** N_TTY_BUF_SIZE. */
    public static final int BUF_SIZE = 4096;

    /** What the line discipline needs from its tty. */
    public interface Port {
        /** Sends bytes to the terminal (already processed). */
        void transmit(byte[] b, int off, int len);

        /** How many bytes the terminal takes now (0 while output is stopped). */
        int writeRoom();

        /** ISIG: sends {@code sig} to the foreground process group. */
        void signal(int sig);

        /** stop_tty / start_tty (IXON's STOP and START characters). */
        void stopOutput();

        void startOutput();

        /** Output stopped by STOP or TCOOFF; and by TCOOFF only (START does not undo that). */
        boolean outputStopped();

        boolean tcoStopped();

        /**
         * tty_driver_flush_buffer: drops output the driver still holds. A host terminal has
         * none (writes go straight out); a pty's is what the master has not read yet.
         */
        default void flushOutput() {}
    }

    // Echo buffer op codes (n_tty.c).
    private static final int ECHO_OP_START = 0xff, ECHO_OP_MOVE_BACK_COL = 0x80, ECHO_OP_SET_CANON_COL = 0x81,
            ECHO_OP_ERASE_TAB = 0x82;
    private static final int ECHO_COMMIT_WATERMARK = 256, ECHO_BLOCK = 256,
            ECHO_DISCARD_WATERMARK = BUF_SIZE - (ECHO_BLOCK + 32);
    private static final int ERASE = 0, WERASE = 1, KILL = 2;

    private final Termios termios;
    private final Port port;

    // The read buffer: read_tail is always 0 (consumed bytes are shifted out).
    private final byte[] buf = new byte[BUF_SIZE];
    private int head;
    /** End of the completed lines (canon_head); everything before it is readable in canonical mode. */
    private int canonHead;
    /** read_flags: positions of line terminators in canonical mode. */
    private final BitSet lineEnds = new BitSet(BUF_SIZE);
    private boolean push, lnext, erasing, icanon;

    // Output state.
    private int column, canonColumn;

    // The echo ring (positions are counters; index = position & (BUF_SIZE - 1)).
    private final byte[] echoBuf = new byte[BUF_SIZE];
    private long echoHead, echoTail, echoCommit, echoMark;

    private final byte[] one = new byte[1];

    public LineDiscipline(Termios termios, Port port) {
        this.termios = termios;
        this.port = port;
        this.icanon = termios.l(ICANON);
    }

    // ---- settings ----------------------------------------------------------------------------------

    /**
     * n_tty_set_termios, after the tty's termios changed from {@code old}: switching canonical
     * mode off makes everything buffered readable; switching it on turns what is buffered into
     * one line that reads without a terminator (push). Clearing IXON restarts stopped output.
     */
    public void termiosChanged(Termios old) {
        if (old == null || ((old.lflag ^ termios.lflag) & (ICANON | EXTPROC)) != 0) {
            lineEnds.clear();
            if (!termios.l(ICANON) || head == 0) {
                canonHead = 0;
                push = false;
            } else {
                lineEnds.set(head - 1);
                canonHead = head;
                push = true;
            }
            erasing = false;
            lnext = false;
        }
        icanon = termios.l(ICANON);
        if (!termios.i(IXON) && old != null && (old.iflag & IXON) != 0 && !port.tcoStopped()) {
            port.startOutput();
            processEchoes();
        }
    }

    // ---- input -------------------------------------------------------------------------------------

    /**
     * n_tty_receive_buf: processes characters from the terminal. Returns how many were taken;
     * fewer than {@code len} when the read buffer is full (the caller offers the rest again
     * after a read made room).
     */
    public int receive(byte[] in, int off, int len) {
        int n = 0;
        while (n < len) {
            int room = BUF_SIZE - head - 1;
            if (room <= 0) {
                boolean overflow = icanon && canonHead == 0;
                if (overflow && room < 0) head--;
                if (!overflow) break;
            }
            receiveChar(in[off + n] & 0xff);
            n++;
        }
        flushEchoes();
        return n;
    }

    private void receiveChar(int c) {
        if (lnext) {
            // n_tty_receive_char_lnext: the character after LNEXT is taken literally.
            lnext = false;
            if (termios.i(ISTRIP)) c &= 0x7f;
            if (termios.i(IUCLC) && termios.l(IEXTEN)) c = tolower(c);
            receivePlain(c);
            return;
        }
        if (termios.i(ISTRIP)) c &= 0x7f;
        if (termios.i(IUCLC) && termios.l(IEXTEN)) c = tolower(c);
        if (special(c)) receiveSpecial(c);
        else receivePlain(c);
    }

    /** n_tty's char_map: the characters that need more than queueing and echoing in this mode. */
    private boolean special(int c) {
        if (c == DISABLED) return false;
        if (c == '\r' && termios.i(IGNCR | ICRNL)) return true;
        if (c == '\n' && termios.i(INLCR)) return true;
        if (termios.l(ICANON)) {
            if (c == termios.cc(VERASE) || c == termios.cc(VKILL) || c == termios.cc(VEOF) || c == '\n'
                    || c == termios.cc(VEOL)) return true;
            if (termios.l(IEXTEN) && (c == termios.cc(VWERASE) || c == termios.cc(VLNEXT) || c == termios.cc(VEOL2)
                    || termios.l(ECHO) && c == termios.cc(VREPRINT))) return true;
        }
        if (termios.i(IXON) && (c == termios.cc(VSTART) || c == termios.cc(VSTOP))) return true;
        return termios.l(ISIG) && (c == termios.cc(VINTR) || c == termios.cc(VQUIT) || c == termios.cc(VSUSP));
    }

    /** n_tty_receive_char_special. */
    private void receiveSpecial(int c) {
        if (termios.i(IXON)) {
            if (c == termios.cc(VSTART)) {
                port.startOutput();
                processEchoes();
                return;
            }
            if (c == termios.cc(VSTOP)) {
                port.stopOutput();
                return;
            }
        }
        if (termios.l(ISIG)) {
            if (c == termios.cc(VINTR)) {
                signalChar(Signal.SIGINT, c);
                return;
            }
            if (c == termios.cc(VQUIT)) {
                signalChar(Signal.SIGQUIT, c);
                return;
            }
            if (c == termios.cc(VSUSP)) {
                signalChar(Signal.SIGTSTP, c);
                return;
            }
        }
        if (port.outputStopped() && !port.tcoStopped() && termios.i(IXON) && termios.i(IXANY)) {
            port.startOutput();
            processEchoes();
        }
        if (c == '\r') {
            if (termios.i(IGNCR)) return;
            if (termios.i(ICRNL)) c = '\n';
        } else if (c == '\n' && termios.i(INLCR)) {
            c = '\r';
        }
        if (icanon) {
            if (c == termios.cc(VERASE) || c == termios.cc(VKILL) || c == termios.cc(VWERASE) && termios.l(IEXTEN)) {
                eraser(c);
                commitEchoes();
                return;
            }
            if (c == termios.cc(VLNEXT) && termios.l(IEXTEN)) {
                lnext = true;
                if (termios.l(ECHO)) {
                    finishErasing();
                    if (termios.l(ECHOCTL)) {
                        echoRaw('^');
                        echoRaw('\b');
                        commitEchoes();
                    }
                }
                return;
            }
            if (c == termios.cc(VREPRINT) && termios.l(ECHO) && termios.l(IEXTEN)) {
                finishErasing();
                echoChar(c);
                echoRaw('\n');
                for (int k = canonHead; k < head; k++) echoChar(buf[k] & 0xff);
                commitEchoes();
                return;
            }
            if (c == '\n') {
                if (termios.l(ECHO) || termios.l(ECHONL)) {
                    echoRaw('\n');
                    commitEchoes();
                }
                endLine(c);
                return;
            }
            if (c == termios.cc(VEOF)) {
                endLine(DISABLED);                       // the EOF character itself is never read
                return;
            }
            if (c == termios.cc(VEOL) || c == termios.cc(VEOL2) && termios.l(IEXTEN)) {
                if (termios.l(ECHO)) {
                    if (canonHead == head) echoSetCanonColumn();
                    echoChar(c);
                    commitEchoes();
                }
                endLine(c);
                return;
            }
        }
        if (termios.l(ECHO)) {
            finishErasing();
            if (c == '\n') {
                echoRaw('\n');
            } else {
                if (canonHead == head) echoSetCanonColumn();
                echoChar(c);
            }
            commitEchoes();
        }
        put(c);
    }

    /** n_tty_receive_char: an ordinary character. */
    private void receivePlain(int c) {
        if (port.outputStopped() && !port.tcoStopped() && termios.i(IXON) && termios.i(IXANY)) {
            port.startOutput();
            processEchoes();
        }
        if (termios.l(ECHO)) {
            finishErasing();
            if (canonHead == head) echoSetCanonColumn();
            echoChar(c);
            commitEchoes();
        }
        put(c);
    }

    /** The line is complete: its terminator is flagged and everything up to it becomes readable. */
    private void endLine(int c) {
        lineEnds.set(head);
        put(c);
        canonHead = head;
    }

    private void put(int c) {
        if (head < BUF_SIZE) buf[head++] = (byte) c;
    }

    /** n_tty_receive_signal_char: the signal, the flush (isig), then the echo of the character. */
    private void signalChar(int sig, int c) {
        if (termios.l(NOFLSH)) {
            port.signal(sig);
        } else {
            port.signal(sig);
            echoHead = echoTail = echoMark = echoCommit = 0;
            port.flushOutput();
            resetBuffer();
        }
        if (termios.i(IXON)) port.startOutput();
        if (termios.l(ECHO)) {
            echoChar(c);
            commitEchoes();
        } else {
            processEchoes();
        }
    }

    private boolean continuation(int c) { return termios.i(IUTF8) && (c & 0xc0) == 0x80; }

    private static boolean iscntrl(int c) { return c < 32 || c == 127; }

    /** The kernel's tolower and toupper (include/linux/ctype.h over lib/ctype.c's Latin-1 table). */
    private static int tolower(int c) {
        return c >= 'A' && c <= 'Z' || c >= 0xc0 && c <= 0xde && c != 0xd7 ? c + ('a' - 'A') : c;
    }

    private static int toupper(int c) {
        return c >= 'a' && c <= 'z' || c >= 0xdf && c != 0xf7 ? c - ('a' - 'A') : c;
    }

    /**
     * The kernel's isalnum (lib/ctype.c): its table is Latin-1, so the letters 0xc0-0xff (but
     * the signs 0xd7 and 0xf7) count too; WERASE sees a UTF-8 lead byte through it.
     */
    private static boolean alnum(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || c >= 0xc0 && c != 0xd7 && c != 0xf7;
    }

    /** n_tty's eraser(): ERASE, WERASE and KILL on the line being edited, with their echoes. */
    private void eraser(int c) {
        if (head == canonHead) return;
        int kind;
        if (c == termios.cc(VERASE)) {
            kind = ERASE;
        } else if (c == termios.cc(VWERASE)) {
            kind = WERASE;
        } else {
            if (!termios.l(ECHO)) {
                head = canonHead;
                return;
            }
            if (!termios.l(ECHOK) || !termios.l(ECHOKE) || !termios.l(ECHOE)) {
                head = canonHead;
                finishErasing();
                echoChar(termios.cc[VKILL] & 0xff);
                if (termios.l(ECHOK)) echoRaw('\n');
                return;
            }
            kind = KILL;
        }
        int seenAlnums = 0;
        while (head != canonHead) {
            int h = head;
            int ch;
            do {
                h--;
                ch = buf[h] & 0xff;
            } while (continuation(ch) && h != canonHead);
            if (continuation(ch)) break;                // do not partially erase
            if (kind == WERASE) {
                if (alnum(ch) || ch == '_') seenAlnums++;
                else if (seenAlnums > 0) break;
            }
            int cnt = head - h;
            head = h;
            if (termios.l(ECHO)) {
                if (termios.l(ECHOPRT)) {
                    if (!erasing) {
                        echoRaw('\\');
                        erasing = true;
                    }
                    echoChar(ch);
                    while (--cnt > 0) {
                        h++;
                        echoRaw(buf[h] & 0xff);
                        addEcho(ECHO_OP_START);
                        addEcho(ECHO_OP_MOVE_BACK_COL);
                    }
                } else if (kind == ERASE && !termios.l(ECHOE)) {
                    echoChar(termios.cc[VERASE] & 0xff);
                } else if (ch == '\t') {
                    int numChars = 0;
                    boolean afterTab = false;
                    for (int tail = head; tail != canonHead; ) {
                        tail--;
                        int t = buf[tail] & 0xff;
                        if (t == '\t') {
                            afterTab = true;
                            break;
                        } else if (iscntrl(t)) {
                            if (termios.l(ECHOCTL)) numChars += 2;
                        } else if (!continuation(t)) {
                            numChars++;
                        }
                    }
                    addEcho(ECHO_OP_START);
                    addEcho(ECHO_OP_ERASE_TAB);
                    addEcho((numChars & 7) | (afterTab ? 0x80 : 0));
                } else {
                    if (iscntrl(ch) && termios.l(ECHOCTL)) {
                        echoRaw('\b');
                        echoRaw(' ');
                        echoRaw('\b');
                    }
                    if (!iscntrl(ch) || termios.l(ECHOCTL)) {
                        echoRaw('\b');
                        echoRaw(' ');
                        echoRaw('\b');
                    }
                }
            }
            if (kind == ERASE) break;
        }
        if (head == canonHead && termios.l(ECHO)) finishErasing();
    }

    private void finishErasing() {
        if (erasing) {
            echoRaw('/');
            erasing = false;
        }
    }

    /** reset_buffer_flags: the read buffer and the line being edited are dropped. */
    public void resetBuffer() {
        head = canonHead = 0;
        erasing = false;
        push = false;
        lineEnds.clear();
    }

    // ---- reading -----------------------------------------------------------------------------------

    /**
     * input_available_p: a complete line in canonical mode, else at least {@code amount} bytes
     * (poll asks for VMIN bytes when VTIME is 0).
     */
    public boolean inputAvailable(int amount) {
        if (icanon) return canonHead > 0;
        return head >= Math.max(1, amount);
    }

    /** Bytes buffered: readable bytes for FIONREAD (canonical: completed lines, EOF marks excluded). */
    public int readable() {
        if (!icanon) return head;
        int n = canonHead;
        for (int k = lineEnds.nextSetBit(0); k >= 0 && k < canonHead; k = lineEnds.nextSetBit(k + 1)) {
            if (buf[k] == DISABLED) n--;
        }
        return n;
    }

    /** Bytes in the buffer, complete or not (room checks). */
    public int buffered() { return head; }

    public boolean canonical() { return icanon; }

    /**
     * Takes up to {@code max} bytes for read(2) into {@code dst}: in canonical mode at most one
     * line (its terminator included, an EOF character excluded: an empty result then means end of
     * file); otherwise whatever is buffered. The caller checked {@link #inputAvailable}.
     */
    public int read(byte[] dst, int max) {
        if (icanon) return canonRead(dst, max);
        int n = Math.min(max, head);
        System.arraycopy(buf, 0, dst, 0, n);
        consume(n);
        return n;
    }

    /** canon_copy_from_read_buf. */
    private int canonRead(byte[] dst, int max) {
        int n = Math.min(max, canonHead);
        int eol = lineEnds.nextSetBit(0);
        boolean found = eol >= 0 && eol < n;
        int copy, taken;
        if (found) {
            taken = eol + 1;
            copy = buf[eol] == DISABLED && lineEnds.get(eol) ? eol : taken;
        } else {
            taken = copy = n;
        }
        System.arraycopy(buf, 0, dst, 0, copy);
        if (found) {
            lineEnds.clear(eol);
            if (push) push = false;
        }
        consume(taken);
        return copy;
    }

    private void consume(int n) {
        if (n == 0) return;
        System.arraycopy(buf, n, buf, 0, head - n);
        head -= n;
        canonHead = Math.max(0, canonHead - n);
        BitSet shifted = lineEnds.get(n, BUF_SIZE);
        lineEnds.clear();
        lineEnds.or(shifted);
    }

    // ---- echo --------------------------------------------------------------------------------------

    private void addEcho(int b) { echoBuf[(int) (echoHead++ & (BUF_SIZE - 1))] = (byte) b; }

    private int echoAt(long pos) { return echoBuf[(int) (pos & (BUF_SIZE - 1))] & 0xff; }

    private void echoRaw(int c) {
        if (c == ECHO_OP_START) {
            addEcho(ECHO_OP_START);
            addEcho(ECHO_OP_START);
        } else {
            addEcho(c);
        }
    }

    /** echo_char: a control character shows as ^X with ECHOCTL (tabs excepted). */
    private void echoChar(int c) {
        if (c == ECHO_OP_START) {
            addEcho(ECHO_OP_START);
            addEcho(ECHO_OP_START);
        } else {
            if (termios.l(ECHOCTL) && iscntrl(c) && c != '\t') addEcho(ECHO_OP_START);
            addEcho(c);
        }
    }

    private void echoSetCanonColumn() {
        addEcho(ECHO_OP_START);
        addEcho(ECHO_OP_SET_CANON_COL);
    }

    /** commit_echoes: written once enough accumulated; otherwise at the end of the block. */
    private void commitEchoes() {
        long h = echoHead;
        echoMark = h;
        long old = echoCommit - echoTail;
        long nr = h - echoTail;
        if (nr < ECHO_COMMIT_WATERMARK || nr % ECHO_BLOCK > old % ECHO_BLOCK) return;
        echoCommit = h;
        writeEchoes();
    }

    /** process_echoes: what was committed (marked) goes out; called before writes and on START. */
    public void processEchoes() {
        if (echoMark == echoTail) return;
        echoCommit = echoMark;
        writeEchoes();
    }

    /** flush_echoes: at the end of a received block. */
    private void flushEchoes() {
        if (!termios.l(ECHO) && !termios.l(ECHONL) || echoCommit == echoHead) return;
        echoCommit = echoHead;
        writeEchoes();
    }

    /** __process_echoes. */
    private void writeEchoes() {
        int space = port.writeRoom();
        long tail = echoTail;
        Out out = new Out();
        loop:
        while (echoCommit != tail) {
            int c = echoAt(tail);
            if (c == ECHO_OP_START) {
                if (echoCommit == tail + 1) break;
                int op = echoAt(tail + 1);
                switch (op) {
                    case ECHO_OP_ERASE_TAB -> {
                        if (echoCommit == tail + 2) break loop;
                        int numChars = echoAt(tail + 2);
                        if ((numChars & 0x80) == 0) numChars += canonColumn;
                        int numBs = 8 - (numChars & 7);
                        if (numBs > space) break loop;
                        space -= numBs;
                        while (numBs-- > 0) {
                            out.put('\b');
                            if (column > 0) column--;
                        }
                        tail += 3;
                    }
                    case ECHO_OP_SET_CANON_COL -> {
                        canonColumn = column;
                        tail += 2;
                    }
                    case ECHO_OP_MOVE_BACK_COL -> {
                        if (column > 0) column--;
                        tail += 2;
                    }
                    case ECHO_OP_START -> {
                        if (space == 0) break loop;
                        out.put(ECHO_OP_START);
                        column++;
                        space--;
                        tail += 2;
                    }
                    default -> {
                        if (space < 2) break loop;
                        out.put('^');
                        out.put(op ^ 0100);
                        column += 2;
                        space -= 2;
                        tail += 2;
                    }
                }
            } else {
                if (termios.o(OPOST)) {
                    int r = outputChar(c, space, out);
                    if (r < 0) break;
                    space -= r;
                } else {
                    if (space == 0) break;
                    out.put(c);
                    space--;
                }
                tail++;
            }
        }
        // Nearly full: drop the oldest echoes so the next commit cannot overrun.
        while (echoCommit - tail >= ECHO_DISCARD_WATERMARK) {
            if (echoAt(tail) == ECHO_OP_START) tail += echoAt(tail + 1) == ECHO_OP_ERASE_TAB ? 3 : 2;
            else tail++;
        }
        echoTail = tail;
        out.flush();
    }

    // ---- output ------------------------------------------------------------------------------------

    /** Collects processed bytes and hands them to the port in one piece. */
    private final class Out {
        private byte[] b = new byte[64];
        private int n;

        void put(int c) {
            if (n == b.length) b = java.util.Arrays.copyOf(b, n * 2);
            b[n++] = (byte) c;
        }

        void flush() {
            if (n > 0) port.transmit(b, 0, n);
            n = 0;
        }
    }

    /**
     * do_output_char: one character with OPOST processing and column tracking. Returns the
     * bytes used, or -1 when {@code space} is too small.
     */
    private int outputChar(int c, int space, Out out) {
        if (space == 0) return -1;
        switch (c) {
            case '\n' -> {
                if (termios.o(ONLRET)) column = 0;
                if (termios.o(ONLCR)) {
                    if (space < 2) return -1;
                    canonColumn = column = 0;
                    out.put('\r');
                    out.put('\n');
                    return 2;
                }
                canonColumn = column;
            }
            case '\r' -> {
                if (termios.o(ONOCR) && column == 0) return 0;
                if (termios.o(OCRNL)) {
                    c = '\n';
                    if (termios.o(ONLRET)) canonColumn = column = 0;
                    break;
                }
                canonColumn = column = 0;
            }
            case '\t' -> {
                int spaces = 8 - (column & 7);
                if ((termios.oflag & TABDLY) == XTABS) {
                    if (space < spaces) return -1;
                    column += spaces;
                    for (int k = 0; k < spaces; k++) out.put(' ');
                    return spaces;
                }
                column += spaces;
            }
            case '\b' -> {
                if (column > 0) column--;
            }
            default -> {
                if (!iscntrl(c)) {
                    if (termios.o(OLCUC)) c = toupper(c);
                    if (!continuation(c)) column++;
                }
            }
        }
        out.put(c);
        return 1;
    }

    /**
     * n_tty_write's output: pending echoes first, then {@code len} bytes with OPOST processing
     * (or raw). Returns how many input bytes went out: all of them unless the terminal's room
     * ran out (output stopped).
     */
    public int write(byte[] src, int off, int len) {
        processEchoes();
        int space = port.writeRoom();
        Out out = new Out();
        int k = 0;
        if (termios.o(OPOST)) {
            for (; k < len; k++) {
                int r = outputChar(src[off + k] & 0xff, space, out);
                if (r < 0) break;
                space -= r;
            }
        } else {
            k = Math.min(len, space);
            for (int i = 0; i < k; i++) out.put(src[off + i]);
        }
        out.flush();
        return k;
    }

    /** The output column (for tests and tab expansion across writes). */
    public int column() { return column; }

    /** Sends one control character straight to the terminal (TCIOFF/TCION's START and STOP). */
    public void sendChar(int c) {
        one[0] = (byte) c;
        port.transmit(one, 0, 1);
    }
}
