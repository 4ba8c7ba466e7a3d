package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.AwsCallFailed;
import dev.mrkpolicyguard.reconcile.AliasPolicy;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.PolicyLengthExceededException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * {@link AliasPolicy} over Lambda GetPolicy, AddPermission and RemovePermission, each called with
 * the unqualified function ARN and the alias as {@code Qualifier} ("If you use a qualifier, the
 * invoker must use the full ARN of that version or alias", Lambda API AddPermission): the
 * statements are the alias's, the ones Config needs for a rule whose SourceIdentifier is the alias
 * ARN.
 */
public final class LambdaAliasPolicy implements AliasPolicy {
  private static final Pattern ALIAS_ARN =
      Pattern.compile(
          "^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[a-zA-Z0-9-_]+):([a-zA-Z0-9-_]+)$");
  private static final String CONFIG = "config.amazonaws.com";

  private final LambdaClient lambda;
  private final String function;
  private final String alias;

  /**
   * @param aliasArn {@code arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME:ALIAS}
   */
  public LambdaAliasPolicy(LambdaClient lambda, String aliasArn) {
    this.lambda = Objects.requireNonNull(lambda, "lambda");
    Matcher m = ALIAS_ARN.matcher(Objects.requireNonNull(aliasArn, "aliasArn"));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a Lambda alias ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS): "
              + aliasArn);
    }
    this.function = m.group(1);
    this.alias = m.group(2);
  }

  /** The Region of an alias ARN, where its Lambda client must be. */
  public static String regionOf(String aliasArn) {
    Matcher m = ALIAS_ARN.matcher(aliasArn);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Lambda alias ARN: " + aliasArn);
    }
    return aliasArn.split(":")[3];
  }

  @Override
  public Optional<String> read() {
    try {
      return Optional.of(lambda.getPolicy(r -> r.functionName(function).qualifier(alias)).policy());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failed("GetPolicy", e);
    }
  }

  @Override
  public Added add(String statementId, String account) {
    try {
      lambda.addPermission(
          r ->
              r.functionName(function)
                  .qualifier(alias)
                  .statementId(statementId)
                  .action("lambda:InvokeFunction")
                  .principal(CONFIG)
                  .sourceAccount(account));
      return new Added.Done();
    } catch (ResourceConflictException e) {
      return new Added.AlreadyThere();
    } catch (PolicyLengthExceededException e) {
      return new Added.TooLarge(AwsErrors.message(e));
    } catch (AwsServiceException e) {
      return new Added.Failed(AwsErrors.code(e), AwsErrors.message(e));
    } catch (SdkException e) {
      throw failed("AddPermission", e);
    }
  }

  @Override
  public Removed remove(String statementId) {
    try {
      lambda.removePermission(
          r -> r.functionName(function).qualifier(alias).statementId(statementId));
      return new Removed.Done();
    } catch (ResourceNotFoundException e) {
      return new Removed.AlreadyGone();
    } catch (AwsServiceException e) {
      return new Removed.Failed(AwsErrors.code(e), AwsErrors.message(e));
    } catch (SdkException e) {
      throw failed("RemovePermission", e);
    }
  }

  private static AwsCallFailed failed(String operation, SdkException e) {
    return new AwsCallFailed(
        operation + " " + AwsErrors.code(e) + ": " + AwsErrors.message(e), e.getMessage(), e);
  }
}
