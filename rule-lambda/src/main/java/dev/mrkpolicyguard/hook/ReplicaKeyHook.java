package dev.mrkpolicyguard.hook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.engine.rule.FindingWords;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import dev.mrkpolicyguard.iac.IacWords;
import dev.mrkpolicyguard.iac.PlannedPolicy;
import dev.mrkpolicyguard.iac.PrimarySource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The hook's decision, pure: for an {@code AWS::KMS::ReplicaKey} being created or updated, the
 * proposed {@code KeyPolicy} against the primary's live policy (each on its own key) and the
 * baseline; for an update of a multi-Region {@code AWS::KMS::Key}'s {@code KeyPolicy}, a warning
 * that its replicas will no longer match. A primary or baseline that cannot be read stops the
 * operation in FAIL mode and is a warning in WARN mode.
 */
public final class ReplicaKeyHook {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NEW_KEY_ID = "mrk-00000000000000000000000000000000";

  private final FailureMode mode;
  private final KeyDecider decider;

  /** A hook in {@code mode} deciding with {@code decider}. */
  public ReplicaKeyHook(FailureMode mode, KeyDecider decider) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.decider = Objects.requireNonNull(decider, "decider");
  }

  /**
   * What one invocation can use.
   *
   * @param region the function's Region, used when the stack ARN has none
   * @param baseline the baseline, or {@code null} when it cannot be used
   * @param baselineProblem why the baseline cannot be used, or {@code null}
   * @param primaries the live policies of primaries
   */
  public record Environment(
      String region, Baseline baseline, String baselineProblem, PrimarySource primaries) {
    public Environment {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(primaries, "primaries");
      if ((baseline == null) == (baselineProblem == null)) {
        throw new IllegalArgumentException("either a baseline or why there is none");
      }
    }
  }

  /** Answers {@code request}. */
  public HookResponse evaluate(HookRequest request, Environment env) {
    String token = request.clientRequestToken();
    if (!request.createOrUpdate()) {
      return HookResponse.success(
          token, "Nothing to check at " + request.invocationPoint() + ".", List.of());
    }
    return switch (request.targetName()) {
      case "AWS::KMS::ReplicaKey" -> replica(request, env);
      case "AWS::KMS::Key" -> primaryUpdate(request, env);
      default ->
          HookResponse.success(
              token,
              "Not a KMS key resource (" + request.targetName() + "): nothing to check.",
              List.of());
    };
  }

  private HookResponse replica(HookRequest request, Environment env) {
    String region = Objects.requireNonNullElse(request.stackRegion(), env.region());
    String what = request.logicalId() + " (AWS::KMS::ReplicaKey in " + region + ")";
    if (env.baselineProblem() != null) {
      return cannotVerify(request, what, "the baseline cannot be used: " + env.baselineProblem());
    }
    String arn = request.properties().path("PrimaryKeyArn").asText("");
    if (KeyContext.parse(arn).isEmpty()) {
      return cannotVerify(request, what, "PrimaryKeyArn '" + arn + "' is not a KMS key ARN");
    }
    String policy = policyText(request.properties().get("KeyPolicy"));
    if (policy == null) {
      return cannotVerify(request, what, "it has no KeyPolicy");
    }
    PrimarySource.Primary primary = env.primaries().read(arn);
    if (primary == null || !(primary.policy() instanceof PolicyFact.Known known)) {
      String why =
          primary != null && primary.policy() instanceof PolicyFact.Unreadable u
              ? u.message()
              : "no policy was read";
      return cannotVerify(request, what, "the primary's policy cannot be read: " + why);
    }
    String replicaArn = new KeyContext(arn).inRegion(region).keyArn();
    KeyFacts facts =
        new KeyFacts(
                replicaArn,
                KeyRole.REPLICA,
                arn,
                false,
                "Enabled",
                new PolicyFact.Known(policy),
                new PolicyFact.Known(known.json()))
            .withUsage(primary.keyUsage(), primary.keySpec());
    KeyEvaluation evaluation = decider.decide(facts, env.baseline());
    if (evaluation.compliance() == Compliance.COMPLIANT) {
      return HookResponse.success(
          request.clientRequestToken(),
          what
              + ": its KeyPolicy grants exactly what primary "
              + arn
              + " grants, and meets the baseline.",
          List.of(
              new HookResponse.Annotation(
                  "REPLICA_MATCHES_PRIMARY", true, "Matches " + arn + ".", null, "INFORMATIONAL")));
    }
    StringBuilder message =
        new StringBuilder(what)
            .append(": its KeyPolicy does not match primary ")
            .append(arn)
            .append('.');
    List<HookResponse.Annotation> annotations = new ArrayList<>();
    for (Finding f : evaluation.findings()) {
      message.append(' ').append(IacWords.message(f, region));
      annotations.add(
          new HookResponse.Annotation(
              f.code().name(),
              false,
              f.summary(),
              IacWords.fix(f.code(), region),
              severity(f.code())));
    }
    return HookResponse.nonCompliant(request.clientRequestToken(), message.toString(), annotations);
  }

  private HookResponse primaryUpdate(HookRequest request, Environment env) {
    String token = request.clientRequestToken();
    JsonNode now = request.properties();
    if (!request.invocationPoint().startsWith("UPDATE")
        || !now.path("MultiRegion").asText("false").equalsIgnoreCase("true")) {
      return HookResponse.success(
          token, "Not an update of a multi-Region primary: nothing to check.", List.of());
    }
    String region = Objects.requireNonNullElse(request.stackRegion(), env.region());
    String account = request.accountId().matches("\\d{12}") ? request.accountId() : "000000000000";
    KeyContext key =
        new KeyContext(
                "arn:"
                    + partition(region)
                    + ":kms:"
                    + region
                    + ":"
                    + account
                    + ":key/"
                    + NEW_KEY_ID)
            .asPrimary();
    String before =
        Objects.requireNonNullElse(
            policyText(request.previous().get("KeyPolicy")), defaultPolicy(key));
    String after = Objects.requireNonNullElse(policyText(now.get("KeyPolicy")), defaultPolicy(key));
    if (before.equals(after)) {
      return HookResponse.success(token, request.logicalId() + ": KeyPolicy unchanged.", List.of());
    }
    ParseResult old = new PolicyParser().parse(before);
    ParseResult proposed = new PolicyParser().parse(after);
    if (!(old instanceof ParseResult.Parsed o) || !(proposed instanceof ParseResult.Parsed p)) {
      return HookResponse.success(
          token,
          request.logicalId() + ": the KeyPolicy cannot be parsed; not compared.",
          List.of());
    }
    Comparison c = new PolicyComparator().compare(o.policy(), key, p.policy(), key);
    if (c.verdict() == Verdict.EQUIVALENT) {
      return HookResponse.success(
          token,
          request.logicalId()
              + ": the new KeyPolicy grants the same access; its replicas still match.",
          List.of());
    }
    String change = c.differences().isEmpty() ? c.reason() : describe(c.differences().get(0));
    String message =
        "Warning: "
            + request.logicalId()
            + " is a multi-Region primary and its new KeyPolicy grants different access ("
            + change
            + "). Its replicas keep their own key policies and will no longer match it: give each"
            + " replica the new policy (mapped to its Region), or realign them with `remediate`"
            + " once this update is done.";
    return HookResponse.success(
        token,
        message,
        List.of(
            new HookResponse.Annotation(
                "PRIMARY_POLICY_CHANGED",
                false,
                message,
                "Update every replica's KeyPolicy the same way.",
                "MEDIUM")));
  }

  private HookResponse cannotVerify(HookRequest request, String what, String reason) {
    String token = request.clientRequestToken();
    HookResponse.Annotation annotation =
        new HookResponse.Annotation(
            "PRIMARY_POLICY_UNREADABLE",
            false,
            "Cannot verify " + what + ": " + reason,
            "Allow the hook function's role kms:DescribeKey and kms:GetKeyPolicy on the primary.",
            "MEDIUM");
    if (mode == FailureMode.FAIL) {
      return HookResponse.nonCompliant(
          token,
          "Cannot verify "
              + what
              + ": "
              + reason
              + ". The hook is in FAIL mode, so the operation stops until the replica can be checked.",
          List.of(annotation));
    }
    return HookResponse.success(
        token, "Warning: cannot verify " + what + ": " + reason + ".", List.of(annotation));
  }

  private static String describe(Difference d) {
    return FindingWords.witness(d);
  }

  private static String severity(FindingCode code) {
    return switch (code) {
      case REPLICA_GRANTS_MORE,
          REPLICA_GRANTS_LESS,
          BASELINE_CEILING_EXCEEDED,
          BASELINE_FLOOR_MISSING ->
          "HIGH";
      default -> "MEDIUM";
    };
  }

  /** A KeyPolicy property as JSON text: an object, or a string holding JSON. */
  private static String policyText(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static String defaultPolicy(KeyContext key) {
    return PlannedPolicy.defaultPolicy(key.partition(), key.accountId());
  }

  private static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }
}
