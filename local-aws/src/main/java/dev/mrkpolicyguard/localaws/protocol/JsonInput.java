package dev.mrkpolicyguard.localaws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A JSON request body with typed accessors that answer AWS-style {@code ValidationException}s. */
public final class JsonInput {
  private final JsonNode body;

  public JsonInput(JsonNode body) {
    this.body = body == null || body.isNull() ? Json.object() : body;
  }

  public static JsonInput of(ObjectNode node) {
    return new JsonInput(node);
  }

  public JsonNode raw() {
    return body;
  }

  public boolean has(String member) {
    JsonNode node = body.get(member);
    return node != null && !node.isNull();
  }

  public Optional<String> string(String member) {
    if (!has(member)) {
      return Optional.empty();
    }
    JsonNode node = body.get(member);
    if (!node.isTextual()) {
      throw serialization(member, "a string");
    }
    return Optional.of(node.asText());
  }

  /** Fails like AWS when a required member of any type is absent. */
  public void requirePresent(String member) {
    if (!has(member)) {
      throw missing(member);
    }
  }

  public String required(String member) {
    return string(member).orElseThrow(() -> missing(member));
  }

  /** A string member checked against the length limits of its model shape. */
  public Optional<String> string(String member, int min, int max) {
    Optional<String> value = string(member);
    value.ifPresent(v -> checkLength(member, v, min, max));
    return value;
  }

  public String required(String member, int min, int max) {
    String value = required(member);
    checkLength(member, value, min, max);
    return value;
  }

  public Optional<String> enumValue(String member, Set<String> allowed) {
    Optional<String> value = string(member);
    value.ifPresent(
        v -> {
          if (!allowed.contains(v)) {
            throw ApiException.validation(
                String.format(
                    "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint:"
                        + " Member must satisfy enum value set: %s",
                    v, lowerFirst(member), allowed));
          }
        });
    return value;
  }

  public boolean bool(String member) {
    if (!has(member)) {
      return false;
    }
    JsonNode node = body.get(member);
    if (!node.isBoolean()) {
      throw serialization(member, "a boolean");
    }
    return node.booleanValue();
  }

  public Optional<Integer> integer(String member, int min, int max) {
    if (!has(member)) {
      return Optional.empty();
    }
    JsonNode node = body.get(member);
    if (!node.isIntegralNumber()) {
      throw serialization(member, "an integer");
    }
    int value = node.intValue();
    if (value < min || value > max) {
      throw ApiException.validation(
          String.format(
              "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint:"
                  + " Member must have value %s",
              value,
              lowerFirst(member),
              value < min ? "greater than or equal to " + min : "less than or equal to " + max));
    }
    return Optional.of(value);
  }

  /** A timestamp in epoch seconds; the CLI sends integers and the Java SDK fractions. */
  public Optional<Instant> timestamp(String member) {
    if (!has(member)) {
      return Optional.empty();
    }
    JsonNode node = body.get(member);
    BigDecimal seconds;
    if (node.isNumber()) {
      seconds = node.decimalValue();
    } else if (node.isTextual()) {
      try {
        seconds = new BigDecimal(node.asText());
      } catch (NumberFormatException e) {
        throw serialization(member, "a timestamp in epoch seconds");
      }
    } else {
      throw serialization(member, "a timestamp in epoch seconds");
    }
    long millis = seconds.movePointRight(3).longValue();
    return Optional.of(Instant.ofEpochMilli(millis));
  }

  public List<JsonInput> objects(String member) {
    List<JsonInput> result = new ArrayList<>();
    for (JsonNode element : array(member)) {
      if (!element.isObject()) {
        throw serialization(member, "a list of structures");
      }
      result.add(new JsonInput(element));
    }
    return result;
  }

  public List<String> strings(String member) {
    List<String> result = new ArrayList<>();
    for (JsonNode element : array(member)) {
      if (!element.isTextual()) {
        throw serialization(member, "a list of strings");
      }
      result.add(element.asText());
    }
    return result;
  }

  private JsonNode array(String member) {
    if (!has(member)) {
      return Json.MAPPER.createArrayNode();
    }
    JsonNode node = body.get(member);
    if (!node.isArray()) {
      throw serialization(member, "a list");
    }
    return node;
  }

  /** Checks a list's size against its model shape's limits. */
  public static void checkSize(String member, int size, int min, int max) {
    if (size < min || size > max) {
      throw ApiException.validation(
          String.format(
              "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must"
                  + " have length %s",
              lowerFirst(member),
              size < min ? "greater than or equal to " + min : "less than or equal to " + max));
    }
  }

  public static void checkLength(String member, String value, int min, int max) {
    int length = value.codePointCount(0, value.length());
    if (length < min || length > max) {
      throw ApiException.validation(
          String.format(
              "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint:"
                  + " Member must have length %s",
              abbreviate(value),
              lowerFirst(member),
              length < min ? "greater than or equal to " + min : "less than or equal to " + max));
    }
  }

  private static ApiException missing(String member) {
    return ApiException.validation(
        String.format(
            "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member"
                + " must not be null",
            lowerFirst(member)));
  }

  private static ApiException serialization(String member, String expected) {
    return new ApiException(
        "SerializationException", 400, "Member " + member + " must be " + expected);
  }

  private static String abbreviate(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "..." : value;
  }

  private static String lowerFirst(String member) {
    return member.isEmpty()
        ? member
        : Character.toLowerCase(member.charAt(0)) + member.substring(1);
  }
}
