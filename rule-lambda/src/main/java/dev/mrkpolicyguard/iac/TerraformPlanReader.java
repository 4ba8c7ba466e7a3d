package dev.mrkpolicyguard.iac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the multi-Region keys of a Terraform plan ({@code terraform show -json PLAN}; Terraform
 * "JSON Output Format", format_version 1.x): {@code aws_kms_key} with {@code multi_region = true}
 * and {@code aws_kms_replica_key}, as planned ({@code resource_changes[].change.after}), with the
 * policy of an {@code aws_kms_key_policy} that targets one of them.
 *
 * <p>A new primary's ARN is unknown until apply, so a replica is paired with its primary through
 * the configuration's references ({@code primary_key_arn = aws_kms_key.primary.arn}, also through
 * module variables), or by ARN when the plan knows it. Each resource's Region is its own {@code
 * region} argument (AWS provider 6), else its provider configuration's {@code region} (a constant
 * or a root variable), else the default given by the caller.
 */
public final class TerraformPlanReader {
  private static final Pattern KEY_REFERENCE =
      Pattern.compile("^(aws_kms_key|aws_kms_replica_key)\\.([A-Za-z0-9_-]+)(\\[[^\\]]*\\])?");
  private static final Pattern VARIABLE = Pattern.compile("^var\\.([A-Za-z0-9_-]+)$");
  private static final Pattern MODULE_STEP =
      Pattern.compile("module\\.([A-Za-z0-9_-]+)(\\[(?:\"[^\"]*\"|[^\\]]*)\\])?");

  private final String defaultRegion;
  private final String accountId;

  /**
   * @param defaultRegion the Region of providers that set none ({@code --region}), or null
   * @param accountId {@code --account}, or null
   */
  public TerraformPlanReader(String defaultRegion, String accountId) {
    this.defaultRegion = defaultRegion;
    this.accountId = accountId;
  }

  /** Whether {@code root} looks like a plan: a format version and planned changes. */
  static boolean isPlan(JsonNode root) {
    return root.isObject()
        && root.has("format_version")
        && (root.has("resource_changes") || root.has("planned_values"));
  }

  InputRead read(String file, TemplateTree tree) {
    JsonNode plan = tree.root();
    String version = plan.path("format_version").asText("");
    if (!version.startsWith("1.")) {
      return new InputRead.Invalid(
          file + ": plan format_version '" + version + "' is not 1.x, the version this tool reads");
    }
    Plan model = new Plan(plan, callerAccount(plan));
    List<IacResource> resources = new ArrayList<>();
    JsonNode changes = plan.path("resource_changes");
    for (int i = 0; i < changes.size(); i++) {
      JsonNode change = changes.get(i);
      if (!model.kmsKey(change) && !change.path("type").asText().equals("aws_kms_replica_key")) {
        continue;
      }
      SourceLocation location = new SourceLocation(file, tree.line("/resource_changes/" + i));
      resources.add(model.resource(file, change, location));
    }
    return new InputRead.Read(resources);
  }

  /** The account of an {@code aws_caller_identity} data source read during the plan, or null. */
  private String callerAccount(JsonNode plan) {
    if (accountId != null) {
      return accountId;
    }
    List<JsonNode> modules = new ArrayList<>();
    modules.add(plan.path("prior_state").path("values").path("root_module"));
    while (!modules.isEmpty()) {
      JsonNode module = modules.remove(0);
      for (JsonNode r : module.path("resources")) {
        if (r.path("mode").asText().equals("data")
            && r.path("type").asText().equals("aws_caller_identity")
            && r.path("values").path("account_id").isTextual()) {
          return r.path("values").path("account_id").asText();
        }
      }
      module.path("child_modules").forEach(modules::add);
    }
    return null;
  }

  /** One plan, with the lookups its resources need. */
  private final class Plan {
    private final JsonNode plan;
    private final String account;
    private final Map<String, JsonNode> keys = new HashMap<>();
    private final Map<String, JsonNode> policies = new HashMap<>();

    Plan(JsonNode plan, String account) {
      this.plan = plan;
      this.account = account;
      for (JsonNode change : plan.path("resource_changes")) {
        if (!planned(change)) {
          continue;
        }
        String type = change.path("type").asText();
        if (type.equals("aws_kms_key") || type.equals("aws_kms_replica_key")) {
          keys.put(change.path("address").asText(), change);
        }
      }
      for (JsonNode change : plan.path("resource_changes")) {
        if (planned(change) && change.path("type").asText().equals("aws_kms_key_policy")) {
          String target = target(change, "key_id");
          if (target != null) {
            policies.put(target, change);
          }
        }
      }
    }

