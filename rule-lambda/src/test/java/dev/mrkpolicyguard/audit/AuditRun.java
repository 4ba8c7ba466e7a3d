package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.cli.CommandRun;
import java.nio.file.Path;

/** One run of the audit command with its output captured, for tests. */
record AuditRun(int exit, String out, String err) {
  static final String FLEET = "../examples/fleet.json";
  static final String BASELINE = "../examples/baseline.json";

  static AuditRun of(String... args) {
    CommandRun run = CommandRun.of(new AuditCommand()::run, args);
    return new AuditRun(run.exit(), run.out(), run.err());
  }

  /** The example fleet against the example baseline, in {@code format}. */
  static AuditRun exampleFleet(String format) {
    return of("--snapshot", FLEET, "--baseline", BASELINE, "--format", format);
  }

  static String fixture(String name) {
    return Path.of("src/test/resources/snapshots", name).toString();
  }
}
