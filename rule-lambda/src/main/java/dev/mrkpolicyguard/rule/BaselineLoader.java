package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.aws.BaselineSource;
import dev.mrkpolicyguard.engine.rule.Baseline;
import java.util.Set;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Reads the baseline named by the rule parameter BaselineParameterName. A baseline that is missing,
 * unreadable for lack of permission, or invalid fails the invocation with the reason (it must not
 * turn every key NON_COMPLIANT); other AWS errors are left to Lambda's retries.
 */
final class BaselineLoader {
  private static final Set<String> CONFIGURATION_ERRORS =
      Set.of("AccessDeniedException", "ValidationException");

  private BaselineLoader() {}

  /** The baseline in SSM parameter {@code name}, or the default one when {@code name} is null. */
  static Baseline load(SsmClient ssm, String name, String where) {
    BaselineSource.Loaded loaded =
        BaselineSource.fromSsm(
            ssm, name, "rule parameter BaselineParameterName", "the rule's role");
    if (loaded instanceof BaselineSource.Loaded.Found found) {
      return found.baseline();
    }
    BaselineSource.Loaded.Problem problem = (BaselineSource.Loaded.Problem) loaded;
    if (problem.cause() != null
        && !(problem.cause() instanceof ParameterNotFoundException)
        && !isConfigurationError(problem)) {
      throw problem.cause();
    }
    throw new RuleConfigurationException(problem.reason() + " (" + where + ")", problem.cause());
  }

  private static boolean isConfigurationError(BaselineSource.Loaded.Problem problem) {
    var details = problem.cause().awsErrorDetails();
    return problem.cause().statusCode() == 400
        && details != null
        && CONFIGURATION_ERRORS.contains(details.errorCode());
  }
}
