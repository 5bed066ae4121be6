package dev.nexa.cli.trace;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a trace back, one event at a time (never the whole file): JSONL, or a Chrome trace
 * whose events carry the JSONL object in {@code args} (what {@link ChromeTraceWriter} writes).
 * The format is told from the content: a top-level object with a {@code traceEvents} member,
 * or a top-level array, is Chrome's; objects with {@code "v"} and {@code "type"} are JSONL.
 */
public final class TraceReader {
    /** Receives each event as its JSONL object. */
    @FunctionalInterface
    public interface EventConsumer {
        void accept(JsonNode event) throws TraceFormatException;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TraceReader() {}

    /** Which format {@code file} is in. */
    public static TraceFormat detect(Path file) throws IOException, TraceFormatException {
        try (JsonParser p = MAPPER.getFactory().createParser(file.toFile())) {
            JsonToken t = p.nextToken();
            if (t == null) return TraceFormat.jsonl;                       // an empty trace: no events
            if (t == JsonToken.START_ARRAY) return TraceFormat.chrome;
            if (t != JsonToken.START_OBJECT) throw new TraceFormatException(file + ": empty, or not JSON: expected '{' at offset 0");
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals("traceEvents")) return TraceFormat.chrome;
                if (name.equals("v") || name.equals("type")) return TraceFormat.jsonl;
                p.nextToken();
                p.skipChildren();
            }
            throw new TraceFormatException(file + ": neither a Nexa JSONL trace (first object has no \"v\"/\"type\") "
                    + "nor a Chrome trace (no \"traceEvents\")");
        } catch (JsonProcessingException e) {
            throw malformed(file, e);
        }
    }

    /** Feeds every event of {@code file} to {@code out}, in file order; returns the format. */
    public static TraceFormat read(Path file, EventConsumer out) throws IOException, TraceFormatException {
        TraceFormat format = detect(file);
        switch (format) {
            case jsonl -> readJsonl(file, out);
            case chrome -> readChrome(file, out);
        }
        return format;
    }

    private static void readJsonl(Path file, EventConsumer out) throws IOException, TraceFormatException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                JsonNode e;
                try {
                    e = MAPPER.readTree(line);
                } catch (JsonProcessingException x) {
                    throw new TraceFormatException(file + ": line " + n + ": not JSON: " + x.getOriginalMessage());
                }
                check(e, file + ": line " + n);
                out.accept(e);
            }
        }
    }

    private static void readChrome(Path file, EventConsumer out) throws IOException, TraceFormatException {
        try (JsonParser p = MAPPER.getFactory().createParser(file.toFile())) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME && !p.currentName().equals("traceEvents")) {
                    p.nextToken();
                    p.skipChildren();
                }
                if (p.currentToken() != JsonToken.FIELD_NAME) throw new TraceFormatException(file + ": no \"traceEvents\" array");
                t = p.nextToken();
            }
            if (t != JsonToken.START_ARRAY) {
                throw new TraceFormatException(file + ": offset " + p.currentLocation().getCharOffset()
                        + ": \"traceEvents\" is not an array");
            }
            long index = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new TraceFormatException(file + ": traceEvents[" + index + "]: not an object");
                }
                JsonNode ev = MAPPER.readTree(p);
                String where = file + ": traceEvents[" + index + "]";
                index++;
                if ("M".equals(ev.path("ph").asText())) continue;       // process/thread names
                JsonNode args = ev.get("args");
                if (args == null || !args.has("type")) continue;          // not one of Nexa's events
                check(args, where + ".args");
                out.accept(args);
            }
        } catch (JsonProcessingException e) {
            throw malformed(file, e);
        }
    }

    private static void check(JsonNode e, String where) throws TraceFormatException {
        if (!e.isObject()) throw new TraceFormatException(where + ": an event must be a JSON object");
        JsonNode v = e.get("v");
        if (v == null || !v.isInt()) throw new TraceFormatException(where + ": field \"v\" (schema version) missing");
        if (v.asInt() > EventJson.VERSION) {
            throw new TraceFormatException(where + ": schema version " + v.asInt() + " is newer than this Nexa reads ("
                    + EventJson.VERSION + ")");
        }
        if (!e.path("type").isTextual()) throw new TraceFormatException(where + ": field \"type\" missing");
        if (!e.path("pid").isInt()) throw new TraceFormatException(where + ": field \"pid\" missing");
    }

    private static TraceFormatException malformed(Path file, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : ": line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new TraceFormatException(file + where + ": malformed JSON: " + e.getOriginalMessage());
    }
}
