package dev.mrkpolicyguard.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.cli.common.TerminalText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads the CloudTrail records of a file in any of the shapes they are exported in: one record, a
 * CloudTrail log file ({@code {"Records": [...]}}), a JSON array of records, the output of {@code
 * aws cloudtrail lookup-events} ({@code {"Events": [{"CloudTrailEvent": "..."}]}}), an EventBridge
 * event carrying a record in {@code detail}, or JSON lines (one record per line, as CloudTrail Lake
 * and Athena export them). A malformed entry is reported with its place and the others are still
 * read.
 */
public final class RecordFile {
  // Without FAIL_ON_TRAILING_TOKENS, JSON lines would read as their first record alone.
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private RecordFile() {}

  /** The outcome of reading a file. */
  public sealed interface Result {
    /** The entries of the file, in order. */
    record Read(List<Entry> entries) implements Result {
      public Read {
        entries = List.copyOf(entries);
      }
    }

    /** The file holds no CloudTrail records at all. */
    record Invalid(String message) implements Result {
      public Invalid {
        Objects.requireNonNull(message, "message");
      }
    }
  }

  /** One entry of a file: a record, or what is wrong with it. */
  public sealed interface Entry {
    /** Where it is in the input, e.g. {@code record 3} or {@code line 7}. */
    String where();

    /** A JSON object, to be read as a CloudTrail record. */
    record Parsed(String where, TrailRecord record) implements Entry {
      public Parsed {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(record, "record");
      }
    }

    /** An entry that is not a JSON object. */
    record Malformed(String where, String problem) implements Entry {
      public Malformed {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(problem, "problem");
      }
    }
  }

  /** Reads {@code text}. */
  public static Result read(String text) {
    String trimmed = text == null ? "" : text.strip();
    if (trimmed.isEmpty()) {
      return new Result.Invalid("the input is empty; give CloudTrail records as JSON");
    }
    if (trimmed.charAt(0) != '{' && trimmed.charAt(0) != '[') {
      return new Result.Invalid(
          "the input is not JSON (it starts with '"
              + TerminalText.escape(trimmed.substring(0, Math.min(12, trimmed.length())))
              + "'); give a CloudTrail record, a log file {\"Records\": [...]} or JSON lines");
    }
    JsonNode whole;
    try {
      whole = MAPPER.readTree(trimmed);
    } catch (JsonProcessingException e) {
      return jsonLines(trimmed, e);
    }
    return new Result.Read(document(whole));
  }

  /** One record given as text, e.g. a LookupEvents {@code CloudTrailEvent}. */
  public static Entry one(String where, String json) {
    try {
      JsonNode node = MAPPER.readTree(json == null ? "" : json);
      return entry(where, node);
    } catch (JsonProcessingException e) {
      return new Entry.Malformed(where, "not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static List<Entry> document(JsonNode whole) {
    List<Entry> out = new ArrayList<>();
    JsonNode records = TrailRecord.field(whole, "Records");
    JsonNode events = TrailRecord.field(whole, "Events");
    if (whole.isArray()) {
      elements(whole, "record", out);
    } else if (records.isArray()) {
      elements(records, "record", out);
    } else if (events.isArray()) {
      for (int i = 0; i < events.size(); i++) {
        out.add(lookupEvent(events.get(i), "event " + (i + 1)));
      }
    } else {
      out.add(entry("the record", whole));
    }
    return out;
  }

  private static void elements(JsonNode array, String noun, List<Entry> out) {
    for (int i = 0; i < array.size(); i++) {
      out.add(entry(noun + " " + (i + 1), array.get(i)));
    }
  }

  /** JSON lines, if the first line is a JSON value of its own; else the one document is broken. */
  private static Result jsonLines(String text, JsonProcessingException whole) {
    String[] lines = text.split("\r?\n", -1);
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + (i + 1);
      try {
        out.add(entry(where, MAPPER.readTree(line)));
      } catch (JsonProcessingException e) {
        if (out.isEmpty()) {
          return new Result.Invalid(
              "the input is not valid JSON ("
                  + location(whole)
                  + whole.getOriginalMessage()
                  + ") and not JSON lines either");
        }
        out.add(new Entry.Malformed(where, "not valid JSON: " + e.getOriginalMessage()));
      }
    }
    return new Result.Read(out);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : "line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ": ";
  }

  private static Entry entry(String where, JsonNode node) {
    if (node == null || !node.isObject()) {
      return new Entry.Malformed(where, "a CloudTrail record is a JSON object, not " + kind(node));
    }
    JsonNode embedded = TrailRecord.field(node, "CloudTrailEvent");
    if (embedded.isTextual()) {
      return lookupEvent(node, where);
    }
    JsonNode detail = TrailRecord.field(node, "detail");
    if (detail.isObject() && TrailRecord.text(node, "detail-type").isPresent()) {
      return new Entry.Parsed(where, new TrailRecord(detail));
    }
    return new Entry.Parsed(where, new TrailRecord(node));
  }

  private static Entry lookupEvent(JsonNode event, String where) {
    JsonNode embedded = TrailRecord.field(event, "CloudTrailEvent");
    if (!embedded.isTextual()) {
      return new Entry.Malformed(where, "a LookupEvents event without its CloudTrailEvent text");
    }
    return one(where, embedded.asText());
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
