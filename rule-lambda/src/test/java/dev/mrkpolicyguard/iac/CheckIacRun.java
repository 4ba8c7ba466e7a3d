package dev.mrkpolicyguard.iac;

import dev.mrkpolicyguard.cli.CommandRun;

/** Runs {@code check-iac} over the examples, for tests. */
final class CheckIacRun {
  static final String CFN = "../examples/iac/cloudformation/";
  static final String TF = "../examples/iac/terraform/";
  static final String EXISTING_PRIMARY_POLICY = "../examples/iac/existing-primary-policy.json";

  private CheckIacRun() {}

  /** {@code check-iac ARGS} with no live source. */
  static CommandRun run(String... args) {
    return CommandRun.of(new CheckIacCommand((profile, endpoint) -> PrimarySource.NONE)::run, args);
  }
}
