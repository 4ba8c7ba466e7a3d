package dev.mrkpolicyguard.localaws.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.localaws.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately crude lockout check for the standalone fidelity script, not an IAM evaluator.
 *
 * <p>It passes when some {@code Allow} statement names the caller ARN, the caller's account (ID or
 * root ARN) or {@code *} as AWS principal and grants {@code *}, {@code kms:*} or {@code
 * kms:PutKeyPolicy}. It ignores conditions, {@code Deny}, {@code NotAction}, {@code NotPrincipal}
 * and wildcards inside action names; the project's policy engine supplies the real judgement.
 */
public final class SimpleLockoutCheck implements LockoutCheck {

  @Override
  public boolean allowsPutKeyPolicy(String policyJson, String callerArn, String keyArn) {
    JsonNode policy;
    try {
      policy = Json.MAPPER.readTree(policyJson);
    } catch (java.io.IOException e) {
      return false;
    }
    String account = callerArn.split(":")[4];
    List<String> principals = List.of(callerArn, account, "arn:aws:iam::" + account + ":root", "*");
    for (JsonNode statement : list(policy.get("Statement"))) {
      if ("Allow".equals(statement.path("Effect").asText())
          && namesAny(statement.get("Principal"), principals)
          && grantsPutKeyPolicy(statement.get("Action"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean namesAny(JsonNode principal, List<String> wanted) {
    if (principal == null) {
      return false;
    }
    if (principal.isTextual()) {
      return principal.asText().equals("*");
    }
    return list(principal.get("AWS")).stream().anyMatch(p -> wanted.contains(p.asText()));
  }

  private static boolean grantsPutKeyPolicy(JsonNode action) {
    return list(action).stream()
        .map(a -> a.asText().toLowerCase(Locale.ROOT))
        .anyMatch(a -> a.equals("*") || a.equals("kms:*") || a.equals("kms:putkeypolicy"));
  }

  private static List<JsonNode> list(JsonNode node) {
    List<JsonNode> items = new ArrayList<>();
    if (node == null) {
      return items;
    }
    if (node.isArray()) {
      node.forEach(items::add);
    } else {
      items.add(node);
    }
    return items;
  }
}
