package dev.mrkpolicyguard.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A key policy saved before it was overwritten: the document verbatim, its SHA-256, the key it
 * belongs to, why it was replaced and when.
 *
 * @param keyArn the key whose policy this was
 * @param policy the policy document exactly as GetKeyPolicy returned it
 * @param sha256 SHA-256 of {@code policy}'s UTF-8 bytes, lower-case hex
 * @param reason why it was replaced
 * @param time when it was saved
 */
public record PolicyBackup(
    String keyArn, String policy, String sha256, String reason, Instant time) {
  /** Format version of the backup file, so that a later format can still read these. */
  static final int FORMAT = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public PolicyBackup {
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(time, "time");
  }

  /** A backup of {@code policy} of {@code keyArn}, saved now for {@code reason}. */
  static PolicyBackup of(String keyArn, String policy, String reason, Instant time) {
    return new PolicyBackup(keyArn, policy, sha256(policy), reason, time);
  }

  /** Whether the stored digest matches the policy: the file was not altered or damaged. */
  boolean intact() {
    return sha256.equals(sha256(policy));
  }

  /** SHA-256 of the UTF-8 bytes of {@code text}, lower-case hex. */
  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The backup file's JSON. */
  public byte[] toJson() {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("format", FORMAT);
    out.put("keyArn", keyArn);
    out.put("time", time.toString());
    out.put("reason", reason);
    out.put("policySha256", sha256);
    out.put("policy", policy);
    try {
      return MAPPER.writeValueAsBytes(out);
    } catch (IOException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  /** Reads a backup file; empty when it is not one (not JSON, a field missing, another format). */
  public static Optional<PolicyBackup> fromJson(byte[] json) {
    try {
      JsonNode in = MAPPER.readTree(json);
      if (in == null || in.path("format").asInt() != FORMAT) {
        return Optional.empty();
      }
      for (String field : new String[] {"keyArn", "time", "reason", "policySha256", "policy"}) {
        if (!in.path(field).isTextual()) {
          return Optional.empty();
        }
      }
      return Optional.of(
          new PolicyBackup(
              in.get("keyArn").asText(),
              in.get("policy").asText(),
              in.get("policySha256").asText(),
              in.get("reason").asText(),
              Instant.parse(in.get("time").asText())));
    } catch (IOException | java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
