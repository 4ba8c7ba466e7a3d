package dev.mrkpolicyguard.core;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An AWS Region name such as {@code us-east-1} or {@code us-gov-west-1}: two or three lowercase
 * words and a number, joined by hyphens (AWS General Reference, Regions and endpoints). Its text is
 * {@link #toString()}.
 */
public record Region(String name) {
  private static final Pattern NAME = Pattern.compile("([a-z]+-){2,3}\\d+");

  public Region {
    Objects.requireNonNull(name, "name");
    if (!isName(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a Region name (e.g. us-east-1)");
    }
  }

  /** Whether {@code text} is a Region name. */
  public static boolean isName(String text) {
    return text != null && NAME.matcher(text).matches();
  }

  /** The Region named {@code text}, or empty when it is not a Region name. */
  public static Optional<Region> parse(String text) {
    return isName(text) ? Optional.of(new Region(text)) : Optional.empty();
  }

  /**
   * The one usage error for a bad Region option value: {@code --OPTION 'VALUE' is not a Region
   * name}.
   */
  public static String notARegion(String option, String value) {
    return "--" + option + " '" + value + "' is not a Region name";
  }

  @Override
  public String toString() {
    return name;
  }
}