    boolean kmsKey(JsonNode change) {
      if (!planned(change) || !change.path("type").asText().equals("aws_kms_key")) {
        return false;
      }
      JsonNode planned = change.path("change");
      return planned.path("after").path("multi_region").asBoolean(false)
          || planned.path("after_unknown").path("multi_region").asBoolean(false);
    }

    IacResource resource(String file, JsonNode change, SourceLocation location) {
      String address = change.path("address").asText();
      String type = change.path("type").asText();
      JsonNode after = change.path("change").path("after");
      JsonNode unknown = change.path("change").path("after_unknown");
      boolean replica = type.equals("aws_kms_replica_key");
      PrimaryLink link = replica ? link(file, change) : null;
      String keyAccount = account;
      String ownArn = after.path("arn").asText(null);
      if (ownArn != null && KeyContext.parse(ownArn).isPresent()) {
        keyAccount = KeyContext.parse(ownArn).get().accountId();
      } else if (link instanceof PrimaryLink.ByArn byArn) {
        keyAccount = new KeyContext(byArn.arn()).accountId();
      }
      PlannedPolicy policy = policy(address, after, unknown, config(change));
      if (!replica && unknown.path("multi_region").asBoolean(false)) {
        policy =
            new PlannedPolicy.NotKnown(
                IacCode.POLICY_UNKNOWN_UNTIL_APPLY,
                "whether it is multi-Region is known only after apply");
      }
      return new IacResource(
          file + "#" + address,
          address,
          type,
          replica,
          location,
          region(change, after),
          keyAccount,
          policy,
          link,
          replica ? null : attribute(after, unknown, "key_usage", "ENCRYPT_DECRYPT"),
          replica
              ? null
              : attribute(after, unknown, "customer_master_key_spec", "SYMMETRIC_DEFAULT"));
    }

    private PlannedPolicy policy(
        String address, JsonNode after, JsonNode unknown, JsonNode config) {
      JsonNode separate = policies.get(address);
      if (separate != null) {
        return policyOf(
            separate.path("change").path("after"),
            separate.path("change").path("after_unknown"),
            config(separate),
            separate.path("address").asText());
      }
      return policyOf(after, unknown, config, address);
    }

    private PlannedPolicy policyOf(JsonNode after, JsonNode unknown, JsonNode config, String who) {
      if (!config.isMissingNode() && !config.path("expressions").has("policy")) {
        // Not configured: the provider leaves the policy to KMS, which attaches the default key
        // policy (policy is optional and computed, so the plan shows it as unknown).
        return new PlannedPolicy.KmsDefault();
      }
      if (unknown.path("policy").asBoolean(false)) {
        List<String> references = new ArrayList<>();
        config
            .path("expressions")
            .path("policy")
            .path("references")
            .forEach(r -> references.add(r.asText()));
        return new PlannedPolicy.NotKnown(
            IacCode.POLICY_UNKNOWN_UNTIL_APPLY,
            "the policy of "
                + who
                + " is known only after apply (after_unknown.policy)"
                + (references.isEmpty() ? "" : "; it depends on " + String.join(", ", references))
                + ": build it from values known at plan time, or check again after apply");
      }
      String text = after.path("policy").asText("");
      return text.isBlank() ? new PlannedPolicy.KmsDefault() : new PlannedPolicy.Given(text);
    }

    private PrimaryLink link(String file, JsonNode change) {
      String target = target(change, "primary_key_arn");
      if (target != null && keys.containsKey(target)) {
        return new PrimaryLink.InInputs(file + "#" + target);
      }
      String arn = change.path("change").path("after").path("primary_key_arn").asText("");
      if (KeyContext.parse(arn).isPresent()) {
        for (JsonNode key : keys.values()) {
          if (arn.equals(key.path("change").path("after").path("arn").asText())) {
            return new PrimaryLink.InInputs(file + "#" + key.path("address").asText());
          }
        }
        return new PrimaryLink.ByArn(arn);
      }
      return new PrimaryLink.NotKnown(
          IacCode.INTRINSIC_UNRESOLVED,
          "primary_key_arn is known only after apply and refers to no aws_kms_key of the plan");
    }

