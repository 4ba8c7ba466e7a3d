package dev.mrkpolicyguard.localaws.sqs;

import java.time.Instant;

/**
 * A snapshot of a message in a stand-in queue: what was sent, when it can next be received (after
 * its delay or visibility timeout) and how often it was received.
 */
public record QueuedMessage(
    String messageId, String body, Instant sentAt, Instant visibleAt, int receiveCount) {}
