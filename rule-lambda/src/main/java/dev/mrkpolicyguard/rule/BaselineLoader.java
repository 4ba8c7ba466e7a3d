package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.BaselineParser;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** Reads the baseline named by the rule parameter BaselineParameterName from SSM. */
final class BaselineLoader {
  private BaselineLoader() {}

  /** The baseline in SSM parameter {@code name}, or the default one when {@code name} is null. */
  static Baseline load(SsmClient ssm, String name, String where) {
    if (name == null) {
      return Baseline.DEFAULT;
    }
    String text;
    try {
      text = ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
    } catch (ParameterNotFoundException e) {
      throw new RuleConfigurationException(
          "baseline SSM parameter '"
              + name
              + "' (rule parameter BaselineParameterName) does not exist in "
              + where
              + "; create it or correct the rule parameter");
    } catch (AwsServiceException e) {
      if (e.statusCode() == 400 && e.awsErrorDetails() != null) {
        String code = e.awsErrorDetails().errorCode();
        if ("AccessDeniedException".equals(code) || "ValidationException".equals(code)) {
          throw new RuleConfigurationException(
              "cannot read baseline SSM parameter '"
                  + name
                  + "' in "
                  + where
                  + " ("
                  + code
                  + "): "
                  + e.awsErrorDetails().errorMessage()
                  + "; allow ssm:GetParameter on it to the rule's role",
              e);
        }
      }
      throw e;
    }
    BaselineParser.Result result = new BaselineParser().parse(text);
    if (result instanceof BaselineParser.Result.Invalid invalid) {
      throw new RuleConfigurationException(
          "baseline in SSM parameter '"
              + name
              + "' is invalid (see docs/baseline.md): "
              + invalid.describe());
    }
    return ((BaselineParser.Result.Parsed) result).baseline();
  }
}
