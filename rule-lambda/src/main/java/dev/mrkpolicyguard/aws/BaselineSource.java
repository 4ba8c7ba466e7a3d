package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.BaselineParser;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Reads the baseline from an SSM parameter (or a file's text) for the rule and the remediation;
 * each decides what a missing or invalid baseline means for it.
 */
public final class BaselineSource {
  private BaselineSource() {}

  /** What looking up a baseline gave: the baseline to use, or why there is none. */
  public sealed interface Lookup {
    /** The baseline to use. */
    record Found(Baseline baseline) implements Lookup {}

    /**
     * No usable baseline.
     *
     * @param reason what is wrong and how to fix it
     * @param cause the AWS error behind it, or {@code null}
     */
    record Problem(String reason, AwsServiceException cause) implements Lookup {}
  }

  /**
   * The baseline in SSM parameter {@code name}, or the default one when {@code name} is null or
   * empty. {@code setting} names where the parameter name came from and {@code role} whose
   * permissions to fix, for the messages.
   */
  public static Lookup fromSsm(SsmClient ssm, String name, String setting, String role) {
    if (name == null || name.isEmpty()) {
      return new Lookup.Found(Baseline.DEFAULT);
    }
    String text;
    try {
      text = ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
    } catch (ParameterNotFoundException e) {
      return new Lookup.Problem(
          "the baseline SSM parameter '"
              + name
              + "' ("
              + setting
              + ") does not exist; create it or correct "
              + setting,
          e);
    } catch (AwsServiceException e) {
      String code = AwsErrors.code(e);
      return new Lookup.Problem(
          "cannot read the baseline SSM parameter '"
              + name
              + "' ("
              + code
              + "); allow ssm:GetParameter on it to "
              + role,
          e);
    }
    return parse(text, "SSM parameter '" + name + "'");
  }

  /** The baseline in {@code text}, read from {@code where}. */
  public static Lookup parse(String text, String where) {
    BaselineParser.Result result = new BaselineParser().parse(text);
    if (result instanceof BaselineParser.Result.Invalid invalid) {
      return new Lookup.Problem(
          "the baseline in " + where + " is invalid (docs/baseline.md): " + invalid.describe(),
          null);
    }
    return new Lookup.Found(((BaselineParser.Result.Parsed) result).baseline());
  }
}
