package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.core.Region;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a snapshot file (docs/snapshot.md) and reports every problem with the JSON pointer of the
 * bad field. Every key in the file becomes a {@link SnapshotKey} or a problem: none is dropped.
 */
public final class SnapshotReader {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> KEY_MANAGERS = Set.of("AWS", "CUSTOMER");

  /** The outcome of reading a snapshot. */
  public sealed interface Result {
    /** A valid snapshot. */
    record Read(Snapshot snapshot) implements Result {}

    /** An invalid snapshot with every problem found. */
    record Invalid(List<SnapshotProblem> problems) implements Result {
      public Invalid {
        problems = List.copyOf(problems);
      }
    }
  }

  /** Reads {@code json}. */
  public Result read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      return invalid(where, "snapshot is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      return invalid("", "a snapshot is a JSON object with version, account, regions and keys");
    }
    JsonNode version = root.get("version");
    if (version == null) {
      return invalid("/version", "missing; this tool reads snapshots with \"version\": 1");
    }
    if (!version.isInt() || version.intValue() != Snapshot.VERSION) {
      return invalid(
          "/version",
          "unsupported snapshot version "
              + version
              + "; this tool reads version "
              + Snapshot.VERSION);
    }
    return new Reading().snapshot(root);
  }

  private static Result invalid(String path, String message) {
    return new Result.Invalid(List.of(new SnapshotProblem(path, message)));
  }

  /** The state of one read: the problems found so far. */
  private static final class Reading {
    private final List<SnapshotProblem> problems = new ArrayList<>();

    Result snapshot(JsonNode root) {
      String account = text(root, "", "account", true);
      if (account != null && !account.matches("\\d{12}")) {
        problem("/account", "expected a 12-digit account id, got \"" + account + "\"");
      }
      List<String> regions = strings(root, "", "regions", true);
      for (int i = 0; i < regions.size(); i++) {
        if (!Region.isName(regions.get(i))) {
          problem("/regions/" + i, "\"" + regions.get(i) + "\" is not a Region name");
        }
      }
      String capturedAt = text(root, "", "capturedAt", false);
      List<SnapshotKey> keys = new ArrayList<>();
      Map<String, String> listed = new HashMap<>();
      JsonNode array = root.get("keys");
      if (array == null) {
        problem("/keys", "missing; list the captured keys (an empty fleet is \"keys\": [])");
      } else if (!array.isArray()) {
        problem("/keys", "must be an array of keys, got " + type(array));
      } else {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
          SnapshotKey key = key(array.get(i), "/keys/" + i, account, regions);
          if (key == null) {
            continue;
          }
          Integer first = seen.putIfAbsent(key.arn(), i);
          if (first != null) {
            problem("/keys/" + i + "/metadata/Arn", "same key as /keys/" + first);
          } else {
            keys.add(key);
            listed.put(key.arn(), "/keys/" + i);
          }
        }
      }
      List<NotRead> notRead = notRead(root.get("unread"), account, regions, keys, listed);
      if (!problems.isEmpty()) {
        return new Result.Invalid(problems);
      }
      return new Result.Read(
          new Snapshot(new Snapshot.Header(account, regions, capturedAt), keys, notRead));
    }

    /**
     * The optional {@code unread} list: what the capture could not read. A key it names (one that
     * was listed but could not be described) is added to {@code keys}, to be judged or listed as
     * the rule would; the Regions whose keys could not be listed are returned.
     */
    private List<NotRead> notRead(
        JsonNode array,
        String account,
        List<String> regions,
        List<SnapshotKey> keys,
        Map<String, String> listed) {
      List<NotRead> out = new ArrayList<>();
      if (array == null || array.isNull()) {
        return out;
      }
      if (!array.isArray()) {
        problem("/unread", "must be an array, got " + type(array));
        return out;
      }
      for (int i = 0; i < array.size(); i++) {
        String path = "/unread/" + i;
        JsonNode node = array.get(i);
        if (!node.isObject()) {
          problem(path, "must be an object {region, keyArn, operation, error}, got " + type(node));
          continue;
        }
        int before = problems.size();
        String region = text(node, path, "region", true);
        if (region != null && !regions.contains(region)) {
          problem(path + "/region", "\"" + region + "\" is not listed in /regions");
        }
        String arn = node.hasNonNull("keyArn") ? keyArn(node, path, "keyArn") : null;
        if (arn != null && region != null && !new KeyContext(arn).region().equals(region)) {
          problem(path + "/keyArn", "names another Region than " + region);
        }
        if (arn != null && account != null && !new KeyContext(arn).accountId().equals(account)) {
          problem(path + "/keyArn", "names another account than the snapshot's " + account);
        }
        String operation = text(node, path, "operation", true);
        JsonNode error = node.get("error");
        String code = null;
        String message = null;
        if (error == null || !error.isObject()) {
          problem(path + "/error", error == null ? "missing" : "must be an object {code, message}");
        } else {
          code = text(error, path + "/error", "code", true);
          message = text(error, path + "/error", "message", true);
        }
        PolicyFact policy = arn == null ? null : policy(node, path, false);
        List<String> aliases = strings(node, path, "aliases", false);
        if (arn != null && listed.containsKey(arn)) {
          problem(path + "/keyArn", "same key as " + listed.get(arn));
        }
        if (problems.size() > before) {
          continue;
        }
        if (arn == null) {
          out.add(new NotRead(region, null, operation, code, message));
        } else {
          listed.put(arn, path);
          ReadFailure failure = new ReadFailure(operation, code, message);
          keys.add(SnapshotKey.undescribed(arn, region, failure, policy, aliases));
        }
      }
      return out;
    }

    private SnapshotKey key(JsonNode node, String path, String account, List<String> regions) {
      if (!node.isObject()) {
        problem(path, "a key is an object with region, metadata and policy, got " + type(node));
        return null;
      }
      int before = problems.size();
      String region = text(node, path, "region", true);
      if (region != null && !regions.contains(region)) {
        problem(path + "/region", "\"" + region + "\" is not listed in /regions");
      }
      JsonNode metadata = node.get("metadata");
      String meta = path + "/metadata";
      if (metadata == null || !metadata.isObject()) {
        problem(meta, metadata == null ? "missing" : "must be an object, got " + type(metadata));
        return null;
      }
      String arn = keyArn(metadata, meta, "Arn");
      if (arn != null) {
        KeyContext key = new KeyContext(arn);
        if (region != null && !key.region().equals(region)) {
          problem(
              meta + "/Arn",
              "names Region " + key.region() + ", but the key's region is " + region);
        }
        if (account != null && !key.accountId().equals(account)) {
          problem(
              meta + "/Arn",
              "names account " + key.accountId() + ", not the snapshot's " + account);
        }
      }
      String manager = text(metadata, meta, "KeyManager", true);
      if (manager != null && !KEY_MANAGERS.contains(manager)) {
        problem(meta + "/KeyManager", "expected AWS or CUSTOMER, got \"" + manager + "\"");
      }
      String state = text(metadata, meta, "KeyState", true);
      KeyRole role = role(metadata, meta);
      String primaryArn = primaryArn(metadata, meta, role, arn);
      PolicyFact policy = policy(node, path, true);
      List<String> aliases = strings(node, path, "aliases", false);
      // KeyUsage and KeySpec are optional: older snapshots lack them (every operation is then
      // taken as possible).
      String usage = text(metadata, meta, "KeyUsage", false);
      String spec = text(metadata, meta, "KeySpec", false);
      if (problems.size() > before) {
        return null;
      }
      return new SnapshotKey(
          arn,
          region,
          role,
          primaryArn,
          manager.equals("AWS"),
          state,
          policy,
          aliases,
          null,
          usage,
          spec);
    }

    private KeyRole role(JsonNode metadata, String meta) {
      JsonNode multiRegion = metadata.get("MultiRegion");
      if (multiRegion == null || !multiRegion.isBoolean()) {
        problem(
            meta + "/MultiRegion",
            multiRegion == null ? "missing" : "must be true or false, got " + type(multiRegion));
        return null;
      }
      if (!multiRegion.booleanValue()) {
        return KeyRole.SINGLE_REGION;
      }
      JsonNode config = metadata.get("MultiRegionConfiguration");
      String path = meta + "/MultiRegionConfiguration";
      if (config == null || !config.isObject()) {
        problem(
            path,
            config == null
                ? "missing although MultiRegion is true"
                : "must be an object, got " + type(config));
        return null;
      }
      String type = text(config, path, "MultiRegionKeyType", true);
      if (type == null) {
        return null;
      }
      return switch (type) {
        case "PRIMARY" -> KeyRole.PRIMARY;
        case "REPLICA" -> KeyRole.REPLICA;
        default -> {
          problem(
              path + "/MultiRegionKeyType", "expected PRIMARY or REPLICA, got \"" + type + "\"");
          yield null;
        }
      };
    }

    private String primaryArn(JsonNode metadata, String meta, KeyRole role, String arn) {
      if (role == null || role == KeyRole.SINGLE_REGION) {
        return null;
      }
      String path = meta + "/MultiRegionConfiguration/PrimaryKey";
      JsonNode primary = metadata.get("MultiRegionConfiguration").get("PrimaryKey");
      if (primary == null || !primary.isObject()) {
        problem(path, primary == null ? "missing" : "must be an object, got " + type(primary));
        return null;
      }
      String primaryArn = keyArn(primary, path, "Arn");
      if (primaryArn == null || arn == null) {
        return primaryArn;
      }
      if (role == KeyRole.PRIMARY && !primaryArn.equals(arn)) {
        problem(path + "/Arn", "a primary's PrimaryKey is itself (" + arn + ")");
      }
      if (!new KeyContext(primaryArn).keyId().equals(new KeyContext(arn).keyId())) {
        problem(path + "/Arn", "a replica has its primary's key id; " + primaryArn + " differs");
      }
      return primaryArn;
    }

    /**
     * The {@code policy} or {@code policyError} of an entry; when neither is there and it is not
     * {@code required}, {@link PolicyFact.NotNeeded} (not read). An error becomes the fact the rule
     * would have made of it ({@link ReadFailure}).
     */
    private PolicyFact policy(JsonNode node, String path, boolean required) {
      JsonNode policy = node.get("policy");
      JsonNode error = node.get("policyError");
      boolean hasPolicy = policy != null && !policy.isNull();
      boolean hasError = error != null && !error.isNull();
      if (hasPolicy && hasError) {
        problem(path, "has both policy and policyError; keep the one GetKeyPolicy gave");
        return null;
      }
      if (hasPolicy) {
        if (!policy.isTextual()) {
          problem(
              path + "/policy",
              "must be the policy document as a JSON string (as GetKeyPolicy returns it), got "
                  + type(policy));
          return null;
        }
        return new PolicyFact.Known(policy.textValue());
      }
      if (!hasError && !required) {
        return new PolicyFact.NotNeeded();
      }
      if (!hasError) {
        problem(
            path + "/policy",
            "missing; give the policy, or policyError {code, message} if it could not be read");
        return null;
      }
      if (!error.isObject()) {
        problem(path + "/policyError", "must be an object {code, message}, got " + type(error));
        return null;
      }
      String code = text(error, path + "/policyError", "code", true);
      String message = text(error, path + "/policyError", "message", true);
      return code == null || message == null
          ? null
          : new ReadFailure("GetKeyPolicy", code, message).policyFact();
    }

    private String keyArn(JsonNode parent, String path, String field) {
      String arn = text(parent, path, field, true);
      if (arn != null && KeyContext.parse(arn).isEmpty()) {
        problem(
            path + "/" + field,
            "\"" + arn + "\" is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)");
        return null;
      }
      return arn;
    }

    private String text(JsonNode parent, String path, String field, boolean required) {
      JsonNode value = parent.get(field);
      if (value == null || value.isNull()) {
        if (required) {
          problem(path + "/" + field, "missing");
        }
        return null;
      }
      if (!value.isTextual()) {
        problem(path + "/" + field, "must be a string, got " + type(value));
        return null;
      }
      return value.textValue();
    }

    private List<String> strings(JsonNode parent, String path, String field, boolean required) {
      List<String> out = new ArrayList<>();
      JsonNode value = parent.get(field);
      if (value == null || value.isNull()) {
        if (required) {
          problem(path + "/" + field, "missing");
        }
        return out;
      }
      if (!value.isArray()) {
        problem(path + "/" + field, "must be an array of strings, got " + type(value));
        return out;
      }
      for (int i = 0; i < value.size(); i++) {
        if (value.get(i).isTextual()) {
          out.add(value.get(i).textValue());
        } else {
          problem(path + "/" + field + "/" + i, "must be a string, got " + type(value.get(i)));
        }
      }
      return out;
    }

    private void problem(String path, String message) {
      problems.add(new SnapshotProblem(path, message));
    }

    private static String type(JsonNode node) {
      return switch (node.getNodeType()) {
        case ARRAY -> "an array";
        case OBJECT -> "an object";
        case STRING -> "a string";
        case NUMBER -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "null";
        default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
      };
    }
  }
}
