package dev.mrkpolicyguard.cli.common;

import dev.mrkpolicyguard.core.Region;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The options of one command, parsed against what the command declares in its {@link Spec}: value
 * options ({@code --name value} or {@code --name=value}) and switches ({@code --name}, never with a
 * value), value options that may be given more than once ({@code --parameter K=V ...}), and, for a
 * command that declares them, operands (arguments that are not options, such as input files). The
 * one option parser of the command line; every command also takes {@code --help} and {@code -h}.
 */
public final class Arguments {
  /** Words that look like a value given to a switch, as in {@code --apply false}: refused. */
  private static final Set<String> SWITCH_WORDS =
      Set.of("true", "false", "yes", "no", "on", "off", "0", "1");

  private final Map<String, String> values;
  private final Map<String, List<String>> repeated;
  private final List<String> operands;
  private final boolean help;

  private Arguments(
      Map<String, String> values,
      Map<String, List<String>> repeated,
      List<String> operands,
      boolean help) {
    this.values = values;
    this.repeated = repeated;
    this.operands = operands;
    this.help = help;
  }

  /** The options a command takes: value options with what their value is, and switches. */
  public static final class Spec {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Boolean> names = new LinkedHashMap<>();
    private final Set<String> repeatable = new java.util.HashSet<>();
    private String operand;

    private Spec(String command) {
      this.command = Objects.requireNonNull(command, "command");
    }

    /** The options of {@code command} (its name, for messages); add them with the methods below. */
    public static Spec of(String command) {
      return new Spec(command);
    }

    /** A value option {@code --name VALUE}; {@code value} says what it is, e.g. {@code FILE}. */
    public Spec value(String name, String value) {
      values.put(name, Objects.requireNonNull(value, "value"));
      names.put(name, false);
      return this;
    }

    /** A value option {@code --name VALUE} that may be given more than once, in order. */
    public Spec repeatable(String name, String value) {
      repeatable.add(name);
      return value(name, value);
    }

    /**
     * Arguments that are not options, such as input files; {@code what} says what they are, e.g.
     * {@code FILE}. Without this, such an argument is refused.
     */
    public Spec operands(String what) {
      operand = Objects.requireNonNull(what, "what");
      return this;
    }

    /** A switch {@code --name}: present or not; a value given to it is refused. */
    public Spec flag(String name) {
      names.put(name, true);
      return this;
    }

    String command() {
      return command;
    }

    private String takes() {
      StringJoiner all = new StringJoiner(", ");
      if (operand != null) {
        all.add(operand + "...");
      }
      names.forEach(
          (name, isSwitch) -> all.add("--" + name + (isSwitch ? "" : " " + values.get(name))));
      return command + " takes " + all + " (see " + command + " --help)";
    }
  }

  /**
   * Parses {@code args} (the arguments after the command name). When {@code --help} or {@code -h}
   * is among them, nothing else is checked and {@link #help()} is true.
   */
  public static Arguments parse(String[] args, Spec spec) throws UsageException {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Arguments(Map.of(), Map.of(), List.of(), true);
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, List<String>> repeated = new LinkedHashMap<>();
    List<String> operands = new ArrayList<>();
    String previousSwitch = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.equals("--")) {
        if (previousSwitch != null
            && (spec.operand == null || SWITCH_WORDS.contains(arg.toLowerCase(Locale.ROOT)))) {
          throw switchWithValue(previousSwitch, arg);
        }
        if (spec.operand == null || arg.equals("--") || arg.isEmpty()) {
          throw new UsageException(
              "unexpected argument '" + TerminalText.escape(arg) + "'; " + spec.takes());
        }
        previousSwitch = null;
        operands.add(arg);
        continue;
      }
      previousSwitch = null;
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Boolean isSwitch = spec.names.get(name);
      if (isSwitch == null) {
        throw new UsageException("unknown option --" + name + "; " + spec.takes());
      }
      if (isSwitch) {
        if (value != null) {
          throw switchWithValue(name, value);
        }
        previousSwitch = name;
        value = "";
      } else {
        if (value == null && i + 1 < args.length && !args[i + 1].startsWith("--")) {
          value = args[++i];
        }
        if (value == null || value.isEmpty()) {
          throw new UsageException("--" + name + " needs a value: " + spec.values.get(name));
        }
      }
      if (spec.repeatable.contains(name)) {
        repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      } else if (values.put(name, value) != null) {
        throw new UsageException("option --" + name + " given twice");
      }
    }
    return new Arguments(values, repeated, List.copyOf(operands), false);
  }

  private static UsageException switchWithValue(String name, String value) {
    return new UsageException(
        "--"
            + name
            + " is a switch and takes no value, but was given '"
            + TerminalText.escape(value)
            + "'");
  }

  /** Whether {@code --help} or {@code -h} was given: print the command's usage and nothing else. */
  public boolean help() {
    return help;
  }

  /** The arguments that are not options, in order (empty unless the command takes them). */
  public List<String> operands() {
    return operands;
  }

  /** Every value of a repeatable option {@code name}, in order (empty when not given). */
  public List<String> all(String name) {
    return List.copyOf(repeated.getOrDefault(name, List.of()));
  }

  /** The value of option {@code name}, when given (never empty). */
  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** Whether option or switch {@code name} was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The value of option {@code name}; fails when it was not given. */
  public String require(String name) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      throw new UsageException("missing required option --" + name);
    }
    return value;
  }

  /** Whether switch {@code name} was given. */
  public boolean flag(String name) {
    return values.containsKey(name);
  }

  /**
   * The Region named by option {@code name}, or empty when it was not given; fails with one line
   * naming the option and the value when the value is not a Region name.
   */
  public Optional<Region> region(String name) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(
        Region.parse(value).orElseThrow(() -> new UsageException(Region.notARegion(name, value))));
  }

  /** {@code --endpoint-url} as a URI, or {@code null} when absent (then AWS's own endpoints). */
  public URI endpointUrl() throws UsageException {
    String text = get("endpoint-url").orElse(null);
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new URISyntaxException(text, "expected http(s)://HOST[:PORT]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException(
          "--endpoint-url '"
              + text
              + "' is not an http(s)://HOST[:PORT] URL (e.g. http://127.0.0.1:4566)");
    }
  }
}
