package dev.mrkpolicyguard.rule;

import java.util.Map;

/**
 * Where the rule's handler gets its ports: the one adapter factory (over AWS in {@code
 * aws.SdkRuleAdapters}, over fakes in tests). Clients behind it are built once per container.
 */
public interface RuleAdapters {
  /** The ports signed with the function's own credentials. */
  RuleAccess own();

  /** The ports signed as a session of {@code roleArn}, assumed with the function's credentials. */
  RuleAccess assumed(String roleArn);

  /** The partition of {@code region} ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...). */
  String partition(String region);

  /** The API calls made since the last {@link #resetCalls()}, by {@code service:Operation}. */
  Map<String, Long> calls();

  /** Starts a new count of API calls (one per invocation). */
  void resetCalls();
}
