package dev.nexa.kernel.vfs.devfs;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.tty.Console;
import dev.nexa.kernel.vfs.Devices;

/**
 * The terminal devices: /dev/tty (5:0, the caller's controlling terminal), /dev/console (5:1)
 * and /dev/ttyS0 (4:64, the console under the name of the serial port it stands for). What
 * they open is the machine's {@link Console}: a terminal when Nexa runs on one, else Nexa's own
 * standard streams.
 */
public final class ConsoleDevices {
    private ConsoleDevices() {}

    public static void register(Devices devices, Kernel kernel) {
        devices.register(Console.TTYAUX_MAJOR, 0, (t, p, node, flags) -> kernel.console().openCurrent(t, p, node, flags));
        devices.register(Console.TTYAUX_MAJOR, 1, (t, p, node, flags) -> kernel.console().openConsole(p, node, flags));
        devices.register(Console.TTY_MAJOR, Console.SERIAL_MINOR,
                (t, p, node, flags) -> kernel.console().openSerial(p, node, flags));
    }
}
