package dev.mrkpolicyguard.localaws.protocol;

import java.util.Objects;

/** The identity behind an access key: account, ARN and the STS-style user ID. */
public record Principal(String account, String arn, String userId) {

  public Principal {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(userId, "userId");
  }

  /** The account root principal, what a long-term key of the account itself acts as. */
  public static Principal root(String account) {
    return new Principal(account, "arn:aws:iam::" + account + ":root", account);
  }

  /** A principal named by ARN; its account is the ARN's account field. */
  public static Principal ofArn(String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn") || parts[4].isEmpty()) {
      throw new IllegalArgumentException("not a principal ARN with an account: " + arn);
    }
    String userId = parts[5].equals("root") ? parts[4] : Ids.stable("AIDA", arn);
    return new Principal(parts[4], arn, userId);
  }
}
