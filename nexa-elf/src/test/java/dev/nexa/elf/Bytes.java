package dev.nexa.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian patching of test files. */
final class Bytes {
    private Bytes() {}

    static byte[] put8(byte[] file, long offset, int value) {
        byte[] copy = file.clone();
        copy[(int) offset] = (byte) value;
        return copy;
    }

    static byte[] put16(byte[] file, long offset, int value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putShort((int) offset, (short) value);
        return copy;
    }

    static byte[] put32(byte[] file, long offset, long value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt((int) offset, (int) value);
        return copy;
    }

    static byte[] put64(byte[] file, long offset, long value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong((int) offset, value);
        return copy;
    }

    static long get64(byte[] file, long offset) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong((int) offset);
    }
}
