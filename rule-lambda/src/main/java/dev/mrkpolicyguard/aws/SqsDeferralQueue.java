package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.trigger.Deferral;
import dev.mrkpolicyguard.trigger.DeferralQueue;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The trigger's deferral queue over SQS: one message per deferred start, with {@code DelaySeconds}
 * (whole seconds, rounded up, at most 900) so that SQS holds it back until it is due, and the
 * trigger's event source mapping brings it back.
 */
public final class SqsDeferralQueue implements DeferralQueue {
  private final SqsClient sqs;
  private final String queueUrl;

  public SqsDeferralQueue(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  @Override
  public Sent send(Deferral deferral, Duration delay) {
    long millis = Math.max(0, delay.toMillis());
    int seconds = (int) Math.min(900, (millis + 999) / 1000);
    try {
      sqs.sendMessage(
          r -> r.queueUrl(queueUrl).messageBody(deferral.toJson()).delaySeconds(seconds));
      return new Sent.Kept();
    } catch (SdkException e) {
      return new Sent.Failed(AwsErrors.code(e), AwsErrors.message(e));
    }
  }
}
