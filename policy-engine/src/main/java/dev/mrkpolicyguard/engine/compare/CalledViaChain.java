package dev.mrkpolicyguard.engine.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chain of services that made a request on a caller's behalf: {@code aws:CalledViaFirst} is the
 * first service of {@code aws:CalledVia} and {@code aws:CalledViaLast} the last, and the three are
 * present together or not at all (IAM User Guide, AWS global condition context keys). The search
 * partitions the three keys apart, so a witness may pair values no real request carries; this class
 * makes such a witness real, or says it cannot.
 */
final class CalledViaChain {
  static final String CHAIN = "aws:calledvia";
  static final String FIRST = "aws:calledviafirst";
  static final String LAST = "aws:calledvialast";

  private CalledViaChain() {}

  /** Whether {@code key} (lower case) is one of the three keys. */
  static boolean isChainKey(String key) {
    return key.equals(CHAIN) || key.equals(FIRST) || key.equals(LAST);
  }

  /** Whether the context's chain keys are those of a real request. */
  static boolean consistent(Map<String, List<String>> context) {
    List<String> chain = get(context, CHAIN);
    List<String> first = get(context, FIRST);
    List<String> last = get(context, LAST);
    if (chain == null && first == null && last == null) {
      return true;
    }
    if (chain == null || chain.isEmpty()) {
      return false;
    }
    return (first == null || first.equals(List.of(chain.get(0))))
        && (last == null || last.equals(List.of(chain.get(chain.size() - 1))));
  }

  /**
   * The context with its chain keys made those of one real request: the chain starts with the first
   * service and ends with the last, and every service it lists stays in it; the first and last keys
   * are added where the chain has them. Null if no such request exists (a multi-valued first or
   * last service).
   */
  static Map<String, List<String>> realistic(Map<String, List<String>> context) {
    List<String> chain = get(context, CHAIN);
    List<String> first = get(context, FIRST);
    List<String> last = get(context, LAST);
    if ((first != null && first.size() != 1) || (last != null && last.size() != 1)) {
      return null;
    }
    List<String> middle = new ArrayList<>(chain == null ? List.of() : chain);
    String head = first != null ? first.get(0) : (middle.isEmpty() ? null : middle.get(0));
    String tail =
        last != null ? last.get(0) : (middle.isEmpty() ? null : middle.get(middle.size() - 1));
    if (head == null) {
      head = tail;
    }
    if (tail == null) {
      tail = head;
    }
    middle.remove(head);
    middle.remove(tail);
    List<String> real = new ArrayList<>();
    real.add(head);
    real.addAll(middle);
    if (!tail.equals(head) || !middle.isEmpty()) {
      real.add(tail);
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    context.forEach(
        (name, values) -> {
          if (!isChainKey(name.toLowerCase(Locale.ROOT))) {
            out.put(name, values);
          }
        });
    out.put(nameIn(context, CHAIN, "aws:CalledVia"), List.copyOf(real));
    out.put(nameIn(context, FIRST, "aws:CalledViaFirst"), List.of(head));
    out.put(nameIn(context, LAST, "aws:CalledViaLast"), List.of(tail));
    return out;
  }

  private static List<String> get(Map<String, List<String>> context, String key) {
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String nameIn(Map<String, List<String>> context, String key, String otherwise) {
    for (String name : context.keySet()) {
      if (name.toLowerCase(Locale.ROOT).equals(key)) {
        return name;
      }
    }
    return otherwise;
  }
}
