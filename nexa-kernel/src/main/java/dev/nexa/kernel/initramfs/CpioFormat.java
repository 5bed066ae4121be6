package dev.nexa.kernel.initramfs;

/** The two cpio header formats Linux accepts for an initramfs (buffer-format.rst). */
public enum CpioFormat {
    /** "newc": SVR4 portable ASCII with hexadecimal fields; c_chksum is not used. */
    NEWC("070701"),
    /** "crc": newc whose c_chksum is the 32-bit sum of the data bytes of each regular file. */
    CRC("070702");

    private final String magic;

    CpioFormat(String magic) {
        this.magic = magic;
    }

    /** The six ASCII bytes of c_magic. */
    public String magic() {
        return magic;
    }
}
