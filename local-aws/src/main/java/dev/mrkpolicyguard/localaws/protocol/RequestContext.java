package dev.mrkpolicyguard.localaws.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * Who called which operation where: derived once per request from the SigV4 scope and the access
 * key.
 */
public record RequestContext(
    String service,
    String operation,
    String region,
    String accessKeyId,
    Principal principal,
    String requestId,
    Instant now) {

  public RequestContext {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(now, "now");
  }

  public String account() {
    return principal.account();
  }
}
