package dev.mrkpolicyguard.localaws.kms;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.JsonInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Key policy documents: the KMS default policy, the AWS-managed-key policy, and the validation KMS
 * applies when a policy is set (character set, size, JSON, statements, lockout safety check).
 */
final class KeyPolicies {
  /** KMS documents 32 KB as the key policy size limit (resource-limits), counted in bytes. */
  static final int MAX_POLICY_BYTES = 32_768;

  /** The model's PolicyType length limit; longer values fail model validation first. */
  private static final int MODEL_MAX_POLICY_CHARS = 131_072;

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private KeyPolicies() {}

  /** The policy KMS gives a key created or replicated through the API without one. */
  static String defaultPolicy(String account) {
    ObjectNode statement = Json.object();
    statement.put("Sid", "Enable IAM User Permissions").put("Effect", "Allow");
    statement.putObject("Principal").put("AWS", "arn:aws:iam::" + account + ":root");
    statement.put("Action", "kms:*").put("Resource", "*");
    ObjectNode policy = Json.object().put("Version", "2012-10-17").put("Id", "key-default-1");
    policy.putArray("Statement").add(statement);
    return Json.pretty(policy);
  }

  /**
   * A policy in the shape of AWS managed key policies: read-only to the account, use via one
   * service.
   */
  static String awsManagedPolicy(String account, String region, String service) {
    ObjectNode use = Json.object();
    use.put("Sid", "Allow access through " + service + " for all principals in the account");
    use.put("Effect", "Allow");
    use.putObject("Principal").put("AWS", "*");
    ArrayNode actions = use.putArray("Action");
    List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*")
        .forEach(actions::add);
    use.put("Resource", "*");
    ObjectNode equals = use.putObject("Condition").putObject("StringEquals");
    equals.put("kms:CallerAccount", account);
    equals.put("kms:ViaService", service + "." + region + ".amazonaws.com");
    ObjectNode read = Json.object();
    read.put("Sid", "Allow direct access to key metadata to the account").put("Effect", "Allow");
    read.putObject("Principal").put("AWS", "arn:aws:iam::" + account + ":root");
    ArrayNode readActions = read.putArray("Action");
    List.of("kms:Describe*", "kms:Get*", "kms:List*").forEach(readActions::add);
    read.put("Resource", "*");
    ObjectNode policy = Json.object().put("Version", "2012-10-17").put("Id", "auto-" + service);
    policy.putArray("Statement").add(use).add(read);
    return Json.pretty(policy);
  }

  /**
   * Validates a policy as PutKeyPolicy, CreateKey and ReplicateKey do; throws the KMS error.
   *
   * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html">
   *     PutKeyPolicy, Policy parameter</a>
   */
  static void validate(String policy, PolicyChange change) {
    JsonInput.checkLength("Policy", policy, 1, MODEL_MAX_POLICY_CHARS);
    checkCharacters(policy);
    if (policy.getBytes(StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
      throw ApiException.client(
          "LimitExceededException",
          "Policy for key " + change.keyArn() + " exceeds the 32768-byte key policy size limit.");
    }
    checkStatements(parse(policy));
    if (!change.bypassLockoutCheck()
        && !change.check().allowsPutKeyPolicy(policy, change.callerArn(), change.keyArn())) {
      throw malformed(
          "The new key policy will not allow you to update the key policy in the future.");
    }
  }

  private static void checkCharacters(String policy) {
    for (int i = 0; i < policy.length(); i++) {
      char c = policy.charAt(i);
      boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFF);
      if (!allowed) {
        throw malformed(
            String.format(
                "Policy contains the character U+%04X at index %d, outside the allowed set.",
                (int) c, i));
      }
    }
  }

  private static JsonNode parse(String policy) {
    try {
      return STRICT.readTree(policy);
    } catch (IOException e) {
      throw malformed("Policy is not valid JSON.");
    }
  }

  private static void checkStatements(JsonNode policy) {
    if (!policy.isObject()) {
      throw malformed("Policy must be a JSON object.");
    }
    JsonNode statements = policy.get("Statement");
    List<JsonNode> list = new ArrayList<>();
    if (statements != null && statements.isArray()) {
      statements.forEach(list::add);
    } else if (statements != null && statements.isObject()) {
      list.add(statements);
    }
    if (list.isEmpty()) {
      throw malformed("Policy must contain at least one statement.");
    }
    for (JsonNode statement : list) {
      checkStatement(statement);
    }
  }

  private static void checkStatement(JsonNode statement) {
    if (!statement.isObject()) {
      throw malformed("Each policy statement must be a JSON object.");
    }
    String effect = statement.path("Effect").asText("");
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw malformed("Policy contains a statement whose Effect is neither Allow nor Deny.");
    }
    if (!statement.has("Principal") && !statement.has("NotPrincipal")) {
      throw malformed("Policy contains a statement with no principal.");
    }
  }

  private static ApiException malformed(String message) {
    return ApiException.client("MalformedPolicyDocumentException", message);
  }

  /** The circumstances of a policy change that the lockout check needs. */
  record PolicyChange(
      String callerArn, String keyArn, boolean bypassLockoutCheck, LockoutCheck check) {}
}
