package dev.mrkpolicyguard.localaws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders answers and errors of the JSON 1.1 and query protocols. */
public final class Wire {
  public static final String JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

  private Wire() {}

  public static Reply json(JsonNode body, String requestId) {
    return json(body, requestId, JSON_CONTENT_TYPE);
  }

  /** An answer of a JSON service whose protocol version gives another Content-Type. */
  public static Reply json(JsonNode body, String requestId, String contentType) {
    return Reply.of(200, contentType, Json.write(body)).withHeader("x-amzn-RequestId", requestId);
  }

  /** A JSON 1.1 error: {@code __type} carries the code, which the SDKs and the CLI read. */
  public static Reply jsonError(ApiException error, String requestId) {
    ObjectNode body = Json.object().put("__type", error.code()).put("message", error.getMessage());
    return Reply.of(error.status(), JSON_CONTENT_TYPE, Json.write(body))
        .withHeader("x-amzn-RequestId", requestId)
        .withHeader("x-amzn-ErrorType", error.code());
  }

  public static Reply queryXml(String xml, String requestId) {
    return Reply.of(200, "text/xml", xml).withHeader("x-amzn-RequestId", requestId);
  }

  /** The query-protocol error document; STS clients cannot parse anything else. */
  public static Reply queryError(ApiException error, String namespace, String requestId) {
    String xml =
        new Xml()
            .start("ErrorResponse", namespace)
            .start("Error")
            .leaf("Type", error.senderFault() ? "Sender" : "Receiver")
            .leaf("Code", error.code())
            .leaf("Message", error.getMessage())
            .end()
            .leaf("RequestId", requestId)
            .end()
            .toString();
    return Reply.of(error.status(), "text/xml", xml).withHeader("x-amzn-RequestId", requestId);
  }
}
