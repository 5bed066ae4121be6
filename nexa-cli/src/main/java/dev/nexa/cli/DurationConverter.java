package dev.nexa.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses durations as GNU timeout(1) does: a number with an optional unit, {@code s} (the
 * default), {@code m}, {@code h} or {@code d}, plus {@code ms}; fractions allowed ({@code 1.5s}).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unitNanos = 1_000_000_000L;
        String digits = v;
        if (v.endsWith("ms")) {
            unitNanos = 1_000_000L;
            digits = v.substring(0, v.length() - 2);
        } else if (!v.isEmpty() && "smhd".indexOf(v.charAt(v.length() - 1)) >= 0) {
            unitNanos = switch (v.charAt(v.length() - 1)) {
                case 'm' -> 60_000_000_000L;
                case 'h' -> 3_600_000_000_000L;
                case 'd' -> 86_400_000_000_000L;
                default -> 1_000_000_000L;
            };
            digits = v.substring(0, v.length() - 1);
        }
        try {
            double n = Double.parseDouble(digits);
            if (!(n > 0) || Double.isInfinite(n) || digits.contains("x") || digits.contains("p")) {
                throw new NumberFormatException();
            }
            double nanos = n * unitNanos;
            if (nanos > Long.MAX_VALUE / 2) throw new NumberFormatException();
            return Duration.ofNanos(Math.max(1, (long) nanos));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (use e.g. 10s, 2m, 500ms)");
        }
    }
}
