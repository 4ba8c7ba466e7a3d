package dev.mrkpolicyguard.hook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * The hook's answer (CloudFormation Hooks user guide, Lambda hook response): {@code hookStatus}
 * SUCCESS or FAILED, {@code errorCode} when FAILED, a {@code message} of at most 4,096 characters
 * (CloudFormation truncates longer ones), the request's {@code clientRequestToken}, and {@code
 * annotations}. The hook always answers at once, so never IN_PROGRESS.
 */
public record HookResponse(
    Status status,
    String errorCode,
    String message,
    String clientRequestToken,
    List<Annotation> annotations) {
  /** CloudFormation's limit on {@code message}. */
  public static final int MAX_MESSAGE = 4096;

  /** The annotation's limit on its status message, as for hook results. */
  static final int MAX_ANNOTATION_TEXT = 1024;

  /** The hook's verdict. */
  public enum Status {
    SUCCESS,
    FAILED
  }

  public HookResponse {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(clientRequestToken, "clientRequestToken");
    annotations = List.copyOf(annotations);
    if (status == Status.FAILED && errorCode == null) {
      throw new IllegalArgumentException("a FAILED answer needs an errorCode");
    }
    message = shortened(message, MAX_MESSAGE);
  }

  /**
   * One annotation of the hook result.
   *
   * @param name a stable name, the finding code
   * @param passed whether the check passed
   * @param statusMessage what was found
   * @param remediation how to fix it, or {@code null}
   * @param severity INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL
   */
  public record Annotation(
      String name, boolean passed, String statusMessage, String remediation, String severity) {
    public Annotation {
      Objects.requireNonNull(name, "name");
      statusMessage =
          shortened(Objects.requireNonNull(statusMessage, "statusMessage"), MAX_ANNOTATION_TEXT);
      remediation = remediation == null ? null : shortened(remediation, MAX_ANNOTATION_TEXT);
      Objects.requireNonNull(severity, "severity");
    }
  }

  /** A SUCCESS answer. */
  public static HookResponse success(String token, String message, List<Annotation> annotations) {
    return new HookResponse(Status.SUCCESS, null, message, token, annotations);
  }

  /** A FAILED answer with errorCode {@code NonCompliant}. */
  public static HookResponse nonCompliant(
      String token, String message, List<Annotation> annotations) {
    return new HookResponse(Status.FAILED, "NonCompliant", message, token, annotations);
  }

  /** A FAILED answer with errorCode {@code InternalFailure}: the hook itself failed. */
  public static HookResponse internalFailure(String token, String message) {
    return new HookResponse(Status.FAILED, "InternalFailure", message, token, List.of());
  }

  /** The response as Lambda returns it to CloudFormation. */
  public ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode node = mapper.createObjectNode();
    node.put("hookStatus", status.name());
    if (errorCode != null) {
      node.put("errorCode", errorCode);
    }
    node.put("message", message);
    node.put("clientRequestToken", clientRequestToken);
    if (!annotations.isEmpty()) {
      ArrayNode list = node.putArray("annotations");
      for (Annotation a : annotations) {
        ObjectNode item = list.addObject();
        item.put("annotationName", a.name());
        item.put("status", a.passed() ? "PASSED" : "FAILED");
        item.put("statusMessage", a.statusMessage());
        if (a.remediation() != null) {
          item.put("remediationMessage", a.remediation());
        }
        item.put("severityLevel", a.severity());
      }
    }
    return node;
  }

  private static String shortened(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    String more = " [...]";
    return text.substring(0, limit - more.length()) + more;
  }
}
