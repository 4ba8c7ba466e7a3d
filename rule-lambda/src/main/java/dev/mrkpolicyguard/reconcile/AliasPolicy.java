package dev.mrkpolicyguard.reconcile;

import java.util.Optional;

/**
 * The resource-based policy of the rule function's alias (Lambda GetPolicy, AddPermission and
 * RemovePermission, each with the alias as qualifier). Failures other than the answers below are
 * thrown as {@link dev.mrkpolicyguard.core.AwsCallFailed}.
 */
public interface AliasPolicy {
  /** The policy's JSON text, or empty when the alias has none (ResourceNotFoundException). */
  Optional<String> read();

  /**
   * Lets {@code config.amazonaws.com} invoke the alias for Config rules of {@code account} only
   * ({@code SourceAccount}), under {@code statementId}.
   */
  Added add(String statementId, String account);

  /** Removes the statement {@code statementId}. */
  Removed remove(String statementId);

  /** What AddPermission answered. */
  sealed interface Added {
    /** The statement is in the policy now. */
    record Done() implements Added {}

    /** The statement id was already there (ResourceConflictException): another run added it. */
    record AlreadyThere() implements Added {}

    /** The policy would pass Lambda's size limit (PolicyLengthExceededException). */
    record TooLarge(String message) implements Added {}

    /** Any other refusal: its code and message. */
    record Failed(String code, String message) implements Added {}
  }

  /** What RemovePermission answered. */
  sealed interface Removed {
    record Done() implements Removed {}

    /** No such statement (ResourceNotFoundException): already gone. */
    record AlreadyGone() implements Removed {}

    record Failed(String code, String message) implements Removed {}
  }
}
