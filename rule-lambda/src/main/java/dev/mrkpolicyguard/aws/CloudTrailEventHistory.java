package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.explain.EventHistory;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * A Region's event history through CloudTrail {@code LookupEvents} (read only; needs {@code
 * cloudtrail:LookupEvents}), 50 events a page, filtered by event source.
 */
public final class CloudTrailEventHistory implements EventHistory {
  /** The most events LookupEvents returns in one page. */
  static final int PAGE_SIZE = 50;

  private final Function<String, CloudTrailClient> inRegion;

  /** A history that gets the CloudTrail client of a Region from {@code inRegion}. */
  public CloudTrailEventHistory(Function<String, CloudTrailClient> inRegion) {
    this.inRegion = Objects.requireNonNull(inRegion, "inRegion");
  }

  @Override
  public Page page(Query query, String nextToken) {
    LookupAttribute source =
        LookupAttribute.builder()
            .attributeKey(LookupAttributeKey.EVENT_SOURCE)
            .attributeValue(query.eventSource())
            .build();
    try {
      LookupEventsResponse response =
          inRegion
              .apply(query.region())
              .lookupEvents(
                  r ->
                      r.lookupAttributes(source)
                          .startTime(query.start())
                          .endTime(query.end())
                          .maxResults(PAGE_SIZE)
                          .nextToken(nextToken));
      return new Page.Fetched(
          response.events().stream().map(Event::cloudTrailEvent).toList(), response.nextToken());
    } catch (AwsServiceException e) {
      String code = AwsErrors.code(e);
      if ("AccessDeniedException".equals(code)) {
        return new Page.Failed(
            "cloudtrail:LookupEvents was denied in "
                + query.region()
                + "; allow it to these credentials (docs/explain.md)");
      }
      return new Page.Failed(
          "LookupEvents in " + query.region() + " failed: " + code + ": " + e.getMessage());
    } catch (SdkException e) {
      return new Page.Failed("LookupEvents in " + query.region() + " failed: " + e.getMessage());
    }
  }
}
