package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.Request;
import java.util.List;
import java.util.Objects;

/** What {@code explain} found for one CloudTrail record. */
public sealed interface Explanation {
  /** The record explained. */
  Subject record();

  /**
   * A record as an explanation names it.
   *
   * @param where its place in the input, e.g. {@code line 3}
   * @param eventId its {@code eventID}, or {@code null}
   * @param eventTime its {@code eventTime}, or {@code null}
   * @param eventName its {@code eventName}, or {@code null}
   * @param errorCode its {@code errorCode}, or {@code null} for a call that succeeded
   * @param errorMessage its {@code errorMessage}, or {@code null}
   */
  record Subject(
      String where,
      String eventId,
      String eventTime,
      String eventName,
      String errorCode,
      String errorMessage) {
    public Subject {
      Objects.requireNonNull(where, "where");
    }

    /** Whether the call succeeded (the record has no error). */
    public boolean succeeded() {
      return errorCode == null;
    }
  }

  /**
   * A request to a replica judged by the replica's policy and, moved to the primary, by the
   * primary's.
   *
   * @param record the record
   * @param replicaArn the replica called
   * @param primaryArn its primary
   * @param request the request as rebuilt from the record
   * @param unknowns the facts the record does not hold that change the answer, as named in {@link
   *     Assumption#fact()}
   * @param branches each verdict reached and when, the headline verdict first
   * @param message what the record's errorMessage says, or {@code null}
   * @param pointsAt the kinds of policy to look at, as far as the record points at them
   */
  record Judged(
      Subject record,
      String replicaArn,
      String primaryArn,
      RebuiltRequest request,
      List<String> unknowns,
      List<Branch> branches,
      DenialMessage message,
      List<PolicyKind> pointsAt)
      implements Explanation {
    public Judged {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(replicaArn, "replicaArn");
      Objects.requireNonNull(primaryArn, "primaryArn");
      Objects.requireNonNull(request, "request");
      unknowns = List.copyOf(unknowns);
      branches = List.copyOf(branches);
      pointsAt = List.copyOf(pointsAt);
      if (branches.isEmpty()) {
        throw new IllegalArgumentException("a judged record reaches at least one verdict");
      }
    }

    /** The headline verdict. */
    public Verdict verdict() {
      return branches.get(0).verdict();
    }

    /** Whether the verdict depends on facts the record does not hold. */
    public boolean conditional() {
      return branches.size() > 1;
    }
  }

  /** A record for which replica drift cannot be the reason ({@code NOT_A_REPLICA}, ...). */
  record NotApplicable(Subject record, Verdict verdict, String keyArn, String reason)
      implements Explanation {
    public NotApplicable {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(reason, "reason");
      if (verdict != Verdict.NOT_A_REPLICA && verdict != Verdict.NOT_KEY_POLICY_ACTION) {
        throw new IllegalArgumentException("not a verdict without evaluation: " + verdict);
      }
    }
  }

  /** A record that could not be explained, and why. */
  record Unexplained(Subject record, String problem) implements Explanation {
    public Unexplained {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(problem, "problem");
    }
  }

  /**
   * One verdict, the cases that reach it, and the statements behind it in one of them.
   *
   * @param verdict the verdict
   * @param when the cases, each a conjunction of assumptions (one empty conjunction: always)
   * @param example one case that reaches it
   * @param replica what the replica's statements do with the example's request
   * @param primary what the primary's statements do with the corresponding request
   */
  record Branch(
      Verdict verdict,
      List<List<Assumption>> when,
      Case example,
      List<StatementNote> replica,
      List<StatementNote> primary) {
    public Branch {
      Objects.requireNonNull(verdict, "verdict");
      when = when.stream().map(List::copyOf).toList();
      Objects.requireNonNull(example, "example");
      replica = List.copyOf(replica);
      primary = List.copyOf(primary);
    }

    /** Whether the verdict holds whatever the unknowns are. */
    public boolean always() {
      return when.size() == 1 && when.get(0).isEmpty();
    }
  }

  /**
   * One combination of assumptions, evaluated.
   *
   * @param assumptions a value for each unknown fact
   * @param replicaRequest the request to the replica
   * @param primaryRequest the corresponding request to the primary
   * @param replica the replica's policy's decision
   * @param primary the primary's policy's decision
   */
  record Case(
      List<Assumption> assumptions,
      Request replicaRequest,
      Request primaryRequest,
      Decision replica,
      Decision primary) {
    public Case {
      assumptions = List.copyOf(assumptions);
      Objects.requireNonNull(replicaRequest, "replicaRequest");
      Objects.requireNonNull(primaryRequest, "primaryRequest");
      Objects.requireNonNull(replica, "replica");
      Objects.requireNonNull(primary, "primary");
    }
  }

  /**
   * What one statement does with a request.
   *
   * @param statement its label ({@code 'Sid'} or {@code #N}), or {@code null} for a note about the
   *     whole policy
   * @param role whether it allows, denies, or misses the request
   * @param detail for a miss, what it lacks, in words
   */
  record StatementNote(String statement, Role role, String detail) {
    public StatementNote {
      Objects.requireNonNull(role, "role");
    }

    /** How a statement bears on a request. */
    public enum Role {
      ALLOWS,
      DENIES,
      MISSES
    }
  }
}
