package dev.mrkpolicyguard.cli.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The options of one command, parsed against what the command declares in its {@link Spec}: value
 * options ({@code --name value} or {@code --name=value}) and switches ({@code --name}, never with a
 * value). The one option parser of the command line; every command also takes {@code --help} and
 * {@code -h}.
 */
public final class Arguments {
  private final Map<String, String> values;
  private final boolean help;

  private Arguments(Map<String, String> values, boolean help) {
    this.values = values;
    this.help = help;
  }

  /** The options a command takes: value options with what their value is, and switches. */
  public static final class Spec {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Boolean> names = new LinkedHashMap<>();

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
        return new Arguments(Map.of(), true);
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    String previousSwitch = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.equals("--")) {
        if (previousSwitch != null) {
          throw switchWithValue(previousSwitch, arg);
        }
        throw new UsageException("unexpected argument '" + arg + "'; " + spec.takes());
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
      if (values.put(name, value) != null) {
        throw new UsageException("option --" + name + " given twice");
      }
    }
    return new Arguments(values, false);
  }

  private static UsageException switchWithValue(String name, String value) {
    return new UsageException(
        "--" + name + " is a switch and takes no value, but was given '" + value + "'");
  }

  /** Whether {@code --help} or {@code -h} was given: print the command's usage and nothing else. */
  public boolean help() {
    return help;
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
