package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.CompiledCondition;
import dev.mrkpolicyguard.engine.match.Glob;
import dev.mrkpolicyguard.engine.match.StringSpace;
import dev.mrkpolicyguard.engine.policy.ConditionOperator.SetQualifier;
import dev.mrkpolicyguard.engine.policy.ConditionValues;
import dev.mrkpolicyguard.engine.policy.OperatorKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The representative values of one condition key: one value from every class of values that the
 * conditions on the key cannot tell apart, plus "absent" where the key may be missing. Evaluating
 * the policies on these values alone decides every value of the key.
 */
final class KeyDomain {
  static final int MAX_SET_CELLS = 8;

  final String key;
  final String displayName;
  final List<List<String>> reps;
  final String undecided;

  private KeyDomain(String key, String displayName, List<List<String>> reps, String undecided) {
    this.key = key;
    this.displayName = displayName;
    this.reps = reps;
    this.undecided = undecided;
  }

  static KeyDomain build(
      String key,
      String displayName,
      List<CompiledCondition> conditions,
      KmsCatalog catalog,
      String region,
      int maxStates) {
    Set<OperatorKind.Family> families = EnumSet.noneOf(OperatorKind.Family.class);
    boolean qualified = false;
    boolean unqualified = false;
    for (CompiledCondition c : conditions) {
      OperatorKind kind = c.source().operator().kind();
      if (kind.family() != OperatorKind.Family.PRESENCE) {
        families.add(kind.family());
        if (c.source().operator().qualifier() == SetQualifier.NONE) {
          unqualified = true;
        } else {
          qualified = true;
          if (!c.variableValues().isEmpty()) {
            return undecided(
                key, displayName, "policy variables inside a set operator on " + displayName);
          }
        }
      }
    }
    if (families.size() > 1) {
      return undecided(
          key,
          displayName,
          "condition key "
              + displayName
              + " is compared with operators of different types "
              + families);
    }
    KmsCatalog.KeyInfo info = catalog.key(key).orElse(null);
    boolean multi = (info != null && info.multiValued()) || qualified;
    if (multi && unqualified) {
      return undecided(
          key,
          displayName,
          "multi-valued condition key "
              + displayName
              + " is used without ForAnyValue/ForAllValues");
    }
    OperatorKind.Family family =
        families.isEmpty() ? OperatorKind.Family.PRESENCE : families.iterator().next();
    List<String> values = new ArrayList<>();
    List<Glob> domain = null;
    if (key.equals("kms:viaservice")) {
      // A service calls KMS in its own Region (KMS Developer Guide, "kms:ViaService"), so requests
      // to this key carry only service endpoints of the key's Region.
      domain =
          List.of(
              Glob.shape("\\w\\p." + region + ".amazonaws.com"),
              Glob.shape("\\w\\p." + region + ".amazonaws.com.cn"));
    }
    String problem = values(family, conditions, domain, region, maxStates, values);
    if (problem != null) {
      return undecided(key, displayName, problem);
    }
    List<List<String>> reps = new ArrayList<>();
    if (info == null || !info.alwaysPresent()) {
      reps.add(null);
    }
    if (multi) {
      if (values.size() > MAX_SET_CELLS) {
        return undecided(
            key,
            displayName,
            "too many value classes (" + values.size() + ") for set key " + displayName);
      }
      for (int mask = 1; mask < (1 << values.size()); mask++) {
        List<String> set = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
          if ((mask & (1 << i)) != 0) {
            set.add(values.get(i));
          }
        }
        reps.add(List.copyOf(set));
      }
    } else {
      for (String value : values) {
        reps.add(List.of(value));
      }
    }
    return new KeyDomain(key, displayName, java.util.Collections.unmodifiableList(reps), null);
  }

  private static KeyDomain undecided(String key, String displayName, String reason) {
    return new KeyDomain(key, displayName, List.of(), reason);
  }

  private static String values(
      OperatorKind.Family family,
      List<CompiledCondition> conditions,
      List<Glob> domain,
      String region,
      int maxStates,
      List<String> out) {
    switch (family) {
      case STRING -> {
        List<List<Glob>> predicates = new ArrayList<>();
        for (CompiledCondition c : conditions) {
          if (!c.globs().isEmpty()) {
            predicates.add(c.globs());
          }
        }
        StringSpace.Partition partition = StringSpace.partition(predicates, domain, maxStates);
        if (!partition.complete()) {
          return "the string patterns on one condition key are too complex to partition exactly";
        }
        String pretty = domain == null ? null : "example." + region + ".amazonaws.com";
        for (StringSpace.Cell cell : partition.cells()) {
          if (pretty != null && StringSpace.sameCell(predicates, domain, cell.witness(), pretty)) {
            out.add(pretty);
            continue;
          }
          out.add(
              cell.witness().isEmpty() && cell.truths().isEmpty() && domain == null
                  ? prettyOther(predicates)
                  : cell.witness());
        }
      }
      case NUMERIC -> {
        TreeSet<BigDecimal> constants = new TreeSet<>();
        conditions.forEach(c -> constants.addAll(c.numbers()));
        for (BigDecimal point : points(new ArrayList<>(constants))) {
          out.add(point.toPlainString());
        }
      }
      case DATE -> {
        TreeSet<BigDecimal> constants = new TreeSet<>();
        for (CompiledCondition c : conditions) {
          for (Instant d : c.dates()) {
            constants.add(
                BigDecimal.valueOf(d.getEpochSecond()).add(BigDecimal.valueOf(d.getNano(), 9)));
          }
        }
        for (BigDecimal point : points(new ArrayList<>(constants))) {
          BigDecimal seconds = point.setScale(0, java.math.RoundingMode.FLOOR);
          Instant instant =
              Instant.ofEpochSecond(
                  seconds.longValue(), point.subtract(seconds).movePointRight(9).intValue());
          out.add(instant.toString());
        }
      }
      case IP -> {
        for (boolean v6 : new boolean[] {false, true}) {
          TreeSet<BigInteger> bounds = new TreeSet<>();
          for (CompiledCondition c : conditions) {
            for (ConditionValues.IpRange r : c.ranges()) {
              if (r.v6() == v6) {
                bounds.add(r.first());
                bounds.add(r.last().add(BigInteger.ONE));
              }
            }
          }
          if (bounds.isEmpty()) {
            continue;
          }
          bounds.add(BigInteger.ZERO);
          BigInteger limit = BigInteger.ONE.shiftLeft(v6 ? 128 : 32);
          for (BigInteger b : bounds) {
            if (b.compareTo(limit) < 0) {
              out.add(ConditionValues.format(v6, b));
            }
          }
        }
        if (out.isEmpty()) {
          out.add("192.0.2.1");
        }
      }
      case PRESENCE -> out.add(domain == null ? "example" : "example." + "service");
    }
    return null;
  }

  private static String prettyOther(List<List<Glob>> predicates) {
    for (String candidate : List.of("example", "example-value", "x")) {
      boolean none = true;
      for (List<Glob> predicate : predicates) {
        for (Glob glob : predicate) {
          none &= !glob.matches(candidate);
        }
      }
      if (none) {
        return candidate;
      }
    }
    return "";
  }

  /** Each constant, a point between neighbours, and one beyond each end. */
  private static List<BigDecimal> points(List<BigDecimal> constants) {
    List<BigDecimal> points = new ArrayList<>();
    if (constants.isEmpty()) {
      points.add(BigDecimal.ZERO);
      return points;
    }
    points.add(constants.get(0).subtract(BigDecimal.ONE));
    for (int i = 0; i < constants.size(); i++) {
      points.add(constants.get(i));
      if (i + 1 < constants.size()) {
        points.add(constants.get(i).add(constants.get(i + 1)).divide(BigDecimal.valueOf(2)));
      }
    }
    points.add(constants.get(constants.size() - 1).add(BigDecimal.ONE));
    return points;
  }
}
