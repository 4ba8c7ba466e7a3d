package dev.mrkpolicyguard.rule;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code invokingEvent} of a Config rule event: what triggered the invocation.
 *
 * @param messageType ConfigurationItemChangeNotification,
 *     OversizedConfigurationItemChangeNotification or ScheduledNotification
 * @param configurationItem the item, for change notifications
 * @param configurationItemSummary the item's summary, for oversized change notifications
 * @param notificationCreationTime when Config created the notification (ISO-8601)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record InvokingEvent(
    String messageType,
    JsonNode configurationItem,
    JsonNode configurationItemSummary,
    String notificationCreationTime) {
  static final String CHANGE = "ConfigurationItemChangeNotification";
  static final String OVERSIZED_CHANGE = "OversizedConfigurationItemChangeNotification";
  static final String SCHEDULED = "ScheduledNotification";
}
