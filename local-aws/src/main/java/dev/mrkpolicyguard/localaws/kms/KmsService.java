package dev.mrkpolicyguard.localaws.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.Scope;
import dev.mrkpolicyguard.localaws.events.CloudTrailEvents;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.JsonInput;
import dev.mrkpolicyguard.localaws.protocol.JsonService;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * KMS ({@code TrentService}) over JSON 1.1: key lifecycle, multi-Region replication, key policies,
 * aliases and tags, with the KMS key-state rules.
 */
public final class KmsService implements JsonService {
  private static final Set<String> KEY_SPECS =
      Set.of(
          "RSA_2048",
          "RSA_3072",
          "RSA_4096",
          "ECC_NIST_P256",
          "ECC_NIST_P384",
          "ECC_NIST_P521",
          "ECC_SECG_P256K1",
          "SYMMETRIC_DEFAULT",
          "HMAC_224",
          "HMAC_256",
          "HMAC_384",
          "HMAC_512",
          "SM2",
          "ML_DSA_44",
          "ML_DSA_65",
          "ML_DSA_87",
          "ECC_NIST_EDWARDS25519");
  private static final Set<String> KEY_USAGES =
      Set.of("SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT");
  private static final Set<String> ORIGINS =
      Set.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
  private static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");
  private static final Pattern ALIAS_NAME = Pattern.compile("^[a-zA-Z0-9:/_-]+$");
  private static final Pattern POLICY_NAME = Pattern.compile("^[\\w]+$");

  private final KmsStore store;
  private final KeyResolver resolver;
  private final LockoutCheck lockoutCheck;
  private final KmsTrail trail;

  public KmsService(KmsStore store, LockoutCheck lockoutCheck) {
    this(store, lockoutCheck, new CloudTrailEvents());
  }

  /** A KMS that also delivers the CloudTrail events of its write calls to {@code events}. */
  public KmsService(KmsStore store, LockoutCheck lockoutCheck, CloudTrailEvents events) {
    this.store = store;
    this.resolver = new KeyResolver(store);
    this.lockoutCheck = lockoutCheck;
    this.trail = new KmsTrail(events, resolver);
  }

  @Override
  public String name() {
    return "kms";
  }

  @Override
  public String targetPrefix() {
    return "TrentService";
  }

  @Override
  public JsonNode handle(String operation, JsonInput in, RequestContext ctx) {
    synchronized (store) {
      store.purgeDue();
      JsonNode out;
      try {
        out = serve(operation, in, ctx);
      } catch (ApiException e) {
        trail.failed(operation, in, e, ctx);
        throw e;
      }
      trail.succeeded(operation, in, out, ctx);
      return out;
    }
  }

  private JsonNode serve(String operation, JsonInput in, RequestContext ctx) {
    return switch (operation) {
      case "CreateKey" -> createKey(in, ctx);
      case "ReplicateKey" -> replicateKey(in, ctx);
      case "DescribeKey" -> describeKey(in, ctx);
      case "GetKeyPolicy" -> getKeyPolicy(in, ctx);
      case "PutKeyPolicy" -> putKeyPolicy(in, ctx);
      case "ListKeys" -> listKeys(in, ctx);
      case "ListAliases" -> listAliases(in, ctx);
      case "CreateAlias" -> createAlias(in, ctx);
      case "TagResource" -> tagResource(in, ctx);
      case "UntagResource" -> untagResource(in, ctx);
      case "ListResourceTags" -> listResourceTags(in, ctx);
      case "EnableKey" -> setEnabled(in, ctx, true);
      case "DisableKey" -> setEnabled(in, ctx, false);
      case "ScheduleKeyDeletion" -> scheduleKeyDeletion(in, ctx);
      case "CancelKeyDeletion" -> cancelKeyDeletion(in, ctx);
      case "UpdatePrimaryRegion" -> updatePrimaryRegion(in, ctx);
      default ->
          throw ApiException.client(
              "UnknownOperationException", "local-aws does not implement KMS " + operation);
    };
  }

