package dev.mrkpolicyguard.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One remediation request: the replica key, whether to only show the change, what to write, and for
 * {@link Mode#RESTORE} the backup to write.
 *
 * @param keyId the replica's key ID or key ARN, as given
 * @param region the key's Region: from the ARN, else the function's Region
 * @param dryRun show what would be written, write nothing
 * @param mode what to write
 * @param backupUri the backup to restore ({@code s3://...} or a file), only for RESTORE
 * @param force restore the backup even if it grants access the current policy does not (RESTORE
 *     only)
 */
public record RemediationRequest(
    String keyId, String region, boolean dryRun, Mode mode, String backupUri, boolean force) {
  private static final Pattern KEY_ID = Pattern.compile("mrk-[0-9a-f]{32}");
  private static final Set<String> FIELDS = Set.of("KeyId", "DryRun", "Mode", "BackupUri", "Force");

  public RemediationRequest {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(mode, "mode");
    if ((mode == Mode.RESTORE) != (backupUri != null)) {
      throw new IllegalArgumentException("a backup URI is given exactly for RESTORE");
    }
    if (force && mode != Mode.RESTORE) {
      throw new IllegalArgumentException("force is for RESTORE only");
    }
  }

  /** A request that does not force anything. */
  public RemediationRequest(
      String keyId, String region, boolean dryRun, Mode mode, String backupUri) {
    this(keyId, region, dryRun, mode, backupUri, false);
  }

  /** The result of reading a request from the handler's input. */
  public sealed interface Parsed {
    /** A valid request. */
    record Valid(RemediationRequest request) implements Parsed {}

    /** An invalid input; the problem says which field and what is expected. */
    record Invalid(String problem) implements Parsed {}
  }

  /**
   * Reads {@code {"KeyId", "DryRun", "Mode", "BackupUri", "Force"}}. A key ID (not an ARN) is
   * looked up in {@code functionRegion}. DryRun and Force may be booleans or the strings
   * "true"/"false" (SSM passes parameters as strings); DryRun defaults to true, Force (RESTORE
   * only) to false.
   */
  public static Parsed parse(JsonNode input, String functionRegion) {
    if (input == null || !input.isObject()) {
      return new Parsed.Invalid("the input must be a JSON object with KeyId");
    }
    for (var names = input.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        return new Parsed.Invalid("unknown input field '" + name + "'; expected " + FIELDS);
      }
    }
    JsonNode keyId = input.get("KeyId");
    if (keyId == null || !keyId.isTextual() || keyId.asText().isEmpty()) {
      return new Parsed.Invalid("KeyId is required: a multi-Region key ID or key ARN");
    }
    String region = regionOf(keyId.asText(), functionRegion);
    if (region == null) {
      return new Parsed.Invalid(
          "KeyId '" + keyId.asText() + "' is not a multi-Region key ID (mrk-...) or key ARN");
    }
    Boolean dryRun = bool(input.get("DryRun"));
    if (dryRun == null) {
      return new Parsed.Invalid("DryRun must be true or false (or \"true\"/\"false\")");
    }
    Mode mode;
    try {
      JsonNode m = input.get("Mode");
      mode = m == null ? Mode.ALIGN_TO_PRIMARY : Mode.valueOf(m.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return new Parsed.Invalid("Mode must be ALIGN_TO_PRIMARY or RESTORE");
    }
    JsonNode backup = input.get("BackupUri");
    String backupUri = backup == null || backup.asText().isEmpty() ? null : backup.asText();
    if ((mode == Mode.RESTORE) != (backupUri != null)) {
      return new Parsed.Invalid("BackupUri is required with Mode RESTORE and allowed only there");
    }
    Boolean force = input.has("Force") ? bool(input.get("Force")) : Boolean.FALSE;
    if (force == null) {
      return new Parsed.Invalid("Force must be true or false (or \"true\"/\"false\")");
    }
    if (force && mode != Mode.RESTORE) {
      return new Parsed.Invalid("Force is for Mode RESTORE only");
    }
    return new Parsed.Valid(
        new RemediationRequest(keyId.asText(), region, dryRun, mode, backupUri, force));
  }

  private static String regionOf(String keyId, String functionRegion) {
    if (KEY_ID.matcher(keyId).matches()) {
      return functionRegion;
    }
    return KeyContext.parse(keyId)
        .filter(k -> KEY_ID.matcher(k.keyId()).matches())
        .map(KeyContext::region)
        .orElse(null);
  }

  private static Boolean bool(JsonNode node) {
    if (node == null || node.isNull()) {
      return Boolean.TRUE;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return switch (node.asText()) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    };
  }
}
