package dev.mrkpolicyguard.localaws.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.TestClients;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

class SqsServiceTest {
  private static final String ACCOUNT = "111122223333";
  private static LocalAwsServer server;
  private static SqsClient sqs;
  private String url;

  @BeforeAll
  static void start() {
    server = LocalAwsServer.builder().build().start();
    sqs = TestClients.sqs(server, "eu-west-1");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
    url =
        sqs.createQueue(
                r ->
                    r.queueName("deferred")
                        .attributes(java.util.Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")))
            .queueUrl();
  }

  private List<Message> receive() {
    return sqs.receiveMessage(
            r ->
                r.queueUrl(url)
                    .maxNumberOfMessages(10)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
        .messages();
  }

  @Test
  void createQueue_name_answersTheAwsShapedUrl() {
    assertEquals("https://sqs.eu-west-1.amazonaws.com/" + ACCOUNT + "/deferred", url);
    assertEquals(url, sqs.getQueueUrl(r -> r.queueName("deferred")).queueUrl());
  }

  @Test
  void sendMessage_checksumVerifiedByTheSdk_isReceivedWithItsBody() {
    sqs.sendMessage(r -> r.queueUrl(url).messageBody("{\"region\":\"eu-west-1\"}"));

    List<Message> messages = receive();

    assertEquals(1, messages.size());
    assertEquals("{\"region\":\"eu-west-1\"}", messages.get(0).body());
    assertEquals("1", messages.get(0).attributesAsStrings().get("ApproximateReceiveCount"));
  }

  @Test
  void sendMessage_delaySeconds_invisibleUntilTheStandInClockPassesIt() {
    sqs.sendMessage(r -> r.queueUrl(url).messageBody("later").delaySeconds(65));

    assertEquals(List.of(), receive());
    server.advanceClock(Duration.ofSeconds(64));
    assertEquals(List.of(), receive());
    server.advanceClock(Duration.ofSeconds(1));
    assertEquals("later", receive().get(0).body());
  }

  @Test
  void receiveMessage_notDeleted_returnsAfterTheVisibilityTimeout() {
    sqs.sendMessage(r -> r.queueUrl(url).messageBody("again"));
    receive();

    assertEquals(List.of(), receive());
    server.advanceClock(Duration.ofSeconds(60));
    Message second = receive().get(0);

    assertEquals("2", second.attributesAsStrings().get("ApproximateReceiveCount"));
  }

  @Test
  void deleteMessage_receiptHandle_removesIt() {
    sqs.sendMessage(r -> r.queueUrl(url).messageBody("done"));
    Message message = receive().get(0);

    sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
    server.advanceClock(Duration.ofSeconds(61));

    assertEquals(List.of(), receive());
    assertEquals(List.of(), server.sqs().messages(ACCOUNT, "eu-west-1", "deferred"));
  }

  @Test
  void getQueueAttributes_delayedAndVisible_countedApart() {
    sqs.sendMessage(r -> r.queueUrl(url).messageBody("now"));
    sqs.sendMessage(r -> r.queueUrl(url).messageBody("later").delaySeconds(30));

    var attributes =
        sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
            .attributesAsStrings();

    assertEquals("1", attributes.get("ApproximateNumberOfMessages"));
    assertEquals("1", attributes.get("ApproximateNumberOfMessagesDelayed"));
  }

  @Test
  void sendMessage_unknownQueue_throwsQueueDoesNotExist() {
    assertThrows(
        QueueDoesNotExistException.class,
        () ->
            sqs.sendMessage(
                r ->
                    r.queueUrl("https://sqs.eu-west-1.amazonaws.com/" + ACCOUNT + "/nope")
                        .messageBody("x")));
  }
}
