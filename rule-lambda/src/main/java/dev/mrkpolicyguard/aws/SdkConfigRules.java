package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.trigger.ConfigRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.ConfigRule;
import software.amazon.awssdk.services.config.model.LimitExceededException;
import software.amazon.awssdk.services.config.model.NoSuchConfigRuleException;
import software.amazon.awssdk.services.config.model.ResourceInUseException;

/**
 * The trigger's Config port: DescribeConfigRules (every page) and StartConfigRulesEvaluation of one
 * rule, in the Region given. LimitExceeded and ResourceInUse are refusals for now (the SDK does not
 * retry them); NoSuchConfigRule and AccessDenied are refusals for good.
 */
public final class SdkConfigRules implements ConfigRules {
  private final Function<String, ConfigClient> configForRegion;

  public SdkConfigRules(Function<String, ConfigClient> configForRegion) {
    this.configForRegion = Objects.requireNonNull(configForRegion, "configForRegion");
  }

  @Override
  public Names names(String region) {
    List<String> names = new ArrayList<>();
    try {
      for (ConfigRule rule :
          configForRegion.apply(region).describeConfigRulesPaginator(r -> {}).configRules()) {
        names.add(rule.configRuleName());
      }
    } catch (SdkException e) {
      return new Names.Failed(AwsErrors.code(e), AwsErrors.message(e));
    }
    return new Names.Found(names);
  }

  @Override
  public Start start(String region, String ruleName) {
    try {
      configForRegion.apply(region).startConfigRulesEvaluation(r -> r.configRuleNames(ruleName));
      return new Start.Started();
    } catch (LimitExceededException | ResourceInUseException e) {
      return new Start.Refused(AwsErrors.code(e), AwsErrors.message(e));
    } catch (NoSuchConfigRuleException e) {
      return new Start.Rejected(AwsErrors.code(e), AwsErrors.message(e));
    } catch (SdkException e) {
      String code = AwsErrors.code(e);
      return code.equals("AccessDeniedException")
          ? new Start.Rejected(code, AwsErrors.message(e))
          : new Start.Failed(code, AwsErrors.message(e));
    }
  }
}
