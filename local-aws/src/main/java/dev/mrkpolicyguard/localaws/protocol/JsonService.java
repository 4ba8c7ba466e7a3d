package dev.mrkpolicyguard.localaws.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A service spoken over AWS JSON 1.1: {@code POST /} with {@code X-Amz-Target: Prefix.Op}. */
public interface JsonService {

  /** Short service name used in call counts and fault rules, e.g. {@code kms}. */
  String name();

  /** The {@code X-Amz-Target} prefix, e.g. {@code TrentService}. */
  String targetPrefix();

  /** The Content-Type of answers: JSON 1.1 unless the service speaks JSON 1.0 (SQS). */
  default String contentType() {
    return Wire.JSON_CONTENT_TYPE;
  }

  /** Serves one operation; returns the response body or throws the AWS error. */
  JsonNode handle(String operation, JsonInput input, RequestContext context);
}
