package dev.nexa.cli.trace;

import dev.nexa.kernel.trace.TraceEvent;

import java.io.IOException;
import java.io.OutputStream;

/** JSON Lines: one event object per line ({@link EventJson}), each with the schema version. */
public final class JsonlTraceWriter extends TraceWriter {
    JsonlTraceWriter(OutputStream out) throws IOException {
        super(out);
        g.setRootValueSeparator(null);
    }

    @Override
    protected void write(TraceEvent e) throws IOException {
        EventJson.write(g, e);
        g.writeRaw('\n');
    }

    @Override
    protected void finish() { }
}
