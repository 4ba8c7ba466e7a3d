package dev.mrkpolicyguard.localaws.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The credential scope of a SigV4 {@code Authorization} header: access key, Region and service. */
public record SigV4Scope(String accessKeyId, String region, String service) {

  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/([^/,\\s]+)/([^/,\\s]+)/aws4_request");

  /** Reads the scope; empty when the request is unsigned or signed some other way. */
  public static Optional<SigV4Scope> parse(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    Matcher m = CREDENTIAL.matcher(authorization);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new SigV4Scope(m.group(1), m.group(2), m.group(3)));
  }
}
