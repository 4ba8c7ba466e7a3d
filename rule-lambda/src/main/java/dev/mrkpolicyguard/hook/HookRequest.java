package dev.mrkpolicyguard.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Objects;

/**
 * A Lambda hook invocation for one resource (CloudFormation Hooks user guide, "Create Lambda
 * functions to evaluate resources for Lambda Hooks": {@code clientRequestToken}, {@code
 * awsAccountId}, {@code stackId}, {@code actionInvocationPoint}, {@code requestData.targetName},
 * {@code targetLogicalId}, {@code targetModel.resourceProperties} and {@code
 * previousResourceProperties}).
 *
 * @param clientRequestToken echoed in the response
 * @param accountId the account of the stack
 * @param stackId the stack's ARN, whose Region is where the resource is created
 * @param invocationPoint e.g. {@code CREATE_PRE_PROVISION}
 * @param targetName the resource type, e.g. {@code AWS::KMS::ReplicaKey}
 * @param logicalId the resource's logical ID
 * @param properties the proposed properties (empty object on delete)
 * @param previous the current properties (empty object on create)
 */
public record HookRequest(
    String clientRequestToken,
    String accountId,
    String stackId,
    String invocationPoint,
    String targetName,
    String logicalId,
    JsonNode properties,
    JsonNode previous) {
  public HookRequest {
    Objects.requireNonNull(clientRequestToken, "clientRequestToken");
    Objects.requireNonNull(invocationPoint, "invocationPoint");
    Objects.requireNonNull(targetName, "targetName");
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(previous, "previous");
  }

  /** The request in {@code event}; absent fields are empty strings and missing nodes. */
  public static HookRequest from(JsonNode event) {
    JsonNode data = event.path("requestData");
    JsonNode model = data.path("targetModel");
    return new HookRequest(
        event.path("clientRequestToken").asText(""),
        event.path("awsAccountId").asText(""),
        event.path("stackId").asText(""),
        event.path("actionInvocationPoint").asText(""),
        data.path("targetName").asText(data.path("targetType").asText("")),
        data.path("targetLogicalId").asText(""),
        objectOrMissing(model.path("resourceProperties")),
        objectOrMissing(model.path("previousResourceProperties")));
  }

  private static JsonNode objectOrMissing(JsonNode node) {
    return node.isObject() ? node : MissingNode.getInstance();
  }

  /** The Region of the stack, from its ARN, or {@code null} when the ARN has none. */
  public String stackRegion() {
    String[] parts = stackId == null ? new String[0] : stackId.split(":", 6);
    return parts.length == 6 && parts[2].equals("cloudformation") && !parts[3].isEmpty()
        ? parts[3]
        : null;
  }

  /** Whether this is a create or update, before provisioning. */
  public boolean createOrUpdate() {
    return invocationPoint.equals("CREATE_PRE_PROVISION")
        || invocationPoint.equals("UPDATE_PRE_PROVISION");
  }
}
