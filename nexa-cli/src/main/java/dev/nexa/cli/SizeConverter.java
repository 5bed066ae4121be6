package dev.nexa.cli;

import picocli.CommandLine;

/** Parses sizes like 512M, 2G, 65536, 64k. */
final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.trim().toUpperCase(java.util.Locale.ROOT);
        if (v.endsWith("B")) v = v.substring(0, v.length() - 1);
        long mult = 1;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'K' -> mult = 1L << 10;
                case 'M' -> mult = 1L << 20;
                case 'G' -> mult = 1L << 30;
                case 'T' -> mult = 1L << 40;
                default -> mult = 1;
            }
        }
        String digits = mult == 1 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits.trim());
            if (n <= 0) throw new CommandLine.TypeConversionException("size must be positive: " + value);
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("not a size: '" + value + "' (use e.g. 512M or 2G)");
        }
    }
}
