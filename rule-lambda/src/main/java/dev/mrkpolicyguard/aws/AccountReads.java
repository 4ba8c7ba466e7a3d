package dev.mrkpolicyguard.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The few account-level reads the CLI's live commands make besides KMS (who the caller is, an SSM
 * parameter), with their outcomes as values; and the clients of a named profile.
 */
public final class AccountReads {
  private AccountReads() {}

  /** Clients for AWS (or {@code endpoint}) with the named profile, or the default chain if null. */
  public static SdkClientFactory connect(String region, URI endpoint, String profile) {
    AwsCredentialsProvider credentials =
        profile == null
            ? DefaultCredentialsProvider.builder().build()
            : ProfileCredentialsProvider.builder().profileName(profile).build();
    return SdkClientFactory.forAws(region, endpoint, credentials);
  }

  /** Who the caller is (sts:GetCallerIdentity). */
  public sealed interface Caller {
    /** The caller's ARN and account. */
    record Known(String arn, String account) implements Caller {}

    /** The call failed with AWS error {@code code}. */
    record Failed(String code, String message) implements Caller {
      /** What failed and how to fix it, in one line. */
      public String explanation() {
        return "cannot identify the caller with sts:GetCallerIdentity ("
            + code
            + "): "
            + message
            + "; check the credentials (--profile, AWS_PROFILE or AWS_ACCESS_KEY_ID)";
      }
    }
  }

  /** The caller of {@code clients}' own credentials, asked in {@code region}. */
  public static Caller caller(SdkClientFactory clients, String region) {
    return caller(clients.sts(region, clients.ownCredentials()));
  }

  /** The caller that {@code sts} signs as. */
  static Caller caller(StsClient sts) {
    try {
      GetCallerIdentityResponse identity = sts.getCallerIdentity();
      return new Caller.Known(identity.arn(), identity.account());
    } catch (SdkException e) {
      return new Caller.Failed(AwsErrors.code(e), AwsErrors.message(e));
    }
  }

  /** What reading an SSM parameter gave. */
  public sealed interface Parameter {
    /** Its value, decrypted. */
    record Found(String value) implements Parameter {}

    /** There is no such parameter. */
    record Missing() implements Parameter {}

    /** The read failed; {@code message} is the SDK's. */
    record Failed(String message) implements Parameter {}
  }

  /** The SSM parameter {@code name} in {@code region}, with decryption. */
  public static Parameter parameter(SdkClientFactory clients, String region, String name) {
    try {
      return new Parameter.Found(
          clients
              .ssm(region, clients.ownCredentials())
              .getParameter(r -> r.name(name).withDecryption(true))
              .parameter()
              .value());
    } catch (ParameterNotFoundException e) {
      return new Parameter.Missing();
    } catch (SdkException e) {
      return new Parameter.Failed(e.getMessage());
    }
  }
}
