package dev.nexa.cpu.oracle;

import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts every test run with an empty oracle coverage record ({@link OracleCoverage}), so the record
 * never mixes this run with an earlier one (registered in META-INF/services).
 */
public final class CoverageSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String file = System.getProperty(OracleCoverage.PROPERTY);
        if (file != null && !Boolean.getBoolean("nexa.isa.checking")) OracleCoverage.reset(Path.of(file));
    }
}
