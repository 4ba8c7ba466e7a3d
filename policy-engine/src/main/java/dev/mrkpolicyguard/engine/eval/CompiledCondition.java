package dev.mrkpolicyguard.engine.eval;

import dev.mrkpolicyguard.engine.match.Glob;
import dev.mrkpolicyguard.engine.policy.Condition;
import dev.mrkpolicyguard.engine.policy.ConditionOperator.SetQualifier;
import dev.mrkpolicyguard.engine.policy.ConditionValues;
import dev.mrkpolicyguard.engine.policy.OperatorKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition ready to evaluate: values pre-parsed for the operator's family, policy variables
 * recognised (IAM User Guide, "IAM policy elements: Variables and tags").
 */
public final class CompiledCondition {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([^}',]+)(?:\\s*,\\s*'([^']*)')?\\s*}");

  private final Condition source;
  private final String key;
  private final List<String> concrete = new ArrayList<>();
  private final List<Glob> globs = new ArrayList<>();
  private final List<BigDecimal> numbers = new ArrayList<>();
  private final List<Instant> dates = new ArrayList<>();
  private final List<ConditionValues.IpRange> ranges = new ArrayList<>();
  private final List<String> variableValues = new ArrayList<>();

  CompiledCondition(Condition source, boolean interpretsVariables) {
    this.source = source;
    this.key = source.normalizedKey();
    for (String raw : source.values()) {
      String value = interpretsVariables ? unescape(raw) : raw;
      if (interpretsVariables && hasVariable(value)) {
        variableValues.add(raw);
      } else {
        addConcrete(value);
      }
    }
  }

  private static boolean hasVariable(String value) {
    return VARIABLE.matcher(value).find();
  }

  private static String unescape(String value) {
    return value.replace("${*}", "\u0001").replace("${?}", "\u0002").replace("${$}", "$");
  }

  private void addConcrete(String value) {
    OperatorKind kind = source.operator().kind();
    switch (kind.family()) {
      case NUMERIC -> ConditionValues.parseNumber(value).ifPresent(numbers::add);
      case DATE -> ConditionValues.parseDate(value).ifPresent(dates::add);
      case IP -> ConditionValues.parseCidr(value).ifPresent(ranges::add);
      case STRING -> {
        concrete.add(value);
        globs.add(glob(kind, value));
      }
      case PRESENCE -> concrete.add(value);
    }
  }

  private static Glob glob(OperatorKind kind, String value) {
    Glob glob =
        switch (kind) {
          case STRING_LIKE, STRING_NOT_LIKE -> Glob.like(literalWildcards(value), false);
          case ARN_LIKE, ARN_NOT_LIKE, ARN_EQUALS, ARN_NOT_EQUALS ->
              Glob.arnLike(literalWildcards(value));
          case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE, BOOL ->
              Glob.literal(restore(value), true);
          default -> Glob.literal(restore(value), false);
        };
    return glob;
  }

  private static String literalWildcards(String value) {
    // Escaped ${*} and ${?} stand for literal characters; the matcher has no escape syntax, so
    // they stay as control characters that no request value contains (documented limitation).
    return value;
  }

  private static String restore(String value) {
    return value.replace('\u0001', '*').replace('\u0002', '?');
  }

  /** The source condition. */
  public Condition source() {
    return source;
  }

  /** The condition key, lower case. */
  public String key() {
    return key;
  }

  /** The glob of each concrete value, for string-family operators. */
  public List<Glob> globs() {
    return List.copyOf(globs);
  }

  /** The concrete numeric constants. */
  public List<BigDecimal> numbers() {
    return List.copyOf(numbers);
  }

  /** The concrete date constants. */
  public List<Instant> dates() {
    return List.copyOf(dates);
  }

  /** The concrete address ranges. */
  public List<ConditionValues.IpRange> ranges() {
    return List.copyOf(ranges);
  }

  /** Values that contain policy variables, whose meaning depends on the request. */
  public List<String> variableValues() {
    return List.copyOf(variableValues);
  }

  /**
   * Whether the condition holds for a request in which the key has {@code values} ({@code null}
   * when absent), resolving policy variables through {@code resolver}.
   */
  public boolean holds(List<String> values, Function<String, List<String>> resolver) {
    return holdsAssuming(values, v -> variableMatch(v, resolver));
  }

  /**
   * Whether the condition holds when each policy-variable value is taken to match a present value
   * exactly when {@code variableMatch} says so.
   */
  public boolean holdsAssuming(List<String> values, Predicate<String> variableMatch) {
    OperatorKind kind = source.operator().kind();
    boolean present = values != null && !values.isEmpty();
    if (kind == OperatorKind.NULL) {
      for (String expected : concrete) {
        if (expected.equalsIgnoreCase("true") != present) {
          return true;
        }
      }
      return false;
    }
    SetQualifier qualifier = source.operator().qualifier();
    if (!present) {
      if (qualifier == SetQualifier.FOR_ALL_VALUES || source.operator().ifExists()) {
        return true;
      }
      return qualifier == SetQualifier.NONE && kind.negated();
    }
    boolean all = true;
    boolean any = false;
    for (String value : values) {
      boolean match = positiveMatch(value) || variableMatch.test(value);
      boolean result = kind.negated() != match;
      all &= result;
      any |= result;
    }
    return qualifier == SetQualifier.FOR_ALL_VALUES ? all : any;
  }

  /**
   * The values with policy variables, each with its variables replaced through {@code resolver} (or
   * by its default value); values whose variables have no value are left out.
   */
  public List<String> resolvedVariableValues(Function<String, List<String>> resolver) {
    List<String> out = new ArrayList<>();
    for (String raw : variableValues) {
      substitute(raw, resolver).ifPresent(out::add);
    }
    return out;
  }

  private boolean variableMatch(String value, Function<String, List<String>> resolver) {
    for (String raw : variableValues) {
      Optional<String> resolved = substitute(raw, resolver);
      if (resolved.isEmpty()) {
        continue;
      }
      CompiledCondition concreteForm =
          new CompiledCondition(
              new Condition(source.operator(), source.key(), List.of(resolved.get())), false);
      if (concreteForm.positiveMatch(value)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> substitute(String raw, Function<String, List<String>> resolver) {
    Matcher m = VARIABLE.matcher(unescape(raw));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).trim();
      List<String> value = resolver.apply(name.toLowerCase(java.util.Locale.ROOT));
      String replacement;
      if (value != null && value.size() == 1) {
        replacement = value.get(0);
      } else if (m.group(2) != null) {
        replacement = m.group(2);
      } else {
        return Optional.empty();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return Optional.of(restore(out.toString()));
  }

  /** Whether {@code value} matches at least one concrete value under the positive operator. */
  public boolean positiveMatch(String value) {
    OperatorKind kind = source.operator().kind();
    switch (kind.family()) {
      case STRING:
        for (Glob glob : globs) {
          if (glob.matches(value)) {
            return true;
          }
        }
        return false;
      case NUMERIC:
        {
          Optional<BigDecimal> n = ConditionValues.parseNumber(value);
          return n.isPresent()
              && numbers.stream().anyMatch(c -> compare(kind, n.get().compareTo(c)));
        }
      case DATE:
        {
          Optional<Instant> d = ConditionValues.parseDate(value);
          return d.isPresent() && dates.stream().anyMatch(c -> compare(kind, d.get().compareTo(c)));
        }
      case IP:
        {
          Optional<ConditionValues.IpRange> a = ConditionValues.parseCidr(value);
          return a.isPresent() && ranges.stream().anyMatch(r -> r.contains(a.get()));
        }
      default:
        return false;
    }
  }

  private static boolean compare(OperatorKind kind, int cmp) {
    return switch (kind) {
      case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, DATE_EQUALS, DATE_NOT_EQUALS -> cmp == 0;
      case NUMERIC_LESS_THAN, DATE_LESS_THAN -> cmp < 0;
      case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> cmp <= 0;
      case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> cmp > 0;
      case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> cmp >= 0;
      default -> false;
    };
  }
}
