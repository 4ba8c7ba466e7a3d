package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.aws.AccountReads;
import dev.mrkpolicyguard.aws.SdkClientFactory;

/** Makes the AWS clients of one live run of {@code audit} or {@code export}. */
@FunctionalInterface
public interface Connector {
  /**
   * AWS's endpoints (or {@code --endpoint-url}), the named profile's credentials or the default
   * chain, the default retries (SdkClientFactory#defaultRetries).
   */
  Connector AWS =
      options -> AccountReads.connect(options.homeRegion(), options.endpoint(), options.profile());

  /** The clients for {@code options}; signing with the factory's own credentials. */
  SdkClientFactory connect(LiveOptions options);
}
