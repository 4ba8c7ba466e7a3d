package dev.mrkpolicyguard.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds the request a CloudTrail record of a KMS call shows (CloudTrail User Guide, "CloudTrail
 * userIdentity element" and "CloudTrail record contents"; KMS Developer Guide, "AWS KMS condition
 * keys"; IAM User Guide, "AWS global condition context keys"): the caller from {@code
 * userIdentity}, the action from {@code eventName}, the key from {@code resources}, and the
 * condition keys the record holds.
 */
public final class RequestBuilder {
  /** The {@code eventSource} of KMS records. */
  public static final String KMS = "kms.amazonaws.com";

  private static final Pattern KEY_ID =
      Pattern.compile("mrk-[0-9a-fA-F-]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F-]{4,}");
  private static final Pattern SERVICE = Pattern.compile("([a-z0-9-]+)\\.amazonaws\\.com");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final DateTimeFormatter SPACED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS][.SS][.S]");
  private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX");

  /** Request parameters that carry a condition key of the same value. */
  private static final Map<String, String> PARAMETER_KEYS =
      Map.ofEntries(
          Map.entry("encryptionAlgorithm", "kms:EncryptionAlgorithm"),
          Map.entry("signingAlgorithm", "kms:SigningAlgorithm"),
          Map.entry("macAlgorithm", "kms:MacAlgorithm"),
          Map.entry("messageType", "kms:MessageType"),
          Map.entry("keyAgreementAlgorithm", "kms:KeyAgreementAlgorithm"),
          Map.entry("keyPairSpec", "kms:DataKeyPairSpec"),
          Map.entry("granteePrincipal", "kms:GranteePrincipal"),
          Map.entry("retiringPrincipal", "kms:RetiringPrincipal"),
          Map.entry("pendingWindowInDays", "kms:ScheduleKeyDeletionPendingWindowInDays"),
          Map.entry("bypassPolicyLockoutSafetyCheck", "kms:BypassPolicyLockoutSafetyCheck"),
          Map.entry("replicaRegion", "kms:ReplicaRegion"),
          Map.entry("primaryRegion", "kms:PrimaryRegion"),
          Map.entry("rotationPeriodInDays", "kms:RotationPeriodInDays"),
          Map.entry("expirationModel", "kms:ExpirationModel"),
          Map.entry("wrappingAlgorithm", "kms:WrappingAlgorithm"),
          Map.entry("wrappingKeySpec", "kms:WrappingKeySpec"));

  private static final Set<String> GRANT_ACTIONS =
      Set.of("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant");

  private final KmsCatalog catalog;

  /** A builder that uses the shipped KMS catalogue. */
  public RequestBuilder() {
    this(KmsCatalog.standard());
  }

  /** A builder that knows the KMS actions and their condition keys from {@code catalog}. */
  public RequestBuilder(KmsCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** What a record gives. */
  public sealed interface Reconstruction {
    /** A KMS request to a key, judged by its key policy. */
    record Rebuilt(RebuiltRequest request, DenialMessage message) implements Reconstruction {
      public Rebuilt {
        Objects.requireNonNull(request, "request");
      }
    }

    /** A KMS call that no key policy authorises. */
    record NotKeyPolicy(String action, String keyArn, String reason) implements Reconstruction {
      public NotKeyPolicy {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
      }
    }

    /** A record of another service. */
    record OtherService(String eventSource) implements Reconstruction {}

    /** A record that cannot be read as a KMS request, and why. */
    record Unusable(String problem) implements Reconstruction {
      public Unusable {
        Objects.requireNonNull(problem, "problem");
      }
    }
  }

  /** Rebuilds the request of {@code record}. */
  public Reconstruction build(TrailRecord record) {
    Optional<String> source = record.text("eventSource");
    if (source.isEmpty()) {
      return new Reconstruction.Unusable("the record has no eventSource");
    }
    if (!source.get().equals(KMS)) {
      return new Reconstruction.OtherService(source.get());
    }
    Optional<String> eventName = record.text("eventName");
    if (eventName.isEmpty()) {
      return new Reconstruction.Unusable("the record has no eventName");
    }
    String action = "kms:" + eventName.get();
    JsonNode identity = record.object("userIdentity");
    String eventType = record.text("eventType").orElse("AwsApiCall");
    if (!eventType.equals("AwsApiCall")) {
      return new Reconstruction.NotKeyPolicy(
          action,
          null,
          "a KMS event of type " + eventType + ", not a request made to KMS; no policy decided it");
    }
    if (identity.isMissingNode()) {
      return new Reconstruction.Unusable("the record has no userIdentity");
    }
    if (TrailRecord.text(identity, "type").isEmpty()
        && "AWS Internal".equals(TrailRecord.text(identity, "invokedBy").orElse(null))) {
      return new Reconstruction.NotKeyPolicy(
          action, null, "KMS made this call itself (invokedBy \"AWS Internal\")");
    }
    if (action.equals("kms:ReEncrypt")) {
      return new Reconstruction.Unusable(
          "a ReEncrypt record is two requests (kms:ReEncryptFrom on the source key,"
              + " kms:ReEncryptTo on the destination key); explain does not rebuild them yet");
    }
    if (KmsCatalog.NON_KEY_ACTIONS.contains(action)) {
      return new Reconstruction.NotKeyPolicy(
          action, null, action + " uses no KMS key: IAM policies alone authorise it");
    }
    if (!catalog.actions().contains(action)) {
      return new Reconstruction.Unusable(
          action
              + " is not an action of the KMS catalogue this tool has (Service Authorization"
              + " Reference "
              + catalog.sourceVersion()
              + ")");
    }
    String keyArn = keyArn(record).orElse(null);
    if (keyArn == null) {
      return new Reconstruction.Unusable(
          "the record names no key ARN (in resources, responseElements.keyId or"
              + " requestParameters.keyId)");
    }
    DenialMessage message =
        DenialMessage.parse(record.text("errorMessage").orElse(null)).orElse(null);
    return new Reading(record, action, KeyContext.parse(keyArn).orElseThrow(), identity, message)
        .rebuild();
  }

  /** The key ARN: from {@code resources}, else the response's or the request's key id. */
  static Optional<String> keyArn(TrailRecord record) {
    for (String arn : record.resourceArns()) {
      if (KeyContext.parse(arn).isPresent()) {
        return Optional.of(arn);
      }
    }
    JsonNode response = record.object("responseElements");
    Optional<String> responseKey = TrailRecord.text(response, "keyId");
    if (responseKey.isPresent() && KeyContext.parse(responseKey.get()).isPresent()) {
      return responseKey;
    }
    JsonNode request = record.object("requestParameters");
    Optional<String> keyId = TrailRecord.text(request, "keyId");
    if (keyId.isEmpty()) {
      return Optional.empty();
    }
    if (KeyContext.parse(keyId.get()).isPresent()) {
      return keyId;
    }
    Optional<String> region = record.text("awsRegion");
    Optional<String> account = record.text("recipientAccountId");
    if (KEY_ID.matcher(keyId.get()).matches() && region.isPresent() && account.isPresent()) {
      String partition = region.get().startsWith("cn-") ? "aws-cn" : "aws";
      String arn =
          "arn:" + partition + ":kms:" + region.get() + ":" + account.get() + ":key/" + keyId.get();
      return KeyContext.parse(arn).map(KeyContext::keyArn);
    }
    return Optional.empty();
  }

  /** The reconstruction of one record. */
  private final class Reading {
    private final TrailRecord record;
    private final String action;
    private final KeyContext key;
    private final JsonNode identity;
    private final DenialMessage message;
    private final Map<String, List<String>> context = new LinkedHashMap<>();
    private final Set<String> absent = new HashSet<>();
    private final List<String> notes = new ArrayList<>();
    private Caller caller;
    private String callerAccount;
    private String callerHint;
    private String sessionName;
    private Boolean identityPolicyAllows;

    Reading(
        TrailRecord record,
        String action,
        KeyContext key,
        JsonNode identity,
        DenialMessage message) {
      this.record = record;
      this.action = action;
      this.key = key;
      this.identity = identity;
      this.message = message;
    }

    Reconstruction rebuild() {
      String problem = caller();
      if (problem != null) {
        return new Reconstruction.Unusable(problem);
      }
      problem = time();
      if (problem != null) {
        return new Reconstruction.Unusable(problem);
      }
      network();
      session();
      parameters();
      identityFromMessage();
      return new Reconstruction.Rebuilt(
          new RebuiltRequest(
              action,
              key.keyArn(),
              caller,
              callerAccount,
              callerHint,
              sessionName,
              identityPolicyAllows,
              context,
              absent,
              notes),
          message);
    }

    /** Sets the caller from userIdentity; returns what is wrong, or {@code null}. */
    private String caller() {
      String type = TrailRecord.text(identity, "type").orElse(null);
      if (type == null) {
        return "userIdentity has no type";
      }
      String arn = TrailRecord.text(identity, "arn").orElse(null);
      String account = TrailRecord.text(identity, "accountId").orElse(null);
      String principalId = TrailRecord.text(identity, "principalId").orElse(null);
      switch (type) {
        case "IAMUser", "FederatedUser" -> {
          if (arn == null) {
            return "userIdentity of type " + type + " has no arn";
          }
          Optional<Caller> parsed = Caller.parse(arn);
          if (parsed.isEmpty() || !(parsed.get() instanceof Caller.Iam)) {
            return "userIdentity.arn '" + arn + "' is not an IAM principal ARN";
          }
          caller = parsed.get();
          TrailRecord.text(identity, "userName")
              .filter(n -> type.equals("IAMUser"))
              .ifPresent(n -> put("aws:username", n));
        }
        case "AssumedRole" -> {
          String problem = assumedRole(arn);
          if (problem != null) {
            return problem;
          }
        }
        case "Root" -> {
          String rootArn =
              arn != null
                  ? arn
                  : account == null
                      ? null
                      : "arn:" + key.partition() + ":iam::" + account + ":root";
          if (rootArn == null || Caller.parse(rootArn).isEmpty()) {
            return "userIdentity of type Root has neither an arn nor an accountId";
          }
          caller = Caller.parse(rootArn).get();
        }
        case "AWSService" -> {
          String service = TrailRecord.text(identity, "invokedBy").orElse(null);
          if (service == null || !service.matches("[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?")) {
            return "userIdentity of type AWSService names no service in invokedBy";
          }
          caller = new Caller.Service(service);
          callerAccount = key.accountId();
          put("aws:ViaAWSService", "false");
          absent.add("kms:viaservice");
          absent.add("aws:principalorgid");
          absent.add("aws:principalorgpaths");
          absent.add("aws:principaltag/");
          return null;
        }
        case "AWSAccount" -> {
          String problem = accountOnly(account, principalId);
          if (problem != null) {
            return problem;
          }
        }
        case "SAMLUser", "WebIdentityUser", "IdentityCenterUser" -> {
          return "userIdentity type "
              + type
              + " is recorded for sign-in and federation calls; KMS calls of such users are"
              + " recorded as AssumedRole";
        }
        default -> {
          return "userIdentity type '" + type + "' is not one this tool knows";
        }
      }
      if (caller instanceof Caller.Iam iam) {
        callerAccount = iam.accountId();
      }
      if (principalId != null) {
        put("aws:userid", principalId);
      }
      if (!type.equals("IAMUser")) {
        absent.add("aws:username");
      }
      return null;
    }

    private String assumedRole(String arn) {
      JsonNode issuer =
          TrailRecord.object(TrailRecord.object(identity, "sessionContext"), "sessionIssuer");
      String roleArn = TrailRecord.text(issuer, "arn").orElse(null);
      Optional<Caller> session = arn == null ? Optional.empty() : Caller.parse(arn);
      if (session.isEmpty() && roleArn == null) {
        return "userIdentity of type AssumedRole has no session arn and no sessionIssuer.arn";
      }
      String name = sessionName(arn);
      if (roleArn != null) {
        try {
          Caller.Iam role = new Caller.Iam(roleArn, name);
          if (!role.isRole()) {
            return "sessionContext.sessionIssuer.arn '" + roleArn + "' is not a role ARN";
          }
          caller = role;
        } catch (IllegalArgumentException e) {
          return "sessionContext.sessionIssuer.arn '" + roleArn + "' is not an IAM role ARN";
        }
      } else {
        caller = session.get();
      }
      return null;
    }

    /** The session name of an assumed-role ARN, whatever characters it holds. */
    private static String sessionName(String arn) {
      int role = arn == null ? -1 : arn.indexOf(":assumed-role/");
      int slash = role < 0 ? -1 : arn.indexOf('/', role + ":assumed-role/".length());
      return slash < 0 ? null : arn.substring(slash + 1);
    }

    /** A cross-account call, which the key owner's trail attributes to the account only. */
    private String accountOnly(String account, String principalId) {
      if (account == null || !ACCOUNT.matcher(account).matches()) {
        return "userIdentity of type AWSAccount has no 12-digit accountId";
      }
      callerAccount = account;
      if (message != null && message.caller() != null) {
        Optional<Caller> named = Caller.parse(message.caller());
        if (named.isPresent()
            && named.get() instanceof Caller.Iam iam
            && iam.accountId().equals(account)) {
          caller = iam;
          notes.add("the caller " + iam.text() + " is named by the record's errorMessage");
          return null;
        }
      }
      if (account.equals(principalId)) {
        caller =
            Caller.parse("arn:" + key.partition() + ":iam::" + account + ":root").orElseThrow();
        return null;
      }
      if (principalId != null && principalId.startsWith("AROA")) {
        callerHint = "role";
        int colon = principalId.indexOf(':');
        sessionName = colon < 0 ? null : principalId.substring(colon + 1);
      } else if (principalId != null && principalId.startsWith("AIDA")) {
        callerHint = "user";
      }
      if (principalId != null) {
        put("aws:userid", principalId);
      }
      notes.add(
          "the record names only the caller's account "
              + account
              + " (a cross-account call); each principal of it that a policy names is tried");
      return null;
    }

    private String time() {
      String text = record.text("eventTime").orElse(null);
      if (text == null) {
        return "the record has no eventTime";
      }
      Optional<Instant> instant = instant(text);
      if (instant.isEmpty()) {
        return "eventTime '" + text + "' is not a time (expected 2025-06-03T09:14:07Z)";
      }
      put("aws:CurrentTime", instant.get().toString());
      put("aws:EpochTime", Long.toString(instant.get().getEpochSecond()));
      return null;
    }

    private void network() {
      String ip = record.text("sourceIPAddress").orElse(null);
      String vpce = record.text("vpcEndpointId").orElse(null);
      boolean address = ip != null && isAddress(ip);
      if (vpce != null) {
        put("aws:SourceVpce", vpce);
        absent.add("aws:sourceip");
        if (address) {
          put("aws:VpcSourceIp", ip);
        }
      } else {
        absent.add("aws:sourcevpce");
        absent.add("aws:sourcevpc");
        absent.add("aws:sourcevpcarn");
        absent.add("aws:vpcsourceip");
        absent.add("aws:vpceaccount");
        absent.add("aws:vpceorgid");
        absent.add("aws:vpceorgpaths");
        if (address) {
          put("aws:SourceIp", ip);
        } else {
          absent.add("aws:sourceip");
        }
      }
      record.text("userAgent").ifPresent(agent -> put("aws:UserAgent", agent));
      String invokedBy = TrailRecord.text(identity, "invokedBy").orElse(null);
      if (caller instanceof Caller.Service) {
        return;
      }
      Matcher service = invokedBy == null ? null : SERVICE.matcher(invokedBy);
      if (service != null && service.matches()) {
        String suffix = key.partition().equals("aws-cn") ? ".amazonaws.com.cn" : ".amazonaws.com";
        String via = service.group(1) + "." + key.region() + suffix;
        put("kms:ViaService", via);
        put("aws:ViaAWSService", "true");
        notes.add("kms:ViaService " + via + " from invokedBy " + invokedBy);
        if (GRANT_ACTIONS.contains(action)) {
          put("kms:GrantIsForAWSResource", "true");
        }
      } else {
        absent.add("kms:viaservice");
        absent.add("aws:calledvia");
        absent.add("aws:calledviafirst");
        absent.add("aws:calledvialast");
        put("aws:ViaAWSService", "false");
        if (GRANT_ACTIONS.contains(action)) {
          put("kms:GrantIsForAWSResource", "false");
        }
      }
    }

    private void session() {
      JsonNode sessionContext = TrailRecord.object(identity, "sessionContext");
      JsonNode attributes = TrailRecord.object(sessionContext, "attributes");
      Optional<String> mfa = TrailRecord.text(attributes, "mfaAuthenticated");
      if (mfa.isPresent()) {
        put("aws:MultiFactorAuthPresent", mfa.get().toLowerCase(Locale.ROOT));
        if (!mfa.get().equalsIgnoreCase("true")) {
          absent.add("aws:multifactorauthage");
        }
      } else if (sessionContext.isMissingNode() && caller instanceof Caller.Iam) {
        // Long-term credentials: no session, so neither MFA key is in the request.
        absent.add("aws:multifactorauthpresent");
        absent.add("aws:multifactorauthage");
        absent.add("aws:tokenissuetime");
      }
      TrailRecord.text(attributes, "creationDate")
          .flatMap(RequestBuilder::instant)
          .ifPresent(t -> put("aws:TokenIssueTime", t.toString()));
      Optional<String> sourceIdentity = TrailRecord.text(sessionContext, "sourceIdentity");
      if (sourceIdentity.isPresent()) {
        put("aws:SourceIdentity", sourceIdentity.get());
      } else if (!sessionContext.isMissingNode()) {
        absent.add("aws:sourceidentity");
      }
      TrailRecord.text(TrailRecord.object(identity, "webIdFederationData"), "federatedProvider")
          .ifPresent(p -> put("aws:FederatedProvider", p));
    }

    private void parameters() {
      put("aws:ResourceAccount", key.accountId());
      JsonNode request = record.object("requestParameters");
      JsonNode encryptionContext = TrailRecord.object(request, "encryptionContext");
      if (encryptionContext.isObject() && encryptionContext.size() > 0) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : encryptionContext.properties()) {
          keys.add(e.getKey());
          put("kms:EncryptionContext:" + e.getKey(), e.getValue().asText());
        }
        put("kms:EncryptionContextKeys", keys);
      } else {
        absent.add("kms:encryptioncontext:");
        absent.add("kms:encryptioncontextkeys");
      }
      for (Map.Entry<String, String> p : PARAMETER_KEYS.entrySet()) {
        TrailRecord.text(request, p.getKey()).ifPresent(v -> put(p.getValue(), v));
      }
      if (TrailRecord.text(request, "retiringPrincipal").isEmpty()) {
        absent.add("kms:retiringprincipal");
      }
      JsonNode operations = TrailRecord.field(request, "operations");
      if (operations.isArray()) {
        List<String> list = new ArrayList<>();
        operations.forEach(o -> list.add(o.asText()));
        put("kms:GrantOperations", list);
      }
      JsonNode constraints = TrailRecord.object(request, "constraints");
      if (!TrailRecord.field(constraints, "encryptionContextEquals").isMissingNode()) {
        put("kms:GrantConstraintType", "EncryptionContextEquals");
      } else if (!TrailRecord.field(constraints, "encryptionContextSubset").isMissingNode()) {
        put("kms:GrantConstraintType", "EncryptionContextSubset");
      } else {
        absent.add("kms:grantconstrainttype");
      }
      String keyId = TrailRecord.text(request, "keyId").orElse("");
      int alias = keyId.indexOf("alias/");
      if (alias >= 0) {
        put("kms:RequestAlias", keyId.substring(alias));
      } else {
        absent.add("kms:requestalias");
      }
      tags(request);
    }

    private void tags(JsonNode request) {
      JsonNode tags = TrailRecord.field(request, "tags");
      List<String> tagKeys = new ArrayList<>();
      for (JsonNode tag : tags) {
        Optional<String> k = TrailRecord.text(tag, "tagKey");
        if (k.isPresent()) {
          tagKeys.add(k.get());
          put("aws:RequestTag/" + k.get(), TrailRecord.text(tag, "tagValue").orElse(""));
        }
      }
      for (JsonNode k : TrailRecord.field(request, "tagKeys")) {
        tagKeys.add(k.asText());
      }
      if (tagKeys.isEmpty()) {
        absent.add("aws:requesttag/");
        absent.add("aws:tagkeys");
      } else {
        put("aws:TagKeys", tagKeys);
      }
    }

    private void identityFromMessage() {
      if (message == null || message.kind() != PolicyKind.IDENTITY_POLICY) {
        return;
      }
      identityPolicyAllows = false;
      notes.add(
          message.explicit()
              ? "an identity-based policy denies " + action + " explicitly, says the errorMessage"
              : "no identity-based policy allows " + action + ", says the errorMessage");
    }

    private void put(String conditionKey, String value) {
      put(conditionKey, List.of(value));
    }

    /** Adds a key the action can carry (Service Authorization Reference); others are dropped. */
    private void put(String conditionKey, List<String> values) {
      if (catalog.available(action, conditionKey.toLowerCase(Locale.ROOT))) {
        context.put(conditionKey, List.copyOf(values));
      }
    }
  }

  /** Whether {@code text} is an IP address rather than a service's DNS name. */
  static boolean isAddress(String text) {
    Matcher v4 = IPV4.matcher(text);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          return false;
        }
      }
      return true;
    }
    return IPV6.matcher(text).matches() && text.chars().filter(c -> c == ':').count() >= 2;
  }

  /** An instant in ISO-8601, in Lake's {@code yyyy-MM-dd HH:mm:ss}, or in ISO basic form. */
  static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      // try the other forms
    }
    try {
      return Optional.of(LocalDateTime.parse(text, SPACED).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      // try the other forms
    }
    try {
      return Optional.of(OffsetDateTime.parse(text, BASIC).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