  private JsonNode createKey(JsonInput in, RequestContext ctx) {
    boolean multiRegion = in.bool("MultiRegion");
    KmsKey.KeyShape shape = keyShape(in, multiRegion);
    String description = in.string("Description", 0, 8192).orElse("");
    Map<String, String> tags = tags(in);
    String keyId = KmsStore.newKeyId(multiRegion);
    KmsKey.KeyIdentity identity = new KmsKey.KeyIdentity(ctx.account(), ctx.region(), keyId);
    String policy = policyOrDefault(in, ctx, identity);
    KmsKey key = new KmsKey(identity, shape, ctx.now(), policy);
    key.primary = multiRegion;
    key.description = description;
    key.tags.putAll(tags);
    store.add(key);
    return Json.object().set("KeyMetadata", metadata(key));
  }

  private static KmsKey.KeyShape keyShape(JsonInput in, boolean multiRegion) {
    String usage = in.enumValue("KeyUsage", KEY_USAGES).orElse("ENCRYPT_DECRYPT");
    String spec = in.enumValue("KeySpec", KEY_SPECS).orElse(null);
    String legacySpec = in.enumValue("CustomerMasterKeySpec", KEY_SPECS).orElse(null);
    if (spec != null && legacySpec != null) {
      throw ApiException.validation("Specify KeySpec or CustomerMasterKeySpec, not both.");
    }
    String keySpec = spec != null ? spec : legacySpec != null ? legacySpec : "SYMMETRIC_DEFAULT";
    if (!KeySpecs.supports(keySpec, usage)) {
      throw ApiException.validation(
          "KeyUsage " + usage + " is not compatible with KeySpec " + keySpec + ".");
    }
    String origin = in.enumValue("Origin", ORIGINS).orElse("AWS_KMS");
    if (origin.equals("AWS_CLOUDHSM") || origin.equals("EXTERNAL_KEY_STORE")) {
      throw ApiException.client(
          "UnsupportedOperationException",
          "local-aws has no custom key stores; Origin " + origin + " is not supported.");
    }
    return new KmsKey.KeyShape(usage, keySpec, origin, false, multiRegion);
  }

  private String policyOrDefault(JsonInput in, RequestContext ctx, KmsKey.KeyIdentity identity) {
    if (!in.has("Policy")) {
      return KeyPolicies.defaultPolicy(identity.account());
    }
    String policy = in.required("Policy");
    String keyArn =
        "arn:aws:kms:" + identity.region() + ":" + identity.account() + ":key/" + identity.keyId();
    KeyPolicies.validate(
        policy,
        new KeyPolicies.PolicyChange(
            ctx.principal().arn(),
            keyArn,
            in.bool("BypassPolicyLockoutSafetyCheck"),
            lockoutCheck));
    return policy;
  }

  private JsonNode replicateKey(JsonInput in, RequestContext ctx) {
    KmsKey primary = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    String replicaRegion = in.required("ReplicaRegion", 1, 32);
    checkReplicable(primary, replicaRegion);
    String description = in.string("Description", 0, 8192).orElse("");
    Map<String, String> tags = tags(in);
    KmsKey.KeyIdentity identity =
        new KmsKey.KeyIdentity(primary.account, replicaRegion, primary.keyId);
    String policy = policyOrDefault(in, ctx, identity);
    KmsKey replica =
        new KmsKey(
            identity,
            new KmsKey.KeyShape(primary.keyUsage, primary.keySpec, primary.origin, false, true),
            ctx.now(),
            policy);
    replica.description = description;
    replica.tags.putAll(tags);
    store.add(replica);
    related(primary).forEach(k -> k.touch(ctx.now()));
    ObjectNode out = Json.object();
    out.set("ReplicaKeyMetadata", metadata(replica));
    out.put("ReplicaPolicy", policy);
    out.set("ReplicaTags", tagList(replica.tags));
    return out;
  }

