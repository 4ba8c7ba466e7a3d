package dev.mrkpolicyguard.remediation;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.BaselineParser;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The baseline a realignment must stay within. Unlike the rule, which fails its invocation, a
 * remediation that cannot read its baseline is refused: nothing is written without it.
 */
public final class Baselines {
  private Baselines() {}

  /** A baseline, or why there is none. */
  public sealed interface Loaded {
    /** The baseline to use. */
    record Found(Baseline baseline) implements Loaded {}

    /** No usable baseline; the reason says what to fix. */
    record Problem(String reason) implements Loaded {}
  }

  /** The baseline in SSM parameter {@code name}, or the default one when {@code name} is null. */
  public static Loaded fromSsm(SsmClient ssm, String name) {
    if (name == null || name.isEmpty()) {
      return new Loaded.Found(Baseline.DEFAULT);
    }
    try {
      String text = ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
      return parse(text, "SSM parameter '" + name + "' (BASELINE_PARAMETER_NAME)");
    } catch (ParameterNotFoundException e) {
      return new Loaded.Problem(
          "the baseline SSM parameter '" + name + "' (BASELINE_PARAMETER_NAME) does not exist");
    } catch (AwsServiceException e) {
      return new Loaded.Problem(
          "cannot read the baseline SSM parameter '"
              + name
              + "' ("
              + (e.awsErrorDetails() == null ? e.statusCode() : e.awsErrorDetails().errorCode())
              + "); allow ssm:GetParameter on it to the remediation role");
    }
  }

  /** The baseline in {@code text}, read from {@code where}. */
  public static Loaded parse(String text, String where) {
    BaselineParser.Result result = new BaselineParser().parse(text);
    if (result instanceof BaselineParser.Result.Invalid invalid) {
      return new Loaded.Problem(
          "the baseline in " + where + " is invalid (docs/baseline.md): " + invalid.describe());
    }
    return new Loaded.Found(((BaselineParser.Result.Parsed) result).baseline());
  }
}
