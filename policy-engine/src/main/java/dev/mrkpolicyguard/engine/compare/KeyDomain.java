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

  /**
   * Integer parameters and their ranges (KMS API Reference: ScheduleKeyDeletion {@code
   * PendingWindowInDays} 7-30; EnableKeyRotation {@code RotationPeriodInDays} 90-2560).
   */
  private static final java.util.Map<String, int[]> INTEGER_RANGES =
      java.util.Map.of(
          "kms:schedulekeydeletionpendingwindowindays", new int[] {7, 30},
          "kms:rotationperiodindays", new int[] {90, 2560});

  final String key;
  final String displayName;

  /** The representatives in placeholder form (see {@link Glob#SELF_REGION}); null is absent. */
  final List<List<String>> reps;

  /** The representatives as each side sees them: index 0 the primary key, 1 the replica key. */
  final List<List<List<String>>> sides;

  final String undecided;

  private KeyDomain(
      String key,
      String displayName,
      List<List<String>> reps,
      List<List<List<String>>> sides,
      String undecided) {
    this.key = key;
    this.displayName = displayName;
    this.reps = reps;
    this.sides = sides;
    this.undecided = undecided;
  }

  /**
   * The value classes of {@code key} for conditions of the primary's policy ({@code
   * conditions.get(0)}, evaluated on the primary key in {@code regions[0]}) and of the replica's
   * ({@code conditions.get(1)}, on the replica key in {@code regions[1]}). Where the Regions
   * differ, Region-bearing values (ARNs whose Region field names either key's Region, and {@code
   * kms:ViaService} endpoints) move with the request: they are explored with the placeholders of
   * {@link Glob#SELF_REGION}, spelled out per side.
   */
  static KeyDomain build(
      String key,
      String displayName,
      List<List<CompiledCondition>> bySide,
      KmsCatalog catalog,
      String[] regions,
      int maxStates) {
    List<CompiledCondition> conditions = new ArrayList<>(bySide.get(0));
    conditions.addAll(bySide.get(1));
    // Only ARNs move with a request (kms:ViaService endpoints aside), so a key none of whose
    // patterns can match an ARN decides a value and its moved form alike: no need to explore.
    boolean moving =
        !regions[0].equals(regions[1])
            && (key.equals("kms:viaservice") || conditions.stream().anyMatch(KeyDomain::readsArns));
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
    // A set operator on a single-valued key treats the value as a one-element set (IAM User
    // Guide, "Single-valued vs. multivalued context keys"): decidable with single values.
    boolean multi = info != null ? info.multiValued() : qualified;
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
    List<Glob> excluded = List.of();
    String self = moving ? "\\S" : regions[1];
    if (key.equals("kms:viaservice")) {
      // A service calls KMS in its own Region (KMS Developer Guide, "kms:ViaService"), so requests
      // to a key carry only service endpoints of that key's Region, and they move with the request.
      // Endpoint names are lower case (ec2.us-east-1.amazonaws.com).
      domain =
          List.of(
              Glob.shape("\\h\\H." + self + ".amazonaws.com"),
              Glob.shape("\\h\\H." + self + ".amazonaws.com.cn"));
    } else if (moving && family == OperatorKind.Family.STRING) {
      // An ARN naming either key's Region moves with the request; any other value stays.
      domain =
          List.of(
              Glob.shape("\\r"),
              Glob.shape("arn:\\s:\\s:\\S:\\r"),
              Glob.shape("arn:\\s:\\s:\\O:\\r"));
      excluded =
          List.of(
              Glob.shape("arn:\\s:\\s:" + regions[0] + ":\\a"),
              Glob.shape("arn:\\s:\\s:" + regions[1] + ":\\a"));
    }
    String problem =
        values(
            family,
            key,
            bySide,
            moving ? regions : null,
            moving ? String.valueOf(Glob.SELF_REGION) : regions[1],
            domain,
            excluded,
            maxStates,
            values);
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
    List<List<List<String>>> sides = new ArrayList<>();
    for (int side = 0; side < 2; side++) {
      List<List<String>> spelled = new ArrayList<>();
      for (List<String> rep : reps) {
        if (rep == null) {
          spelled.add(null);
          continue;
        }
        List<String> values1 = new ArrayList<>();
        for (String v : rep) {
          values1.add(Glob.spell(v, regions[side], regions[1 - side]));
        }
        spelled.add(List.copyOf(values1));
      }
      sides.add(java.util.Collections.unmodifiableList(spelled));
    }
    return new KeyDomain(
        key, displayName, java.util.Collections.unmodifiableList(reps), List.copyOf(sides), null);
  }

  /**
   * The aligned domains of {@code aws:CurrentTime} and {@code aws:EpochTime}, one instant in every
   * request: representative {@code i} of both is the same whole second. Whole seconds suffice: a
   * request's time has second precision, and the integers next to and at each constant meet every
   * class the constants tell apart.
   */
  static KeyDomain[] instant(
      List<List<CompiledCondition>> current,
      String currentName,
      List<List<CompiledCondition>> epoch,
      String epochName) {
    TreeSet<BigDecimal> constants = new TreeSet<>();
    for (List<List<CompiledCondition>> conditions : List.of(current, epoch)) {
      for (List<CompiledCondition> side : conditions) {
        for (CompiledCondition c : side) {
          OperatorKind.Family family = c.source().operator().kind().family();
          if (family != OperatorKind.Family.DATE
              && family != OperatorKind.Family.NUMERIC
              && family != OperatorKind.Family.PRESENCE) {
            String reason =
                "time keys compared with "
                    + c.source().operator().text()
                    + " cannot be partitioned";
            KeyDomain u = undecided("aws:currenttime", currentName, reason);
            return new KeyDomain[] {u, u};
          }
          for (Instant d : c.dates()) {
            constants.add(
                BigDecimal.valueOf(d.getEpochSecond()).add(BigDecimal.valueOf(d.getNano(), 9)));
          }
          constants.addAll(c.numbers());
        }
      }
    }
    TreeSet<BigDecimal> points = new TreeSet<>();
    if (constants.isEmpty()) {
      points.add(BigDecimal.valueOf(1_700_000_000L));
    }
    for (BigDecimal c : constants) {
      BigDecimal floor = c.setScale(0, java.math.RoundingMode.FLOOR);
      BigDecimal ceil = c.setScale(0, java.math.RoundingMode.CEILING);
      points.addAll(List.of(floor.subtract(BigDecimal.ONE), floor, ceil, ceil.add(BigDecimal.ONE)));
    }
    List<List<String>> currentReps = new ArrayList<>();
    List<List<String>> epochReps = new ArrayList<>();
    for (BigDecimal p : points) {
      currentReps.add(List.of(Instant.ofEpochSecond(p.longValueExact()).toString()));
      epochReps.add(List.of(p.toPlainString()));
    }
    return new KeyDomain[] {
      same("aws:currenttime", currentName, currentReps), same("aws:epochtime", epochName, epochReps)
    };
  }

  private static KeyDomain same(String key, String displayName, List<List<String>> reps) {
    List<List<String>> fixed = java.util.Collections.unmodifiableList(reps);
    return new KeyDomain(key, displayName, fixed, List.of(fixed, fixed), null);
  }

  private static boolean readsArns(CompiledCondition c) {
    for (Glob g : c.globs()) {
      if (g.canMatchSomeStringStartingWith("arn:")) {
        return true;
      }
    }
    return false;
  }

  private static KeyDomain undecided(String key, String displayName, String reason) {
    return new KeyDomain(key, displayName, List.of(), List.of(List.of(), List.of()), reason);
  }

  private static String values(
      OperatorKind.Family family,
      String key,
      List<List<CompiledCondition>> bySide,
      String[] movingRegions,
      String self,
      List<Glob> domain,
      List<Glob> excluded,
      int maxStates,
      List<String> out) {
    List<CompiledCondition> conditions = new ArrayList<>(bySide.get(0));
    conditions.addAll(bySide.get(1));
    switch (family) {
      case STRING -> {
        List<List<Glob>> predicates = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
          for (CompiledCondition c : bySide.get(side)) {
            if (c.globs().isEmpty()) {
              continue;
            }
            if (movingRegions == null) {
              predicates.add(c.globs());
              continue;
            }
            List<Glob> seen = new ArrayList<>();
            for (Glob g : c.globs()) {
              seen.add(g.seenFrom(movingRegions[side], movingRegions[1 - side]));
            }
            predicates.add(seen);
          }
        }
        String extra = movingRegions == null ? "" : "" + Glob.SELF_REGION + Glob.OTHER_REGION;
        StringSpace.Partition partition =
            StringSpace.partition(predicates, domain, excluded, extra, maxStates);
        if (!partition.complete()) {
          return "the string patterns on one condition key are too complex to partition exactly";
        }
        // A readable endpoint for each cell of kms:ViaService that has one, in both partitions'
        // spellings: the shortest string of a cell (e.g. "..us-east-1.amazonaws.com.cn") is no
        // service name.
        List<String> pretty =
            key.equals("kms:viaservice")
                ? List.of(
                    "example." + self + ".amazonaws.com", "example." + self + ".amazonaws.com.cn")
                : List.of();
        cells:
        for (StringSpace.Cell cell : partition.cells()) {
          for (String p : pretty) {
            if (StringSpace.sameCell(predicates, domain, cell.witness(), p)) {
              out.add(p);
              continue cells;
            }
          }
          out.add(
              cell.witness().isEmpty()
                      && cell.truths().isEmpty()
                      && (domain == null || !excluded.isEmpty())
                  ? prettyOther(predicates)
                  : cell.witness());
        }
      }
      case NUMERIC -> {
        TreeSet<BigDecimal> constants = new TreeSet<>();
        conditions.forEach(c -> constants.addAll(c.numbers()));
        int[] range = INTEGER_RANGES.get(key);
        List<BigDecimal> points =
            range == null
                ? points(new ArrayList<>(constants))
                : integerPoints(constants, range[0], range[1]);
        for (BigDecimal point : points) {
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

  /**
   * For an integer parameter in {@code [low, high]}: the integers next to and at each constant and
   * both ends, which meet every class of integers the constants tell apart.
   */
  private static List<BigDecimal> integerPoints(TreeSet<BigDecimal> constants, int low, int high) {
    TreeSet<BigDecimal> points = new TreeSet<>();
    points.add(BigDecimal.valueOf(low));
    points.add(BigDecimal.valueOf(high));
    for (BigDecimal c : constants) {
      BigDecimal floor = c.setScale(0, java.math.RoundingMode.FLOOR);
      BigDecimal ceil = c.setScale(0, java.math.RoundingMode.CEILING);
      for (BigDecimal p :
          List.of(floor.subtract(BigDecimal.ONE), floor, ceil, ceil.add(BigDecimal.ONE))) {
        if (p.compareTo(BigDecimal.valueOf(low)) >= 0
            && p.compareTo(BigDecimal.valueOf(high)) <= 0) {
          points.add(p);
        }
      }
    }
    return new ArrayList<>(points);
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
