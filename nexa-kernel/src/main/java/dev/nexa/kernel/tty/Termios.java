package dev.nexa.kernel.tty;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A terminal's settings: Linux's {@code struct termios} / {@code struct termios2} (x86-64 uses
 * include/uapi/asm-generic/termbits.h). The ioctl layouts are the kernel's own, not glibc's: the
 * four flag words, {@code c_line}, {@code c_cc[NCCS = 19]} (36 bytes, TCGETS/TCSETS), then for
 * termios2 the input and output speeds at offsets 36 and 40 (44 bytes, TCGETS2/TCSETS2).
 * Mutable, owned by one {@link Tty}; {@link #copy()} gives a snapshot.
 */
public final class Termios {
    public static final int NCCS = 19;
    /** sizeof(struct termios) and sizeof(struct termios2) as the kernel copies them. */
    public static final int SIZE = 36, SIZE2 = 44;

    // c_cc indices.
    public static final int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7,
            VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15,
            VEOL2 = 16;
    /** A c_cc entry holding this value is disabled (_POSIX_VDISABLE). */
    public static final int DISABLED = 0;

    // c_iflag
    public static final int IGNBRK = 0000001, BRKINT = 0000002, IGNPAR = 0000004, PARMRK = 0000010, INPCK = 0000020,
            ISTRIP = 0000040, INLCR = 0000100, IGNCR = 0000200, ICRNL = 0000400, IUCLC = 0001000, IXON = 0002000,
            IXANY = 0004000, IXOFF = 0010000, IMAXBEL = 0020000, IUTF8 = 0040000;
    // c_oflag
    public static final int OPOST = 0000001, OLCUC = 0000002, ONLCR = 0000004, OCRNL = 0000010, ONOCR = 0000020,
            ONLRET = 0000040, OFILL = 0000100, OFDEL = 0000200, TABDLY = 0014000, XTABS = 0014000;
    // c_cflag
    public static final int CBAUD = 0010017, B38400 = 0000017, CSIZE = 0000060, CS8 = 0000060, CSTOPB = 0000100,
            CREAD = 0000200, PARENB = 0000400, PARODD = 0001000, HUPCL = 0002000, CLOCAL = 0004000, BOTHER = 0010000;
    // c_lflag
    public static final int ISIG = 0000001, ICANON = 0000002, XCASE = 0000004, ECHO = 0000010, ECHOE = 0000020,
            ECHOK = 0000040, ECHONL = 0000100, NOFLSH = 0000200, TOSTOP = 0000400, ECHOCTL = 0001000,
            ECHOPRT = 0002000, ECHOKE = 0004000, FLUSHO = 0010000, PENDIN = 0040000, IEXTEN = 0100000,
            EXTPROC = 0200000;

    public int iflag, oflag, cflag, lflag;
    public byte line;
    public final byte[] cc = new byte[NCCS];
    public int ispeed, ospeed;

    /**
     * tty_std_termios (drivers/tty/tty_io.c) with INIT_C_CC (include/linux/tty.h): what a
     * terminal starts with — cooked, echoing, signals on, 38400 baud, 8 bits.
     */
    public static Termios standard() {
        Termios t = new Termios();
        t.iflag = ICRNL | IXON;
        t.oflag = OPOST | ONLCR;
        t.cflag = B38400 | CS8 | CREAD | HUPCL;
        t.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
        byte[] init = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0};
        System.arraycopy(init, 0, t.cc, 0, init.length);
        t.ispeed = t.ospeed = 38400;
        return t;
    }

    /** Parses the kernel's struct termios (36 bytes) or termios2 (44 bytes). */
    public static Termios parse(byte[] raw) {
        if (raw.length < SIZE) throw new IllegalArgumentException("struct termios needs " + SIZE + " bytes, got " + raw.length);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        Termios t = new Termios();
        t.iflag = b.getInt(0);
        t.oflag = b.getInt(4);
        t.cflag = b.getInt(8);
        t.lflag = b.getInt(12);
        t.line = b.get(16);
        b.get(17, t.cc, 0, NCCS);
        if (raw.length >= SIZE2) {
            t.ispeed = b.getInt(36);
            t.ospeed = b.getInt(40);
        } else {
            t.ispeed = speedOf(t.cflag >>> 16 & CBAUD);
            t.ospeed = speedOf(t.cflag & CBAUD);
            if (t.ispeed == 0) t.ispeed = t.ospeed;             // "input speed 0 means same as output"
        }
        return t;
    }

    /** The kernel's struct termios (36 bytes) or, with {@code two}, termios2 (44 bytes). */
    public byte[] toBytes(boolean two) {
        ByteBuffer b = ByteBuffer.allocate(two ? SIZE2 : SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(iflag).putInt(oflag).putInt(cflag).putInt(lflag).put(line).put(cc);
        if (two) b.putInt(ispeed).putInt(ospeed);
        return b.array();
    }

    public Termios copy() {
        Termios t = new Termios();
        t.iflag = iflag;
        t.oflag = oflag;
        t.cflag = cflag;
        t.lflag = lflag;
        t.line = line;
        System.arraycopy(cc, 0, t.cc, 0, NCCS);
        t.ispeed = ispeed;
        t.ospeed = ospeed;
        return t;
    }

    /** Copies every field of {@code o} into this one. */
    public void set(Termios o) {
        iflag = o.iflag;
        oflag = o.oflag;
        cflag = o.cflag;
        lflag = o.lflag;
        line = o.line;
        System.arraycopy(o.cc, 0, cc, 0, NCCS);
        ispeed = o.ispeed;
        ospeed = o.ospeed;
    }

    /**
     * cfmakeraw(3) as glibc does it: no input processing, no output processing, no echo, no
     * canonical mode, no signals, 8 bits, and reads return as soon as one byte is there.
     */
    public void makeRaw() {
        iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        oflag &= ~OPOST;
        lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        cflag &= ~(CSIZE | PARENB);
        cflag |= CS8;
        cc[VMIN] = 1;
        cc[VTIME] = 0;
    }

    public boolean i(int bits) { return (iflag & bits) != 0; }

    public boolean o(int bits) { return (oflag & bits) != 0; }

    public boolean l(int bits) { return (lflag & bits) != 0; }

    /** A control character's value, or -1 when it is disabled (_POSIX_VDISABLE). */
    public int cc(int index) {
        int v = cc[index] & 0xff;
        return v == DISABLED ? -1 : v;
    }

    /** The bit rate a Bnnn code stands for (tty_baudrate.c's baud_table). */
    static int speedOf(int code) {
        int[] low = {0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400};
        int[] high = {0, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000,
                2500000, 3000000, 3500000, 4000000};
        if ((code & 0010000) == 0) return low[code & 017];
        return high[code & 017];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Termios t && iflag == t.iflag && oflag == t.oflag && cflag == t.cflag && lflag == t.lflag
                && line == t.line && Arrays.equals(cc, t.cc) && ispeed == t.ispeed && ospeed == t.ospeed;
    }

    @Override
    public int hashCode() { return Arrays.hashCode(toBytes(true)); }

    @Override
    public String toString() {
        return String.format("termios(iflag=0%o oflag=0%o cflag=0%o lflag=0%o cc=%s)", iflag, oflag, cflag, lflag,
                Arrays.toString(cc));
    }
}
