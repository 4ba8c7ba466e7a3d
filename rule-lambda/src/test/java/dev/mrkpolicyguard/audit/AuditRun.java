package dev.mrkpolicyguard.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One run of the audit command with its output captured, for tests. */
record AuditRun(int exit, String out, String err) {
  static final String FLEET = "../examples/fleet.json";
  static final String BASELINE = "../examples/baseline.json";

  static AuditRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        new AuditCommand()
            .run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new AuditRun(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The example fleet against the example baseline, in {@code format}. */
  static AuditRun exampleFleet(String format) {
    return of("--snapshot", FLEET, "--baseline", BASELINE, "--format", format);
  }

  static String fixture(String name) {
    return Path.of("src/test/resources/snapshots", name).toString();
  }
}
