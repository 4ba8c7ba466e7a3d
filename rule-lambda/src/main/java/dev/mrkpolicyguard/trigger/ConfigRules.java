package dev.mrkpolicyguard.trigger;

import java.util.List;

/** Port: the Config rules of a Region and the on-demand start of one of them. */
public interface ConfigRules {
  /** The names of every Config rule in {@code region} (DescribeConfigRules, all pages). */
  Names names(String region);

  /** Starts an evaluation of {@code ruleName} in {@code region} (StartConfigRulesEvaluation). */
  Start start(String region, String ruleName);

  /** The rule names of a Region, or why they could not be listed. */
  sealed interface Names {
    record Found(List<String> names) implements Names {
      public Found {
        names = List.copyOf(names);
      }
    }

    record Failed(String code, String message) implements Names {}
  }

  /** How Config answered a start. */
  sealed interface Start {
    /** Accepted: Config will run the rule over every resource in scope. */
    record Started() implements Start {}

    /**
     * Refused for now: {@code LimitExceededException} (started less than a minute ago, or an
     * evaluation is in progress) or {@code ResourceInUseException}; to try again later.
     */
    record Refused(String code, String message) implements Start {}

    /** Refused for good: the rule does not exist, or the call is not allowed. */
    record Rejected(String code, String message) implements Start {}

    /** Failed for another reason (throttling or 5xx after retries, network): to try again. */
    record Failed(String code, String message) implements Start {}
  }
}
