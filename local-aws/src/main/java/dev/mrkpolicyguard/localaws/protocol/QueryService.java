package dev.mrkpolicyguard.localaws.protocol;

import java.util.Map;

/** A service spoken over the AWS query protocol: form-encoded {@code Action=...}, XML answers. */
public interface QueryService {

  /** Short service name used in call counts and fault rules, e.g. {@code sts}. */
  String name();

  /** Serves one action; returns the XML response document or throws the AWS error. */
  String handle(String action, Map<String, String> parameters, RequestContext context);
}