    /**
     * The address of the key that argument {@code argument} of {@code change}'s configuration
     * refers to, following module variables up to their callers, or {@code null}.
     */
    private String target(JsonNode change, String argument) {
      String module = change.path("module_address").asText("");
      JsonNode references = config(change).path("expressions").path(argument).path("references");
      return targetOf(references, module, change.path("index"));
    }

    private String targetOf(JsonNode references, String module, JsonNode index) {
      String prefix = module.isEmpty() ? "" : module + ".";
      for (JsonNode reference : references) {
        String text = reference.asText();
        Matcher key = KEY_REFERENCE.matcher(text);
        if (key.find()) {
          String base = prefix + key.group(1) + "." + key.group(2);
          String exact = key.group(3) == null ? null : base + key.group(3);
          if (exact != null && keys.containsKey(exact)) {
            return exact;
          }
          List<String> instances =
              keys.keySet().stream()
                  .filter(a -> a.equals(base) || a.startsWith(base + "["))
                  .toList();
          if (instances.size() == 1) {
            return instances.get(0);
          }
          String same = base + index(index);
          if (!index.isMissingNode() && keys.containsKey(same)) {
            return same;
          }
          continue;
        }
        Matcher variable = VARIABLE.matcher(text);
        if (variable.matches() && !module.isEmpty()) {
          List<String> steps = steps(module);
          String parent = String.join(".", steps.subList(0, steps.size() - 1));
          JsonNode call =
              moduleConfig(parent).path("module_calls").path(callName(steps.get(steps.size() - 1)));
          String found =
              targetOf(
                  call.path("expressions").path(variable.group(1)).path("references"),
                  parent,
                  index);
          if (found != null) {
            return found;
          }
        }
      }
      return null;
    }

    /** The configuration block of the resource of {@code change}, or a missing node. */
    private JsonNode config(JsonNode change) {
      JsonNode module = moduleConfig(change.path("module_address").asText(""));
      for (JsonNode r : module.path("resources")) {
        if (r.path("type").asText().equals(change.path("type").asText())
            && r.path("name").asText().equals(change.path("name").asText())
            && r.path("mode").asText("managed").equals("managed")) {
          return r;
        }
      }
      return MissingNode.getInstance();
    }

    private JsonNode moduleConfig(String module) {
      JsonNode config = plan.path("configuration").path("root_module");
      for (String step : steps(module)) {
        config = config.path("module_calls").path(callName(step)).path("module");
      }
      return config;
    }

    private String region(JsonNode change, JsonNode after) {
      String own = after.path("region").asText("");
      if (!own.isEmpty()) {
        return own;
      }
      String key = config(change).path("provider_config_key").asText("");
      JsonNode providers = plan.path("configuration").path("provider_config");
      JsonNode provider = providers.path(key);
      if (provider.isMissingNode() && key.contains(":")) {
        provider = providers.path(key.substring(key.lastIndexOf(':') + 1));
      }
      JsonNode region = provider.path("expressions").path("region");
      if (region.path("constant_value").isTextual()) {
        return region.path("constant_value").asText();
      }
      if (!provider.has("module_address")) {
        for (JsonNode reference : region.path("references")) {
          Matcher variable = VARIABLE.matcher(reference.asText());
          if (variable.matches()) {
            JsonNode value = plan.path("variables").path(variable.group(1)).path("value");
            if (value.isTextual()) {
              return value.asText();
            }
          }
        }
      }
      return region.isMissingNode() ? defaultRegion : null;
    }
  }

  private static boolean planned(JsonNode change) {
    if (!change.path("mode").asText("managed").equals("managed")) {
      return false;
    }
    List<String> actions = new ArrayList<>();
    change.path("change").path("actions").forEach(a -> actions.add(a.asText()));
    return !(actions.equals(List.of("delete")) || actions.equals(List.of("read")));
  }

  private static String attribute(JsonNode after, JsonNode unknown, String name, String absent) {
    if (unknown.path(name).asBoolean(false)) {
      return null;
    }
    String value = after.path(name).asText("");
    return value.isEmpty() ? absent : value;
  }

  private static String index(JsonNode index) {
    return index.isTextual() ? "[\"" + index.asText() + "\"]" : "[" + index.asText() + "]";
  }

  private static List<String> steps(String module) {
    List<String> steps = new ArrayList<>();
    Matcher m = MODULE_STEP.matcher(module);
    while (m.find()) {
      steps.add(m.group());
    }
    return steps;
  }

  private static String callName(String step) {
    Matcher m = MODULE_STEP.matcher(step);
    return m.find() ? m.group(1) : step;
  }
}
