package dev.nexa.cli.trace;

/** The file formats a trace can be written in (--trace-format). */
public enum TraceFormat {
    /** One JSON object per line, each carrying the schema version: for jq, scripts, diffs. */
    jsonl,
    /** Chrome Trace Event Format (a JSON object with a traceEvents array): Perfetto, chrome://tracing. */
    chrome
}
