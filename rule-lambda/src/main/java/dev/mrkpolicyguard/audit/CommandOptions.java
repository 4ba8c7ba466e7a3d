package dev.mrkpolicyguard.audit;

import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} and {@code --name=value} options of {@code audit} and {@code export}.
 */
final class CommandOptions {
  private CommandOptions() {}

  /**
   * Reads {@code args} into {@code into}, accepting only {@code allowed} names; returns what is
   * wrong (naming the options the command takes, from {@code takes}), or {@code null}.
   */
  static String parse(String[] args, Set<String> allowed, String takes, Map<String, String> into) {
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        return "unexpected argument '" + args[i] + "'";
      }
      String name = args[i].substring(2);
      String value = "";
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      }
      if (!allowed.contains(name)) {
        return "unknown option --" + name + " (" + takes + ")";
      }
      if (into.put(name, value) != null) {
        return "option --" + name + " given twice";
      }
    }
    return null;
  }
}
