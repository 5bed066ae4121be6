package dev.nexa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/** docs/trace.schema.json, loaded once: the event schema and its Chrome-trace definition. */
final class TraceSchema {
    static final Path FILE = FixtureCase.fixtures().toAbsolutePath().getParent().resolve("docs/trace.schema.json");
    private static final JsonSchema EVENT, CHROME;

    static {
        try {
            JsonNode root = TracedRun.JSON.readTree(FILE.toFile());
            JsonSchemaFactory f = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            EVENT = f.getSchema(root);
            ObjectNode chrome = root.deepCopy();
            chrome.put("$id", "urn:dev.nexa:trace:1:chrome");
            chrome.put("$ref", "#/$defs/chromeTrace");
            CHROME = f.getSchema(chrome);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TraceSchema() {}

    /** Violations of one event (one JSONL line). */
    static Set<ValidationMessage> event(JsonNode e) { return EVENT.validate(e); }

    /** Violations of a whole Chrome-format trace. */
    static Set<ValidationMessage> chrome(JsonNode trace) { return CHROME.validate(trace); }
}