  private void checkReplicable(KmsKey primary, String replicaRegion) {
    if (!REGION.matcher(replicaRegion).matches()) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + replicaRegion
              + "' at 'replicaRegion' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: ^([a-z]+-){2,3}\\d+$");
    }
    if (!primary.multiRegion || !primary.primary) {
      throw ApiException.client(
          "UnsupportedOperationException",
          primary.arn()
              + " is not a multi-Region primary key; only primary keys can be replicated.");
    }
    if (primary.state == KeyState.DISABLED) {
      throw ApiException.client("DisabledException", primary.arn() + " is disabled.");
    }
    if (primary.state.pendingDeletion()) {
      throw invalidState(primary);
    }
    if (replicaRegion.equals(primary.region)
        || store.find(new Scope(primary.account, replicaRegion), primary.keyId).isPresent()) {
      throw ApiException.client(
          "AlreadyExistsException",
          "arn:aws:kms:"
              + replicaRegion
              + ":"
              + primary.account
              + ":key/"
              + primary.keyId
              + " already exists; there can be only one key of this ID per Region.");
    }
  }

  private JsonNode describeKey(JsonInput in, RequestContext ctx) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), true);
    return Json.object().set("KeyMetadata", metadata(key));
  }

  private JsonNode getKeyPolicy(JsonInput in, RequestContext ctx) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    checkPolicyName(in, key);
    return Json.object().put("Policy", key.policy).put("PolicyName", "default");
  }

  private JsonNode putKeyPolicy(JsonInput in, RequestContext ctx) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    checkPolicyName(in, key);
    String policy = in.required("Policy");
    checkCustomerManaged(key, "kms:PutKeyPolicy", ctx);
    KeyPolicies.validate(
        policy,
        new KeyPolicies.PolicyChange(
            ctx.principal().arn(),
            key.arn(),
            in.bool("BypassPolicyLockoutSafetyCheck"),
            lockoutCheck));
    key.policy = policy;
    key.touch(ctx.now());
    return Json.object();
  }

  private static void checkPolicyName(JsonInput in, KmsKey key) {
    String name = in.string("PolicyName", 1, 128).orElse("default");
    if (!POLICY_NAME.matcher(name).matches()) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + name
              + "' at 'policyName' failed to satisfy"
              + " constraint: Member must satisfy regular expression pattern: [\\w]+");
    }
    if (!name.equals("default")) {
      throw ApiException.client(
          "NotFoundException",
          "No such policy exists: " + name + " on " + key.arn() + "; the only name is 'default'.");
    }
  }

  private JsonNode listKeys(JsonInput in, RequestContext ctx) {
    int limit = in.integer("Limit", 1, 1000).orElse(100);
    List<KmsKey> all = store.keysIn(scope(ctx));
    Page<KmsKey> page = Page.of(all, k -> k.keyId, in.string("Marker").orElse(null), limit);
    ArrayNode keys = Json.MAPPER.createArrayNode();
    page.items().forEach(k -> keys.add(Json.object().put("KeyId", k.keyId).put("KeyArn", k.arn())));
    ObjectNode out = Json.object();
    out.set("Keys", keys);
    return page.writeMarker(out);
  }

  private JsonNode listAliases(JsonInput in, RequestContext ctx) {
    int limit = in.integer("Limit", 1, 100).orElse(50);
    String keyFilter =
        in.string("KeyId", 1, 2048).map(id -> resolver.resolve(ctx, id, false).keyId).orElse(null);
    List<KmsStore.Alias> aliases =
        store.aliasesIn(scope(ctx)).stream()
            .filter(a -> keyFilter == null || a.targetKeyId().equals(keyFilter))
            .toList();
    Page<KmsStore.Alias> page =
        Page.of(aliases, KmsStore.Alias::name, in.string("Marker").orElse(null), limit);
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (KmsStore.Alias alias : page.items()) {
      list.add(
          Json.object()
              .put("AliasName", alias.name())
              .put("AliasArn", aliasArn(ctx, alias.name()))
              .put("TargetKeyId", alias.targetKeyId())
              .put("CreationDate", Json.epochSeconds(alias.created()))
              .put("LastUpdatedDate", Json.epochSeconds(alias.updated())));
    }
    ObjectNode out = Json.object();
    out.set("Aliases", list);
    return page.writeMarker(out);
  }

  private JsonNode createAlias(JsonInput in, RequestContext ctx) {
    String name = in.required("AliasName", 1, 256);
    if (!ALIAS_NAME.matcher(name).matches()) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + name
              + "' at 'aliasName' failed to satisfy"
              + " constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
    }
    if (!name.startsWith("alias/") || name.equals("alias/")) {
      throw ApiException.client(
          "InvalidAliasNameException", "Alias " + name + " must begin with 'alias/'.");
    }
    if (name.startsWith("alias/aws/")) {
      throw ApiException.client(
          "InvalidAliasNameException",
          "Alias " + name + " uses the reserved prefix 'alias/aws/' of AWS managed keys.");
    }
    KmsKey target = resolver.resolve(ctx, in.required("TargetKeyId", 1, 2048), false);
    if (target.state.pendingDeletion()) {
      throw invalidState(target);
    }
    if (store.alias(scope(ctx), name).isPresent()) {
      throw ApiException.client(
          "AlreadyExistsException",
          "An alias with the name " + aliasArn(ctx, name) + " already exists");
    }
    store.putAlias(scope(ctx), new KmsStore.Alias(name, target.keyId, ctx.now(), ctx.now()));
    return Json.object();
  }

  private JsonNode tagResource(JsonInput in, RequestContext ctx) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    checkCustomerManaged(key, "kms:TagResource", ctx);
    in.requirePresent("Tags");
    Map<String, String> tags = tags(in);
    if (key.state.pendingDeletion()) {
      throw invalidState(key);
    }
    Map<String, String> merged = new LinkedHashMap<>(key.tags);
    merged.putAll(tags);
    if (merged.size() > 50) {
      throw ApiException.client(
          "LimitExceededException",
          "A KMS key can have at most 50 tags; "
              + key.arn()
              + " would have "
              + merged.size()
              + ".");
    }
    key.tags.putAll(tags);
    key.touch(ctx.now());
    return Json.object();
  }

  private JsonNode untagResource(JsonInput in, RequestContext ctx) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    checkCustomerManaged(key, "kms:UntagResource", ctx);
    if (key.state.pendingDeletion()) {
      throw invalidState(key);
    }
    in.strings("TagKeys").forEach(key.tags::remove);
    key.touch(ctx.now());
    return Json.object();
  }

  private JsonNode listResourceTags(JsonInput in, RequestContext ctx) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    int limit = in.integer("Limit", 1, 50).orElse(50);
    List<Map.Entry<String, String>> entries = List.copyOf(key.tags.entrySet());
    Page<Map.Entry<String, String>> page =
        Page.of(entries, Map.Entry::getKey, in.string("Marker").orElse(null), limit);
    Map<String, String> pageTags = new LinkedHashMap<>();
    page.items().forEach(e -> pageTags.put(e.getKey(), e.getValue()));
    ObjectNode out = Json.object();
    out.set("Tags", tagList(pageTags));
    return page.writeMarker(out);
  }

  private JsonNode setEnabled(JsonInput in, RequestContext ctx, boolean enable) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    checkCustomerManaged(key, enable ? "kms:EnableKey" : "kms:DisableKey", ctx);
    if (key.state != KeyState.ENABLED && key.state != KeyState.DISABLED) {
      throw invalidState(key);
    }
    key.state = enable ? KeyState.ENABLED : KeyState.DISABLED;
    key.touch(ctx.now());
    return Json.object();
  }

  private JsonNode scheduleKeyDeletion(JsonInput in, RequestContext ctx) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    int days = in.integer("PendingWindowInDays", 7, 30).orElse(30);
    checkCustomerManaged(key, "kms:ScheduleKeyDeletion", ctx);
    if (key.state.pendingDeletion()) {
      throw invalidState(key);
    }
    boolean hasReplicas = key.multiRegion && key.primary && related(key).size() > 1;
    ObjectNode out = Json.object().put("KeyId", key.arn());
    if (hasReplicas) {
      key.state = KeyState.PENDING_REPLICA_DELETION;
      key.pendingWindowDays = days;
    } else {
      store.waiting(key, ctx.now().plus(Duration.ofDays(days)));
      out.put("DeletionDate", Json.epochSeconds(key.deletionDate));
    }
    key.touch(ctx.now());
    return out.put("KeyState", key.state.wire()).put("PendingWindowInDays", days);
  }

  private JsonNode cancelKeyDeletion(JsonInput in, RequestContext ctx) {
    KmsKey key = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    checkCustomerManaged(key, "kms:CancelKeyDeletion", ctx);
    if (!key.state.pendingDeletion()) {
      throw invalidState(key);
    }
    key.state = KeyState.DISABLED;
    key.deletionDate = null;
    key.pendingWindowDays = null;
    key.touch(ctx.now());
    return Json.object().put("KeyId", key.arn());
  }

  private JsonNode updatePrimaryRegion(JsonInput in, RequestContext ctx) {
    KmsKey primary = resolver.resolve(ctx, in.required("KeyId", 1, 2048), false);
    String region = in.required("PrimaryRegion", 1, 32);
    if (!primary.multiRegion || !primary.primary) {
      throw ApiException.client(
          "UnsupportedOperationException",
          primary.arn()
              + " is not a multi-Region primary key; call UpdatePrimaryRegion on the primary.");
    }
    KmsKey replica =
        store
            .find(new Scope(primary.account, region), primary.keyId)
            .filter(k -> k != primary)
            .orElseThrow(
                () ->
                    ApiException.client(
                        "NotFoundException",
                        "Key " + primary.keyId + " has no replica in " + region + "."));
    for (KmsKey key : List.of(primary, replica)) {
      if (key.state.pendingDeletion()) {
        throw invalidState(key);
      }
    }
    primary.primary = false;
    replica.primary = true;
    related(primary).forEach(k -> k.touch(ctx.now()));
    return Json.object();
  }

  private void checkCustomerManaged(KmsKey key, String action, RequestContext ctx) {
    if (key.awsManaged) {
      // The AWS managed key policy grants the account only Describe*, Get* and List*, so real
      // KMS denies every change by policy evaluation (KMS developer guide, key-policy-modifying).
      throw ApiException.client(
          "AccessDeniedException",
          "User: "
              + ctx.principal().arn()
              + " is not authorized to perform: "
              + action
              + " on resource: "
              + key.arn()
              + " because it is an AWS managed key.");
    }
  }

  private ObjectNode metadata(KmsKey key) {
    return KeyMetadataView.render(key, related(key));
  }

  private List<KmsKey> related(KmsKey key) {
    return key.multiRegion ? store.related(key) : List.of(key);
  }

  private static Map<String, String> tags(JsonInput in) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonInput tag : in.objects("Tags")) {
      String key = tag.required("TagKey", 1, 128);
      String value = tag.required("TagValue", 0, 256);
      if (key.regionMatches(true, 0, "aws:", 0, 4)) {
        throw ApiException.client(
            "TagException", "Tag key " + key + " uses the reserved prefix 'aws:'.");
      }
      tags.put(key, value);
    }
    return tags;
  }

  private static ArrayNode tagList(Map<String, String> tags) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    tags.forEach((k, v) -> list.add(Json.object().put("TagKey", k).put("TagValue", v)));
    return list;
  }

  private static ApiException invalidState(KmsKey key) {
    return ApiException.client(
        "KMSInvalidStateException", key.arn() + " is " + key.state.wire() + ".");
  }

  private static Scope scope(RequestContext ctx) {
    return new Scope(ctx.account(), ctx.region());
  }

  private static String aliasArn(RequestContext ctx, String aliasName) {
    return "arn:aws:kms:" + ctx.region() + ":" + ctx.account() + ":" + aliasName;
  }
}
