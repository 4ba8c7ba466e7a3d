package dev.mrkpolicyguard.engine.rule;

import java.util.List;
import java.util.Objects;

/**
 * The rule's decision for one key.
 *
 * @param keyArn the key
 * @param compliance the answer
 * @param findings why it is non-compliant, most important first (empty otherwise)
 * @param annotation at most 256 characters for AWS Config; says what drifted, or why the key is not
 *     applicable or deferred
 */
public record KeyEvaluation(
    String keyArn, Compliance compliance, List<Finding> findings, String annotation) {
  /** AWS Config's limit on an evaluation's annotation. */
  public static final int MAX_ANNOTATION = 256;

  public KeyEvaluation {
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(compliance, "compliance");
    findings = List.copyOf(findings);
    Objects.requireNonNull(annotation, "annotation");
    if (annotation.length() > MAX_ANNOTATION) {
      throw new IllegalArgumentException("annotation over 256 characters: " + annotation);
    }
  }

  /** The key id: the last part of the ARN. */
  public String keyId() {
    return keyArn.substring(keyArn.indexOf(":key/") + ":key/".length());
  }
}
