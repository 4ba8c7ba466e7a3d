package dev.mrkpolicyguard.iac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the multi-Region keys of a CloudFormation template: {@code AWS::KMS::Key} with {@code
 * MultiRegion: true} (a primary) and {@code AWS::KMS::ReplicaKey} (CloudFormation user guide,
 * "AWS::KMS::Key", "AWS::KMS::ReplicaKey"). A template does not say where it is deployed, so the
 * Region comes from the caller; {@code AWS::Region} resolves to it.
 *
 * <p>A replica names its primary by ARN ({@code PrimaryKeyArn}, a literal or a parameter), by
 * {@code !GetAtt Key.Arn} of a key in the same template, or, through a parameter value of the form
 * {@code FILE#LogicalId} (or {@code #LogicalId}), by a key in another of the inputs that is not
 * created yet.
 */
public final class CfnTemplateReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> parameters;
  private final String accountId;

  /**
   * @param parameters {@code --parameter} values, by name
   * @param accountId {@code --account}, or {@code null} when not given
   */
  public CfnTemplateReader(Map<String, String> parameters, String accountId) {
    this.parameters = Map.copyOf(parameters);
    this.accountId = accountId;
  }

  /** Whether {@code root} looks like a CloudFormation template: it has {@code Resources}. */
  static boolean isTemplate(JsonNode root) {
    return root.isObject() && root.path("Resources").isObject();
  }

  /** Reads {@code text}, the template {@code file} deployed in {@code region} (or null). */
  public InputRead read(String file, String text, String region) {
    TemplateTree.Parsed parsed = TemplateTree.parse(text);
    if (parsed instanceof TemplateTree.Parsed.Invalid invalid) {
      return new InputRead.Invalid(file + " is not YAML or JSON: " + invalid.problem());
    }
    TemplateTree tree = ((TemplateTree.Parsed.Tree) parsed).tree();
    if (!isTemplate(tree.root())) {
      return new InputRead.Invalid(
          file + " has no Resources section: not a CloudFormation template");
    }
    return read(file, tree, region);
  }

  InputRead read(String file, TemplateTree tree, String region) {
    JsonNode root = tree.root();
    List<IacResource> resources = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String type = entry.getValue().path("Type").asText("");
      if (!type.equals("AWS::KMS::Key") && !type.equals("AWS::KMS::ReplicaKey")) {
        continue;
      }
      if (region == null) {
        return new InputRead.Invalid(
            file
                + " is a CloudFormation template, which does not say where it will be deployed:"
                + " give --region REGION, or "
                + file
                + "@REGION");
      }
      String logicalId = entry.getKey();
      SourceLocation location =
          new SourceLocation(file, tree.line("/Resources/" + TemplateTree.escape(logicalId)));
      JsonNode properties = entry.getValue().path("Properties");
      Optional<IacResource> resource =
          type.equals("AWS::KMS::Key")
              ? primary(root, file, logicalId, location, properties, region)
              : Optional.of(replica(root, file, logicalId, location, properties, region));
      if (resource.isPresent() && resource.get().policy() == null) {
        return new InputRead.Invalid(
            location
                + ": "
                + logicalId
                + " (AWS::KMS::ReplicaKey) has no KeyPolicy; it is required");
      }
      resource.ifPresent(resources::add);
    }
    return new InputRead.Read(resources);
  }

  private Optional<IacResource> primary(
      JsonNode root,
      String file,
      String logicalId,
      SourceLocation location,
      JsonNode properties,
      String region) {
    String account = Objects.requireNonNullElse(accountId, IacCheck.UNKNOWN_ACCOUNT);
    Intrinsics intrinsics = new Intrinsics(root, region, account, parameters);
    JsonNode multiRegion = properties.path("MultiRegion");
    if (multiRegion.isMissingNode()) {
      return Optional.empty();
    }
    Intrinsics.Resolved flag = intrinsics.resolve(multiRegion);
    PlannedPolicy policy;
    if (flag instanceof Intrinsics.Resolved.Value v) {
      if (!v.node().asText().equalsIgnoreCase("true")) {
        return Optional.empty();
      }
      policy = policy(intrinsics, properties.get("KeyPolicy"), new PlannedPolicy.KmsDefault());
    } else {
      policy =
          new PlannedPolicy.NotKnown(
              IacCode.INTRINSIC_UNRESOLVED,
              "whether it is multi-Region: " + ((Intrinsics.Resolved.Unknown) flag).reason());
    }
    return Optional.of(
        new IacResource(
            file + "#" + logicalId,
            logicalId,
            "AWS::KMS::Key",
            false,
            location,
            region,
            accountId,
            policy,
            null,
            text(intrinsics, properties.get("KeyUsage"), "ENCRYPT_DECRYPT"),
            text(intrinsics, properties.get("KeySpec"), "SYMMETRIC_DEFAULT")));
  }

  private IacResource replica(
      JsonNode root,
      String file,
      String logicalId,
      SourceLocation location,
      JsonNode properties,
      String region) {
    String account = Objects.requireNonNullElse(accountId, IacCheck.UNKNOWN_ACCOUNT);
    PrimaryLink link =
        link(new Intrinsics(root, region, account, parameters), root, file, properties);
    if (accountId == null && link instanceof PrimaryLink.ByArn byArn) {
      String named = new KeyContext(byArn.arn()).accountId();
      account = named;
    }
    Intrinsics intrinsics = new Intrinsics(root, region, account, parameters);
    PlannedPolicy policy = policy(intrinsics, properties.get("KeyPolicy"), null);
    String known = account.equals(IacCheck.UNKNOWN_ACCOUNT) ? null : account;
    return new IacResource(
        file + "#" + logicalId,
        logicalId,
        "AWS::KMS::ReplicaKey",
        true,
        location,
        region,
        known,
        policy,
        link,
        null,
        null);
  }

  private PrimaryLink link(Intrinsics intrinsics, JsonNode root, String file, JsonNode props) {
    JsonNode arn = props.get("PrimaryKeyArn");
    if (arn == null) {
      return new PrimaryLink.NotKnown(
          IacCode.INTRINSIC_UNRESOLVED, "PrimaryKeyArn is required and missing");
    }
    String sameTemplate = sameTemplateKey(arn, root);
    if (sameTemplate != null) {
      return new PrimaryLink.InInputs(file + "#" + sameTemplate);
    }
    if (arn.has("Ref") && arn.get("Ref").isTextual()) {
      String value = parameters.get(arn.get("Ref").asText());
      if (value != null && value.contains("#") && !value.startsWith("arn:")) {
        return new PrimaryLink.InInputs(value.startsWith("#") ? file + value : value);
      }
    }
    Intrinsics.Resolved resolved = intrinsics.resolve(arn);
    if (resolved instanceof Intrinsics.Resolved.Unknown unknown) {
      return new PrimaryLink.NotKnown(IacCode.INTRINSIC_UNRESOLVED, unknown.reason());
    }
    String text = ((Intrinsics.Resolved.Value) resolved).node().asText();
    if (KeyContext.parse(text).isEmpty()) {
      return new PrimaryLink.NotKnown(
          IacCode.INTRINSIC_UNRESOLVED,
          "'" + text + "' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/mrk-...)");
    }
    return new PrimaryLink.ByArn(text);
  }

  /** The logical ID of a key of this template that {@code arn} refers to, or {@code null}. */
  private static String sameTemplateKey(JsonNode arn, JsonNode root) {
    String target = null;
    if (arn.has("Fn::GetAtt") && arn.get("Fn::GetAtt").isArray()) {
      target = arn.get("Fn::GetAtt").path(0).asText(null);
    } else if (arn.has("Ref")) {
      target = arn.get("Ref").asText(null);
    }
    if (target == null) {
      return null;
    }
    return root.path("Resources").path(target).path("Type").asText("").equals("AWS::KMS::Key")
        ? target
        : null;
  }

  private static PlannedPolicy policy(
      Intrinsics intrinsics, JsonNode keyPolicy, PlannedPolicy absent) {
    if (keyPolicy == null || keyPolicy.isNull()) {
      return absent;
    }
    Intrinsics.Resolved resolved = intrinsics.resolve(keyPolicy);
    if (resolved instanceof Intrinsics.Resolved.Unknown unknown) {
      return new PlannedPolicy.NotKnown(IacCode.INTRINSIC_UNRESOLVED, unknown.reason());
    }
    JsonNode value = ((Intrinsics.Resolved.Value) resolved).node();
    if (value.isTextual()) {
      return new PlannedPolicy.Given(value.asText());
    }
    try {
      return new PlannedPolicy.Given(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** A resolved string property, {@code absent} when not given, null when not resolvable. */
  private static String text(Intrinsics intrinsics, JsonNode node, String absent) {
    if (node == null) {
      return absent;
    }
    return intrinsics.resolve(node) instanceof Intrinsics.Resolved.Value v && v.node().isTextual()
        ? v.node().asText()
        : null;
  }
}
