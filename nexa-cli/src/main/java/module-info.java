/** The command line (picocli) and the trace writers (Jackson). */
module dev.nexa.cli {
    requires dev.nexa.kernel;
    requires info.picocli;
    requires java.management;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    opens dev.nexa.cli to info.picocli;
    opens dev.nexa.cli.trace to info.picocli;
}
