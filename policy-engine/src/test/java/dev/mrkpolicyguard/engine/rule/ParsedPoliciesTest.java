package dev.mrkpolicyguard.engine.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import org.junit.jupiter.api.Test;

class ParsedPoliciesTest {
  private static final String POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "kms:*", "Resource": "*"}]}
      """;

  @Test
  void parse_sameTextTwice_parsesOnceAndGivesWhatTheParserGives() {
    ParsedPolicies parsed = new ParsedPolicies();

    ParseResult first = parsed.parse(POLICY);
    ParseResult second = parsed.parse(new String(POLICY.toCharArray()));

    assertSame(first, second);
    assertEquals(new PolicyParser().parse(POLICY), first);
    assertEquals(1, parsed.size());
  }

  @Test
  void parse_invalidText_heldWithItsProblems() {
    ParsedPolicies parsed = new ParsedPolicies();

    ParseResult result = parsed.parse("{\"Statement\": 7}");

    assertInstanceOf(ParseResult.Invalid.class, result);
    assertSame(result, parsed.parse("{\"Statement\": 7}"));
  }

  @Test
  void parse_pastTheBound_evictsTheLeastRecentlyUsedAndStaysWithinIt() {
    String a = POLICY;
    String b = POLICY.replace("kms:*", "kms:Decrypt");
    String c = POLICY.replace("kms:*", "kms:Encrypt");
    ParsedPolicies parsed = new ParsedPolicies(a.length() + b.length() + 1);
    ParseResult heldA = parsed.parse(a);
    parsed.parse(b);
    parsed.parse(a);

    parsed.parse(c);

    assertSame(heldA, parsed.parse(a), "a was used last, so b went first");
    assertTrue(parsed.chars() <= a.length() + b.length() + 1, "held " + parsed.chars());
    assertEquals(2, parsed.size());
  }

  @Test
  void parse_textLongerThanTheBound_parsedButNotHeld() {
    ParsedPolicies parsed = new ParsedPolicies(10);

    ParseResult first = parsed.parse(POLICY);

    assertNotSame(first, parsed.parse(POLICY));
    assertEquals(0, parsed.size());
  }

  @Test
  void new_nonPositiveBound_refused() {
    assertThrows(IllegalArgumentException.class, () -> new ParsedPolicies(0));
  }
}
