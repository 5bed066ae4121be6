package dev.nexa.cli.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nexa.kernel.trace.TraceEvent;
import dev.nexa.kernel.trace.TraceSink;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams trace events to a file with Jackson's streaming generator: each event is written as
 * it arrives and nothing is kept, so a trace never sits whole in memory. The first write error
 * stops the writer (the guest keeps running) and is reported by {@link #close()}.
 * <p>
 * {@link #accept} and {@link #close} are synchronized so that a shutdown hook may close a
 * trace the kernel thread is still writing (Ctrl-C) and leave a well-formed file.
 */
public abstract sealed class TraceWriter implements TraceSink, Closeable permits JsonlTraceWriter, ChromeTraceWriter {
    static final JsonFactory JSON = new JsonFactory();

    protected final JsonGenerator g;
    private IOException failure;
    private boolean closed;
    private long events;

    protected TraceWriter(OutputStream out) throws IOException {
        this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
    }

    /** Creates (or truncates) {@code file} and starts a trace in {@code format}. */
    public static TraceWriter open(Path file, TraceFormat format) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        try {
            return of(out, format);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** A trace in {@code format} on {@code out}, which the writer closes. */
    public static TraceWriter of(OutputStream out, TraceFormat format) throws IOException {
        return switch (format) {
            case jsonl -> new JsonlTraceWriter(out);
            case chrome -> new ChromeTraceWriter(out);
        };
    }

    @Override
    public final synchronized void accept(TraceEvent e) {
        if (closed || failure != null) return;
        try {
            write(e);
            events++;
        } catch (IOException x) {
            failure = x;
        }
    }

    /** Events written so far. */
    public final synchronized long events() { return events; }

    protected abstract void write(TraceEvent e) throws IOException;

    /** Writes whatever ends the file (the closing brackets of a Chrome trace). */
    protected abstract void finish() throws IOException;

    /** Ends the trace, flushes and closes the file; throws the first write error, if any. */
    @Override
    public final synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            if (failure == null) finish();
        } catch (IOException e) {
            failure = e;
        } finally {
            try {
                g.close();
            } catch (IOException e) {
                if (failure == null) failure = e;
            }
        }
        if (failure != null) throw failure;
    }
}
