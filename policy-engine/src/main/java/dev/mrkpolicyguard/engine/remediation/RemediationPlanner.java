package dev.mrkpolicyguard.engine.remediation;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.region.RegionMapper;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.Objects;

/**
 * Plans the realignment of a replica's key policy to its primary's: the target is the primary's
 * document with its Region-bearing values mapped into the replica's Region. Pure: the remediation
 * handler reads, backs up, writes and verifies.
 */
public final class RemediationPlanner {
  private final PolicyComparator comparator;
  private final KeyDecider decider;
  private final PolicyParser parser = new PolicyParser();

  /** A planner with the shipped catalogue. */
  public RemediationPlanner() {
    this(new PolicyComparator());
  }

  /** A planner using {@code comparator}. */
  public RemediationPlanner(PolicyComparator comparator) {
    this.comparator = Objects.requireNonNull(comparator, "comparator");
    this.decider = new KeyDecider(comparator);
  }

  /** Plans the realignment of {@code replica}'s policy to {@code primary}'s. */
  public RemediationPlan plan(
      KeyContext replica,
      String replicaPolicy,
      KeyContext primary,
      String primaryPolicy,
      Baseline baseline) {
    KeyPolicy current = parse(replicaPolicy);
    KeyPolicy source = parse(primaryPolicy);
    if (source == null) {
      return new RemediationPlan.Refused(
          "the primary's policy (" + primary.region() + ") is not a valid key policy");
    }
    if (current == null) {
      return new RemediationPlan.Refused("the replica's current policy is not a valid key policy");
    }
    Comparison before = comparator.compare(source, primary, current, replica);
    if (before.verdict() == Verdict.EQUIVALENT) {
      return new RemediationPlan.NoChange(before.verdict());
    }
    String target = new RegionMapper(primary.region(), replica.region()).mapDocument(primaryPolicy);
    KeyEvaluation targetCheck =
        decider.decide(
            new KeyFacts(
                replica.keyArn(),
                KeyRole.REPLICA,
                primary.keyArn(),
                false,
                "Enabled",
                new PolicyFact.Known(target),
                new PolicyFact.Known(primaryPolicy)),
            baseline);
    KeyPolicy proposed = parse(target);
    if (proposed == null) {
      return new RemediationPlan.Refused(
          "the primary's policy rewritten for " + replica.region() + " is not a valid key policy");
    }
    Comparison proposal = comparator.compare(source, primary, proposed, replica);
    if (proposal.verdict() != Verdict.EQUIVALENT) {
      // The proposal is judged by the same two-sided comparison as the rule: no text rewrite
      // makes, say, a "us-*" Region pattern mean the same on a key in eu-west-1.
      String detail =
          proposal.verdict() == Verdict.UNDECIDED
              ? proposal.reason()
              : proposal.verdict()
                  + ": "
                  + proposal.differences().get(0).witness().caller().text()
                  + " "
                  + proposal.differences().get(0).witness().action()
                  + " ("
                  + proposal.differences().get(0).explanation()
                  + ")";
      return new RemediationPlan.Refused(
          "no rewrite of the primary's policy for "
              + replica.region()
              + " grants on the replica exactly what the primary grants: "
              + detail);
    }
    if (targetCheck.compliance() != Compliance.COMPLIANT) {
      return new RemediationPlan.Refused(
          "the primary's policy itself needs attention: "
              + targetCheck.findings().get(0).code()
              + ": "
              + targetCheck.findings().get(0).summary());
    }
    return new RemediationPlan.Apply(target, before);
  }

  private KeyPolicy parse(String json) {
    ParseResult result = parser.parse(json);
    return result instanceof ParseResult.Parsed parsed ? parsed.policy() : null;
  }
}
