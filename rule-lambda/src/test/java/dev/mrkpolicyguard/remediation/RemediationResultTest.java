package dev.mrkpolicyguard.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mrkpolicyguard.engine.compare.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemediationResultTest {
  @Test
  void toJson_refused_isCompactWithOutcomeFirstAndNulls() {
    assertEquals(
        "{\"outcome\":\"REFUSED\",\"reason\":\"not a replica\",\"verdictBefore\":null,"
            + "\"verdictAfter\":null,\"backupUri\":null,\"previousPolicySha256\":null}",
        RemediationResult.refused("not a replica").toJson());
  }

  @Test
  void toJson_reasonQuotingAnOutcome_cannotMatchTheBranchText() {
    String json = RemediationResult.failed("\"outcome\":\"APPLIED\"").toJson();
    assertFalse(json.substring(1).contains("\"outcome\":\"APPLIED\""), json);
  }

  @Test
  void toJson_dryRun_carriesTheDiff() {
    RemediationResult result =
        new RemediationResult(
            Outcome.DRY_RUN,
            "dry run",
            Verdict.REPLICA_BROADER,
            null,
            null,
            "ab",
            new RemediationResult.Diff(List.of("revokes: x"), "{}"));
    assertEquals(
        "{\"changes\":[\"revokes: x\"],\"targetPolicy\":\"{}\"}",
        RemediationFixture.parse(result.toJson()).get("diff").toString());
  }
}
