package dev.mrkpolicyguard.localaws.sts;

import dev.mrkpolicyguard.localaws.Identities;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Ids;
import dev.mrkpolicyguard.localaws.protocol.Principal;
import dev.mrkpolicyguard.localaws.protocol.QueryService;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import dev.mrkpolicyguard.localaws.protocol.Xml;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS over the query protocol: AssumeRole issues keys that act as the assumed-role session, and
 * GetCallerIdentity reports who a key is.
 */
public final class StsService implements QueryService {
  static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]+)$");
  private static final Pattern SESSION_NAME = Pattern.compile("^[\\w+=,.@-]{2,64}$");
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final Identities identities;
  private final SecureRandom random = new SecureRandom();

  public StsService(Identities identities) {
    this.identities = identities;
  }

  @Override
  public String name() {
    return "sts";
  }

  @Override
  public String handle(String action, Map<String, String> parameters, RequestContext ctx) {
    return switch (action) {
      case "AssumeRole" -> assumeRole(parameters, ctx);
      case "GetCallerIdentity" -> callerIdentity(ctx);
      default ->
          throw new ApiException(
              "InvalidAction",
              400,
              "Could not find operation " + action + " for version 2011-06-15");
    };
  }

  private String assumeRole(Map<String, String> parameters, RequestContext ctx) {
    String roleArn = required(parameters, "RoleArn");
    String sessionName = required(parameters, "RoleSessionName");
    Matcher role = ROLE_ARN.matcher(roleArn);
    if (roleArn.length() < 20 || roleArn.length() > 2048 || !role.matches()) {
      throw validation("Value '" + roleArn + "' at 'roleArn' is not a valid IAM role ARN");
    }
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw validation(
          "Value '"
              + sessionName
              + "' at 'roleSessionName' failed to satisfy constraint: Member"
              + " must satisfy regular expression pattern: [\\w+=,.@-]* and have length 2-64");
    }
    int duration = duration(parameters.get("DurationSeconds"));
    String account = role.group(1);
    String roleId = Ids.stable("AROA", roleArn);
    Principal session =
        new Principal(
            account,
            "arn:aws:sts::" + account + ":assumed-role/" + role.group(2) + "/" + sessionName,
            roleId + ":" + sessionName);
    String accessKey = "ASIA" + randomKey(16);
    identities.issue(accessKey, session);
    Instant expiration = ctx.now().plusSeconds(duration).truncatedTo(ChronoUnit.SECONDS);
    return new Xml()
        .start("AssumeRoleResponse", NAMESPACE)
        .start("AssumeRoleResult")
        .start("Credentials")
        .leaf("AccessKeyId", accessKey)
        .leaf("SecretAccessKey", randomKey(40))
        .leaf("SessionToken", "FwoGZXIvYXdzE" + randomKey(120))
        .leaf("Expiration", expiration.toString())
        .end()
        .start("AssumedRoleUser")
        .leaf("AssumedRoleId", session.userId())
        .leaf("Arn", session.arn())
        .end()
        .end()
        .start("ResponseMetadata")
        .leaf("RequestId", ctx.requestId())
        .end()
        .end()
        .toString();
  }

  private String callerIdentity(RequestContext ctx) {
    Principal principal = ctx.principal();
    return new Xml()
        .start("GetCallerIdentityResponse", NAMESPACE)
        .start("GetCallerIdentityResult")
        .leaf("Arn", principal.arn())
        .leaf("UserId", principal.userId())
        .leaf("Account", principal.account())
        .end()
        .start("ResponseMetadata")
        .leaf("RequestId", ctx.requestId())
        .end()
        .end()
        .toString();
  }

  private static int duration(String value) {
    if (value == null) {
      return 3600;
    }
    int seconds;
    try {
      seconds = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw validation("DurationSeconds must be a number, got " + value);
    }
    if (seconds < 900 || seconds > 43200) {
      throw validation(
          "Value '"
              + seconds
              + "' at 'durationSeconds' failed to satisfy constraint: Member must"
              + " have value between 900 and 43200");
    }
    return seconds;
  }

  private static String required(Map<String, String> parameters, String name) {
    String value = parameters.get(name);
    if (value == null) {
      throw validation(
          "1 validation error detected: Value null at '"
              + Character.toLowerCase(name.charAt(0))
              + name.substring(1)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  private String randomKey(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
    }
    return sb.toString();
  }

  private static ApiException validation(String message) {
    return new ApiException("ValidationError", 400, message);
  }
}
