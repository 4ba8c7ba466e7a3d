package dev.mrkpolicyguard.cli;

import dev.mrkpolicyguard.cli.common.TimeBudget;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's slow shape (docs/semantics.md "Time budget"): 22 conditions each of which alone lets
 * AppRole decrypt; the replica's copy also denies when every one has another value. The two differ
 * only where all 22 keys have the other value (then the account's IAM policies may still allow it
 * on the primary), which the search reaches after about 2^22 combinations.
 */
public final class SlowShape {
  private SlowShape() {}

  /** The primary's ({@code deny} false) or the replica's ({@code deny} true) key policy. */
  public static String policy(boolean deny) {
    StringBuilder statements = new StringBuilder();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 22; i++) {
      statements.append(
          """
          ,{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},
           "Action":"kms:Decrypt","Resource":"*",
           "Condition":{"StringEquals":{"kms:EncryptionContext:k%d":"a"}}}"""
              .formatted(i));
      all.append(i == 0 ? "" : ",").append("\"kms:EncryptionContext:k" + i + "\":\"b\"");
    }
    if (deny) {
      statements.append(
          """
          ,{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},
           "Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{%s}}}"""
              .formatted(all));
    }
    return """
        {"Version":"2012-10-17","Statement":[
         {"Sid":"Enable IAM User Permissions","Effect":"Allow",
          "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}%s]}
        """
        .formatted(statements);
  }

  /**
   * A budget whose clock advances {@code stepMillis} each time it is read, by any thread: with 1
   * ms, a comparison may read it 500 times within a budget of 0.5 s, which only the slow shape
   * comes near (its search reads it every 1,024 nodes).
   */
  public static TimeBudget steppingBudget(long stepMillis) {
    AtomicLong reads = new AtomicLong();
    return new TimeBudget(() -> reads.getAndIncrement() * stepMillis * 1_000_000L);
  }
}
