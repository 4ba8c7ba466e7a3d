package dev.mrkpolicyguard.engine.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The KMS actions and the condition keys each one supports, from the Service Authorization
 * Reference (generated into {@code kms-catalog.json}; see {@code policy-engine/tools/README.md}),
 * and the global {@code aws:} condition keys ({@code global-condition-keys.json}).
 */
public final class KmsCatalog {
  /**
   * The class of KMS actions that do not exist yet. Only patterns matching every action of the
   * service ({@code *}, {@code kms:*}) can match it, since its name contains characters no real
   * action name has.
   */
  public static final String FUTURE_ACTION = "kms:<future action>";

  private static final List<String> WITNESS_ORDER =
      List.of(
          "Decrypt",
          "Encrypt",
          "GenerateDataKey",
          "ReEncryptFrom",
          "ReEncryptTo",
          "GenerateDataKeyWithoutPlaintext",
          "CreateGrant",
          "Sign",
          "Verify",
          "GenerateMac",
          "PutKeyPolicy",
          "ScheduleKeyDeletion",
          "DisableKey",
          "DescribeKey",
          "GetKeyPolicy");

  private static volatile KmsCatalog defaultCatalog;

  private final List<String> actions;
  private final Map<String, Set<String>> keysByAction;
  private final List<String> keyTemplates;
  private final Map<String, KeyInfo> keys;
  private final String sourceVersion;
  private final Map<String, Map<String, Boolean>> availability =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Type and presence of one condition key. */
  public record KeyInfo(String name, String type, boolean alwaysPresent) {
    /** Whether the key carries a set of values. */
    public boolean multiValued() {
      return type.startsWith("ArrayOf");
    }
  }

  private KmsCatalog(
      List<String> actions,
      Map<String, Set<String>> keysByAction,
      Map<String, KeyInfo> keys,
      String sourceVersion) {
    this.actions = List.copyOf(actions);
    this.keysByAction = Map.copyOf(keysByAction);
    this.keys = Map.copyOf(keys);
    this.sourceVersion = sourceVersion;
    List<String> templates = new ArrayList<>();
    for (String key : keys.keySet()) {
      int variable = key.indexOf("${");
      if (variable > 0) {
        templates.add(key);
      }
    }
    this.keyTemplates = List.copyOf(templates);
  }

  /** The catalogue shipped in the jar. */
  public static KmsCatalog standard() {
    KmsCatalog catalog = defaultCatalog;
    if (catalog == null) {
      synchronized (KmsCatalog.class) {
        if (defaultCatalog == null) {
          defaultCatalog = load();
        }
        catalog = defaultCatalog;
      }
    }
    return catalog;
  }

  private static KmsCatalog load() {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode kms = read(mapper, "kms-catalog.json");
    JsonNode global = read(mapper, "global-condition-keys.json");
    Map<String, KeyInfo> keys = new HashMap<>();
    for (JsonNode key : kms.get("conditionKeys")) {
      String name = key.get("name").asText().toLowerCase(Locale.ROOT);
      keys.put(name, new KeyInfo(name, key.get("type").asText(), false));
    }
    for (JsonNode key : global.get("conditionKeys")) {
      String name = key.get("name").asText().toLowerCase(Locale.ROOT);
      boolean always = "always".equals(key.path("presence").asText());
      keys.put(name, new KeyInfo(name, key.get("type").asText(), always));
    }
    List<String> names = new ArrayList<>();
    Map<String, Set<String>> byAction = new LinkedHashMap<>();
    for (JsonNode action : kms.get("actions")) {
      String name = "kms:" + action.get("name").asText();
      names.add(name);
      Set<String> actionKeys = new HashSet<>();
      for (JsonNode key : action.get("conditionKeys")) {
        actionKeys.add(key.asText().toLowerCase(Locale.ROOT));
      }
      byAction.put(name.toLowerCase(Locale.ROOT), actionKeys);
    }
    names.sort(
        (a, b) -> {
          int ra = rank(a);
          int rb = rank(b);
          return ra != rb ? Integer.compare(ra, rb) : a.compareTo(b);
        });
    return new KmsCatalog(names, byAction, keys, kms.get("source").get("version").asText());
  }

  private static int rank(String action) {
    int index = WITNESS_ORDER.indexOf(action.substring("kms:".length()));
    return index < 0 ? WITNESS_ORDER.size() : index;
  }

