package dev.mrkpolicyguard.localaws.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.TestClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidMaxResultsException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidTimeRangeException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

class CloudTrailServiceTest {
  private static final String KEY =
      "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";

  private static LocalAwsServer server;
  private static CloudTrailClient cloudTrail;

  @BeforeAll
  static void start() {
    server = LocalAwsServer.builder().build().start();
    cloudTrail = TestClients.cloudTrail(server, "eu-west-1");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  @Test
  void lookupEvents_recordedEvent_returnsItsFieldsAndTheRecordAsText() {
    String record = record("e1", "Decrypt", "kms.amazonaws.com", minutesAgo(5));
    server.cloudTrail().record(record);

    Event event = cloudTrail.lookupEvents(r -> {}).events().get(0);

    assertEquals("e1", event.eventId());
    assertEquals("Decrypt", event.eventName());
    assertEquals("kms.amazonaws.com", event.eventSource());
    assertEquals("true", event.readOnly());
    assertEquals("ASIAEXAMPLE", event.accessKeyId());
    assertEquals("i-0abc", event.username());
    assertEquals("AWS::KMS::Key", event.resources().get(0).resourceType());
    assertEquals(KEY, event.resources().get(0).resourceName());
    assertEquals(record, event.cloudTrailEvent());
  }

  @Test
  void lookupEvents_eventSourceAttribute_returnsOnlyThatServiceNewestFirst() {
    server.cloudTrail().record(record("old", "Decrypt", "kms.amazonaws.com", minutesAgo(30)));
    server.cloudTrail().record(record("s3", "GetObject", "s3.amazonaws.com", minutesAgo(20)));
    server.cloudTrail().record(record("new", "Encrypt", "kms.amazonaws.com", minutesAgo(10)));

    List<String> ids =
        ids(
            cloudTrail.lookupEvents(
                r ->
                    r.lookupAttributes(
                        attribute(LookupAttributeKey.EVENT_SOURCE, "kms.amazonaws.com"))));

    assertEquals(List.of("new", "old"), ids);
  }

  @Test
  void lookupEvents_timeRange_keepsEventsAtOrBetweenTheBounds() {
    server.cloudTrail().record(record("before", "Decrypt", "kms.amazonaws.com", minutesAgo(90)));
    server.cloudTrail().record(record("inside", "Decrypt", "kms.amazonaws.com", minutesAgo(30)));

    List<String> ids =
        ids(cloudTrail.lookupEvents(r -> r.startTime(minutesAgo(60)).endTime(Instant.now())));

    assertEquals(List.of("inside"), ids);
  }

  @Test
  void lookupEvents_moreThanMaxResults_pagesWithNextToken() {
    for (int i = 0; i < 5; i++) {
      server.cloudTrail().record(record("e" + i, "Decrypt", "kms.amazonaws.com", minutesAgo(i)));
    }
    List<String> ids = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String next = token;
      LookupEventsResponse page = cloudTrail.lookupEvents(r -> r.maxResults(2).nextToken(next));
      ids.addAll(ids(page));
      token = page.nextToken();
      pages++;
    } while (token != null);

    assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), ids);
    assertEquals(3, pages);
  }

  @Test
  void lookupEvents_lastPage_hasNoNextToken() {
    server.cloudTrail().record(record("e1", "Decrypt", "kms.amazonaws.com", minutesAgo(1)));

    assertNull(cloudTrail.lookupEvents(r -> r.maxResults(1)).nextToken());
  }

  @Test
  void lookupEvents_otherRegion_seesNoEvents() {
    server.cloudTrail().record(record("e1", "Decrypt", "kms.amazonaws.com", minutesAgo(1)));

    assertEquals(List.of(), ids(TestClients.cloudTrail(server, "us-east-1").lookupEvents(r -> {})));
  }

  @Test
  void lookupEvents_olderThanNinetyDays_isNotInTheHistory() {
    server
        .cloudTrail()
        .record(
            record(
                "ancient",
                "Decrypt",
                "kms.amazonaws.com",
                Instant.now().minus(Duration.ofDays(91))));

    assertEquals(List.of(), ids(cloudTrail.lookupEvents(r -> {})));
  }

  @Test
  void lookupEvents_twoAttributes_throwsInvalidLookupAttributes() {
    assertThrows(
        InvalidLookupAttributesException.class,
        () ->
            cloudTrail.lookupEvents(
                r ->
                    r.lookupAttributes(
                        attribute(LookupAttributeKey.EVENT_NAME, "Decrypt"),
                        attribute(LookupAttributeKey.EVENT_SOURCE, "kms.amazonaws.com"))));
  }

  @Test
  void lookupEvents_startAfterEnd_throwsInvalidTimeRange() {
    assertThrows(
        InvalidTimeRangeException.class,
        () -> cloudTrail.lookupEvents(r -> r.startTime(Instant.now()).endTime(minutesAgo(5))));
  }

  @Test
  void lookupEvents_maxResultsAboveFifty_throwsInvalidMaxResults() {
    assertThrows(
        InvalidMaxResultsException.class, () -> cloudTrail.lookupEvents(r -> r.maxResults(51)));
  }

  @Test
  void lookupEvents_tokenWithOtherParameters_throwsInvalidNextToken() {
    for (int i = 0; i < 3; i++) {
      server.cloudTrail().record(record("e" + i, "Decrypt", "kms.amazonaws.com", minutesAgo(i)));
    }
    String token = cloudTrail.lookupEvents(r -> r.maxResults(1)).nextToken();

    assertThrows(
        InvalidNextTokenException.class,
        () ->
            cloudTrail.lookupEvents(
                r ->
                    r.maxResults(1)
                        .nextToken(token)
                        .lookupAttributes(attribute(LookupAttributeKey.EVENT_NAME, "Decrypt"))));
  }

  private static LookupAttribute attribute(LookupAttributeKey key, String value) {
    return LookupAttribute.builder().attributeKey(key).attributeValue(value).build();
  }

  private static List<String> ids(LookupEventsResponse response) {
    return response.events().stream().map(Event::eventId).toList();
  }

  private static Instant minutesAgo(int minutes) {
    return Instant.now()
        .minus(Duration.ofMinutes(minutes))
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  private static String record(String id, String name, String source, Instant time) {
    return """
        {"eventVersion": "1.08",
         "userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLE:i-0abc",
           "arn": "arn:aws:sts::111122223333:assumed-role/WebServer/i-0abc",
           "accountId": "111122223333", "accessKeyId": "ASIAEXAMPLE"},
         "eventTime": "%s", "eventSource": "%s", "eventName": "%s",
         "awsRegion": "eu-west-1", "sourceIPAddress": "192.0.2.10", "userAgent": "aws-cli/2.15.0",
         "requestParameters": {"keyId": "%s"}, "responseElements": null,
         "requestID": "r-%s", "eventID": "%s", "readOnly": true,
         "resources": [{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "%s"}],
         "eventType": "AwsApiCall", "managementEvent": true,
         "recipientAccountId": "111122223333", "eventCategory": "Management"}"""
        .formatted(time, source, name, KEY, id, id, KEY);
  }
}
