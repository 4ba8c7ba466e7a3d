package dev.mrkpolicyguard.engine.policy;

import java.util.List;
import java.util.Objects;

/**
 * One statement of a key policy.
 *
 * @param index zero-based position in the document
 * @param sid the {@code Sid}, or {@code null}
 * @param effect allow or deny
 * @param principal the {@code Principal} or {@code NotPrincipal} element
 * @param action the {@code Action} or {@code NotAction} element, or {@code null} when the statement
 *     has neither (KMS accepts such a statement; it never applies)
 * @param resource the {@code Resource} or {@code NotResource} element, or {@code null} when absent
 * @param conditions every operator/key pair of the {@code Condition} block
 */
public record Statement(
    int index,
    String sid,
    Effect effect,
    PrincipalSpec principal,
    PatternSpec action,
    PatternSpec resource,
    List<Condition> conditions) {
  public Statement {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(principal, "principal");
    conditions = List.copyOf(Objects.requireNonNull(conditions, "conditions"));
  }

  /** A short label for messages: the Sid when there is one, else the position. */
  public String label() {
    return sid != null && !sid.isEmpty() ? "'" + sid + "'" : "#" + (index + 1);
  }
}
