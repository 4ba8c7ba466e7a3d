package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.aws.SdkClientFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/** Makes the AWS clients of one live run of {@code audit} or {@code export}. */
@FunctionalInterface
public interface Connector {
  /**
   * AWS's endpoints (or {@code --endpoint-url}), the named profile's credentials or the default
   * chain, the default retries (SdkClientFactory#defaultRetries).
   */
  Connector AWS =
      options -> {
        AwsCredentialsProvider credentials =
            options.profile() == null
                ? DefaultCredentialsProvider.builder().build()
                : ProfileCredentialsProvider.builder().profileName(options.profile()).build();
        return SdkClientFactory.forAws(options.homeRegion(), options.endpoint(), credentials);
      };

  /** The clients for {@code options}; signing with the factory's own credentials. */
  SdkClientFactory connect(LiveOptions options);
}
