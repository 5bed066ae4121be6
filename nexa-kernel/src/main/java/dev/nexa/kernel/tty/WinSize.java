package dev.nexa.kernel.tty;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** struct winsize (include/uapi/asm-generic/termios.h): four unsigned shorts, 8 bytes. */
public record WinSize(int rows, int cols, int xpixel, int ypixel) {
    public static final int SIZE = 8;
    public static final WinSize NONE = new WinSize(0, 0, 0, 0);

    public static WinSize parse(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return new WinSize(b.getShort(0) & 0xffff, b.getShort(2) & 0xffff, b.getShort(4) & 0xffff, b.getShort(6) & 0xffff);
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) rows).putShort((short) cols).putShort((short) xpixel).putShort((short) ypixel).array();
    }
}
