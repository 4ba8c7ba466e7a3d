package dev.mrkpolicyguard.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * The explanations of one input, in its order.
 *
 * @param results one explanation per KMS record (and per malformed entry)
 * @param otherServices how many records of other services were passed over
 */
public record ExplainReport(List<Explanation> results, int otherServices) {
  /** Exit code when every record was explained. */
  public static final int EXPLAINED = 0;

  /** Exit code when some record could not be explained (they are listed). */
  public static final int PARTIAL = 4;

  public ExplainReport {
    results = List.copyOf(results);
  }

  /** The records that could not be explained. */
  public List<Explanation.Unexplained> unexplained() {
    return results.stream()
        .filter(Explanation.Unexplained.class::isInstance)
        .map(Explanation.Unexplained.class::cast)
        .toList();
  }

  /** 0 when every record was explained, 4 when some could not be. */
  public int exitCode() {
    return unexplained().isEmpty() ? EXPLAINED : PARTIAL;
  }

  /** This report with {@code extra} unexplained entries (e.g. a lookup that stopped) appended. */
  public ExplainReport with(List<Explanation.Unexplained> extra) {
    List<Explanation> all = new ArrayList<>(results);
    all.addAll(extra);
    return new ExplainReport(all, otherServices);
  }
}