  private static JsonNode read(ObjectMapper mapper, String name) {
    try (InputStream in =
        KmsCatalog.class.getResourceAsStream("/dev/mrkpolicyguard/engine/" + name)) {
      if (in == null) {
        throw new IllegalStateException("resource missing from the jar: " + name);
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** Every KMS action ({@code kms:Decrypt}, ...), most telling witnesses first. */
  public List<String> actions() {
    return actions;
  }

  /**
   * Actions that use no KMS key, authorised by IAM policies alone: a key policy statement granting
   * them grants nothing (KMS API Reference, each operation's "Required permissions"; the Service
   * Authorization Reference lists them without the {@code key} resource type).
   */
  public static final Set<String> NON_KEY_ACTIONS =
      Set.of(
          "kms:CreateKey",
          "kms:GenerateRandom",
          "kms:ListKeys",
          "kms:ListAliases",
          "kms:ListRetirableGrants",
          "kms:ConnectCustomKeyStore",
          "kms:CreateCustomKeyStore",
          "kms:DeleteCustomKeyStore",
          "kms:DescribeCustomKeyStores",
          "kms:DisconnectCustomKeyStore",
          "kms:UpdateCustomKeyStore");

  private static final Set<String> SYMMETRIC_ENCRYPTION =
      Set.of(
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:GenerateDataKeyPair",
          "kms:GenerateDataKeyPairWithoutPlaintext");
  private static final Set<String> CRYPTOGRAPHIC =
      Set.of(
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:GenerateDataKeyPair",
          "kms:GenerateDataKeyPairWithoutPlaintext",
          "kms:Sign",
          "kms:Verify",
          "kms:GenerateMac",
          "kms:VerifyMac",
          "kms:DeriveSharedSecret",
          "kms:GetPublicKey");

  /**
   * Whether a request for {@code action} can reach a key with this usage and spec (either may be
   * null when unknown): key-resource actions only, and cryptographic operations only where the key
   * supports them (KMS Developer Guide, "Key spec reference"; KMS API Reference for each
   * operation).
   */
  public static boolean possibleOn(String action, String keyUsage, String keySpec) {
    if (NON_KEY_ACTIONS.contains(action)) {
      return false;
    }
    if (keyUsage == null || !CRYPTOGRAPHIC.contains(action)) {
      return true;
    }
    boolean symmetric = "SYMMETRIC_DEFAULT".equals(keySpec);
    return switch (keyUsage) {
      case "ENCRYPT_DECRYPT" ->
          symmetric || keySpec == null
              ? SYMMETRIC_ENCRYPTION.contains(action)
                  || (keySpec == null && action.equals("kms:GetPublicKey"))
              : Set.of(
                      "kms:Encrypt",
                      "kms:Decrypt",
                      "kms:ReEncryptFrom",
                      "kms:ReEncryptTo",
                      "kms:GetPublicKey")
                  .contains(action);
      case "SIGN_VERIFY" -> Set.of("kms:Sign", "kms:Verify", "kms:GetPublicKey").contains(action);
      case "GENERATE_VERIFY_MAC" -> Set.of("kms:GenerateMac", "kms:VerifyMac").contains(action);
      case "KEY_AGREEMENT" -> Set.of("kms:DeriveSharedSecret", "kms:GetPublicKey").contains(action);
      default -> true;
    };
  }

  /** The version of the Service Authorization Reference data the catalogue was built from. */
  public String sourceVersion() {
    return sourceVersion;
  }

  /** What is known about a condition key (lower case), resolving templates such as tag keys. */
  public Optional<KeyInfo> key(String normalizedKey) {
    KeyInfo info = keys.get(normalizedKey);
    if (info != null) {
      return Optional.of(info);
    }
    return template(normalizedKey).map(keys::get);
  }

  private Optional<String> template(String normalizedKey) {
    for (String template : keyTemplates) {
      String prefix = template.substring(0, template.indexOf("${"));
      if (normalizedKey.startsWith(prefix) && normalizedKey.length() > prefix.length()) {
        return Optional.of(template);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a request for {@code action} can carry {@code normalizedKey}. Global keys can be in any
   * request; a KMS key only in the actions the reference lists it for; a key of another service
   * never. Unknown actions and unknown {@code kms:} keys are assumed to allow any key, so that
   * nothing is ruled out that KMS might send.
   */
  public boolean available(String action, String normalizedKey) {
    Map<String, Boolean> forAction = availability.get(action);
    if (forAction == null) {
      forAction =
          availability.computeIfAbsent(action, a -> new java.util.concurrent.ConcurrentHashMap<>());
    }
    Boolean known = forAction.get(normalizedKey);
    if (known == null) {
      known = computeAvailable(action, normalizedKey);
      forAction.put(normalizedKey, known);
    }
    return known;
  }

  private boolean computeAvailable(String action, String normalizedKey) {
    if (normalizedKey.startsWith("aws:")) {
      return true;
    }
    if (!normalizedKey.startsWith("kms:")) {
      return false;
    }
    Set<String> actionKeys = keysByAction.get(action.toLowerCase(Locale.ROOT));
    Optional<KeyInfo> info = key(normalizedKey);
    if (actionKeys == null || info.isEmpty()) {
      return true;
    }
    return actionKeys.contains(info.get().name());
  }
}
