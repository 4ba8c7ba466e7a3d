package dev.mrkpolicyguard.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.compare.Difference;
import java.util.List;
import java.util.Locale;

/**
 * Writes a difference with its witness request as JSON, in the one shape that `compare`, the audit
 * report and the rule's log lines share: {@code direction}, optional {@code kind}, {@code witness}
 * ({@code principal}, {@code identityPolicyAllows}, {@code action}, {@code context}: the request to
 * the replica key; and {@code primaryRequest} ({@code principal}, {@code context}): the
 * corresponding request to the primary key) and {@code explanation}.
 */
public final class DifferenceJson {
  private DifferenceJson() {}

  /** How context values are written. */
  public enum Values {
    /** A single value as a string, multi-valued keys as arrays (the `compare` contract). */
    SCALAR_WHEN_SINGLE,
    /** Always an array, so log queries see one type per field. */
    ALWAYS_ARRAYS
  }

  /** Writes {@code d} into {@code node}; {@code withKind} adds the difference kind. */
  public static void write(ObjectNode node, Difference d, boolean withKind, Values values) {
    node.put("direction", d.direction().name());
    if (withKind) {
      node.put("kind", d.kind().name());
    }
    ObjectNode witness = node.putObject("witness");
    witness.put("principal", d.witness().caller().text());
    witness.put("identityPolicyAllows", d.witness().identityPolicyAllows());
    witness.put("action", d.witness().action());
    ObjectNode context = witness.putObject("context");
    d.witness().context().forEach((key, list) -> context(context, key, list, values));
    ObjectNode primary = witness.putObject("primaryRequest");
    primary.put("principal", d.witness().primaryCaller().text());
    ObjectNode primaryContext = primary.putObject("context");
    d.witness().primaryContext().forEach((key, list) -> context(primaryContext, key, list, values));
    node.put("explanation", d.explanation());
  }

  private static void context(ObjectNode context, String key, List<String> list, Values values) {
    boolean multiValued =
        KmsCatalog.standard()
            .key(key.toLowerCase(Locale.ROOT))
            .map(KmsCatalog.KeyInfo::multiValued)
            .orElse(false);
    if (values == Values.SCALAR_WHEN_SINGLE && list.size() == 1 && !multiValued) {
      context.put(key, list.get(0));
    } else {
      ArrayNode array = context.putArray(key);
      list.forEach(array::add);
    }
  }
}
