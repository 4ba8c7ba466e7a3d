package dev.mrkpolicyguard.localaws.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.events.CloudTrailEvents;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.JsonInput;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import java.util.List;
import java.util.Set;

/**
 * Turns KMS write calls into the CloudTrail records KMS writes for them (KMS developer guide,
 * ct-put-key-policy, ct-replicate-key, ct-update-primary-region, ct-schedule-key-deletion and
 * neighbours): the record of the call in its Region, the CreateKey record ReplicateKey also leaves
 * in the replica's Region, and the second UpdatePrimaryRegion record in the new primary's Region,
 * which KMS writes itself ({@code invokedBy} kms.amazonaws.com) and which names no resources.
 * Read-only calls are not delivered: an EventBridge rule sees them only with {@code
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS}.
 */
final class KmsTrail {
  static final Set<String> WRITES =
      Set.of(
          "CreateKey",
          "ReplicateKey",
          "PutKeyPolicy",
          "CreateAlias",
          "TagResource",
          "UntagResource",
          "EnableKey",
          "DisableKey",
          "ScheduleKeyDeletion",
          "CancelKeyDeletion",
          "UpdatePrimaryRegion");
  private static final String SOURCE = "aws.kms";
  private static final String EVENT_SOURCE = "kms.amazonaws.com";

  private final CloudTrailEvents events;
  private final KeyResolver resolver;

  KmsTrail(CloudTrailEvents events, KeyResolver resolver) {
    this.events = events;
    this.resolver = resolver;
  }

  void succeeded(String operation, JsonInput in, JsonNode out, RequestContext ctx) {
    if (!WRITES.contains(operation)) {
      return;
    }
    String arn =
        operation.equals("CreateKey") ? out.at("/KeyMetadata/Arn").asText() : keyArn(in, ctx);
    JsonNode response = out;
    if (operation.equals("UpdatePrimaryRegion")) {
      // Since December 2022 the record's responseElements carry the affected key's ARN.
      response = Json.object().put("KeyId", arn);
    }
    events.deliver(call(operation, ctx, in.raw(), response, arns(arn), ctx.region(), true));
    if (operation.equals("ReplicateKey")) {
      ObjectNode request = in.raw().deepCopy();
      request.remove(List.of("KeyId", "ReplicaRegion"));
      request.put("MultiRegion", true);
      ObjectNode response2 = Json.object();
      response2.set("KeyMetadata", out.get("ReplicaKeyMetadata"));
      String replicaArn = out.at("/ReplicaKeyMetadata/Arn").asText();
      events.deliver(
          call(
              "CreateKey", ctx, request, response2, arns(replicaArn), regionOf(replicaArn), false));
    }
    if (operation.equals("UpdatePrimaryRegion")) {
      String region = in.raw().path("PrimaryRegion").asText();
      String newPrimary = arn.replace(":" + ctx.region() + ":", ":" + region + ":");
      ObjectNode request = Json.object().put("KeyId", newPrimary).put("PrimaryRegion", region);
      events.deliver(
          call(
              operation,
              ctx,
              request,
              Json.object().put("KeyId", newPrimary),
              List.of(),
              region,
              false));
    }
  }

  void failed(String operation, JsonInput in, ApiException error, RequestContext ctx) {
    if (!WRITES.contains(operation)) {
      return;
    }
    String arn = operation.equals("CreateKey") ? null : keyArn(in, ctx);
    events.deliver(
        new CloudTrailEvents.Call(
            SOURCE,
            EVENT_SOURCE,
            operation,
            ctx.region(),
            ctx.account(),
            new CloudTrailEvents.Caller(ctx.principal(), ctx.accessKeyId()),
            in.raw(),
            null,
            arns(arn),
            error.code(),
            error.getMessage(),
            ctx.now()));
  }

  private static CloudTrailEvents.Call call(
      String operation,
      RequestContext ctx,
      JsonNode request,
      JsonNode response,
      List<String> arns,
      String region,
      boolean byCaller) {
    return new CloudTrailEvents.Call(
        SOURCE,
        EVENT_SOURCE,
        operation,
        region,
        ctx.account(),
        byCaller ? new CloudTrailEvents.Caller(ctx.principal(), ctx.accessKeyId()) : null,
        request,
        response,
        arns,
        null,
        null,
        ctx.now());
  }

  /** The ARN of the key a call names (by ID, ARN or, for CreateAlias, its target), if any. */
  private String keyArn(JsonInput in, RequestContext ctx) {
    JsonNode id = in.raw().has("KeyId") ? in.raw().get("KeyId") : in.raw().get("TargetKeyId");
    if (id == null || !id.isTextual()) {
      return null;
    }
    try {
      return resolver.resolve(ctx, id.asText(), false).arn();
    } catch (ApiException e) {
      return null;
    }
  }

  private static List<String> arns(String arn) {
    return arn == null || arn.isEmpty() ? List.of() : List.of(arn);
  }

  private static String regionOf(String arn) {
    return arn.split(":")[3];
  }
}
