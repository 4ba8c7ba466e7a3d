package dev.mrkpolicyguard.engine;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;

/** Test helpers for writing policies compactly. */
public final class Policies {
  public static final KeyContext PRIMARY_KEY =
      new KeyContext("arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");
  public static final KeyContext REPLICA_KEY = PRIMARY_KEY.inRegion("eu-west-1");

  private Policies() {}

  /** Parses a policy, failing the test with the problems when it is invalid. */
  public static KeyPolicy parse(String json) {
    ParseResult result = new PolicyParser().parse(json);
    if (result instanceof ParseResult.Invalid invalid) {
      throw new AssertionError(invalid.describe());
    }
    return ((ParseResult.Parsed) result).policy();
  }

  /** A policy of the given statements (each a JSON object), version 2012-10-17. */
  public static KeyPolicy of(String... statements) {
    return parse(
        "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}");
  }

  /** An allow statement. */
  public static String allow(String principal, String actions) {
    return "{\"Effect\":\"Allow\",\"Principal\":"
        + principal
        + ",\"Action\":"
        + actions
        + ",\"Resource\":\"*\"}";
  }

  /** An allow statement with a condition block. */
  public static String allowIf(String principal, String actions, String condition) {
    return "{\"Effect\":\"Allow\",\"Principal\":"
        + principal
        + ",\"Action\":"
        + actions
        + ",\"Resource\":\"*\",\"Condition\":"
        + condition
        + "}";
  }

  /** A deny statement with a condition block. */
  public static String denyIf(String principal, String actions, String condition) {
    return "{\"Effect\":\"Deny\",\"Principal\":"
        + principal
        + ",\"Action\":"
        + actions
        + ",\"Resource\":\"*\",\"Condition\":"
        + condition
        + "}";
  }

  /** The principal element naming the key account's root. */
  public static final String ROOT = "{\"AWS\":\"arn:aws:iam::111122223333:root\"}";

  /** The principal element naming an application role of the key's account. */
  public static final String APP_ROLE = "{\"AWS\":\"arn:aws:iam::111122223333:role/AppRole\"}";
}
