package dev.mrkpolicyguard.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches of one command. */
final class Arguments {
  private final Map<String, String> values;

  private Arguments(Map<String, String> values) {
    this.values = values;
  }

  static Arguments parse(String[] args) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      }
      if (values.containsKey(name)) {
        throw new UsageException("option --" + name + " given twice");
      }
      values.put(name, value == null ? "" : value);
    }
    return new Arguments(values);
  }

  /** Fails on any option not in {@code allowed}. */
  void allowOnly(Set<String> allowed) throws UsageException {
    for (String name : values.keySet()) {
      if (!allowed.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
    }
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  String require(String name) throws UsageException {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new UsageException("missing required option --" + name);
    }
    return value;
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  /** {@code --endpoint-url} as a URI, or {@code null} when absent (then AWS's own endpoints). */
  URI endpointUrl() throws UsageException {
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
      throw new UsageException("--endpoint-url '" + text + "' is not an http(s)://HOST[:PORT] URL");
    }
  }
}
