package dev.mrkpolicyguard.localaws.kms;

import dev.mrkpolicyguard.localaws.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * All KMS keys and aliases, per account and Region, plus the Java API tests use to seed and inspect
 * them.
 */
public final class KmsStore {
  private final Map<Scope, Map<String, KmsKey>> keys = new LinkedHashMap<>();
  private final Map<Scope, Map<String, Alias>> aliases = new LinkedHashMap<>();

  /**
   * Every key put in PendingDeletion ({@link #waiting}), so that the purge before each request
   * looks at those only, not at every key (a fleet of thousands made each call scan them all).
   */
  private final Set<KmsKey> waitingForDeletion = new LinkedHashSet<>();

  private final Supplier<Instant> clock;

  public KmsStore(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /**
   * Seeds an AWS managed key (KeyManager AWS) with its {@code alias/aws/<service>} alias; its
   * policy cannot be changed through the API.
   *
   * @return the new key's ID
   */
  public synchronized String seedAwsManagedKey(String account, String region, String aliasName) {
    if (!aliasName.startsWith("alias/aws/")) {
      throw new IllegalArgumentException("AWS managed key aliases start with alias/aws/");
    }
    Instant now = clock.get();
    String service = aliasName.substring("alias/aws/".length());
    KmsKey key =
        new KmsKey(
            new KmsKey.KeyIdentity(account, region, UUID.randomUUID().toString()),
            new KmsKey.KeyShape("ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT", "AWS_KMS", true, false),
            now,
            KeyPolicies.awsManagedPolicy(account, region, service));
    key.description =
        "Default key that protects my " + service + " data when no other key is defined";
    add(key);
    putAlias(new Scope(account, region), new Alias(aliasName, key.keyId, now, now));
    return key.keyId;
  }

  /** The current key policy of a key, as GetKeyPolicy would return it. */
  public synchronized Optional<String> policy(String account, String region, String keyId) {
    return find(new Scope(account, region), keyId).map(k -> k.policy);
  }

  /** The key's state, as DescribeKey would report it. */
  public synchronized Optional<KeyState> state(String account, String region, String keyId) {
    return find(new Scope(account, region), keyId).map(k -> k.state);
  }

  /** A read-only copy of one key, for other services (Config items) and tests. */
  public synchronized Optional<KeySnapshot> snapshot(String account, String region, String keyId) {
    purgeDue();
    return find(new Scope(account, region), keyId).map(KeySnapshot::of);
  }

  public synchronized void reset() {
    keys.clear();
    aliases.clear();
    waitingForDeletion.clear();
  }

  static String newKeyId(boolean multiRegion) {
    if (!multiRegion) {
      return UUID.randomUUID().toString();
    }
    UUID uuid = UUID.randomUUID();
    HexFormat hex = HexFormat.of();
    return "mrk-"
        + hex.toHexDigits(uuid.getMostSignificantBits())
        + hex.toHexDigits(uuid.getLeastSignificantBits());
  }

  Instant now() {
    return clock.get();
  }

  void add(KmsKey key) {
    keys.computeIfAbsent(new Scope(key.account, key.region), s -> new LinkedHashMap<>())
        .put(key.keyId, key);
  }

  Optional<KmsKey> find(Scope scope, String keyId) {
    return Optional.ofNullable(keys.getOrDefault(scope, Map.of()).get(keyId));
  }

  List<KmsKey> keysIn(Scope scope) {
    return List.copyOf(keys.getOrDefault(scope, Map.of()).values());
  }

  /** Every Region's copy of a multi-Region key (the key itself included), oldest first. */
  List<KmsKey> related(KmsKey key) {
    List<KmsKey> result = new ArrayList<>();
    keys.forEach(
        (scope, byId) -> {
          KmsKey other = byId.get(key.keyId);
          if (scope.account().equals(key.account) && other != null) {
            result.add(other);
          }
        });
    result.sort(Comparator.comparing((KmsKey k) -> k.creationDate).thenComparing(k -> k.region));
    return result;
  }

  Optional<Alias> alias(Scope scope, String aliasName) {
    return Optional.ofNullable(aliases.getOrDefault(scope, Map.of()).get(aliasName));
  }

  List<Alias> aliasesIn(Scope scope) {
    return List.copyOf(aliases.getOrDefault(scope, Map.of()).values());
  }

  void putAlias(Scope scope, Alias alias) {
    aliases.computeIfAbsent(scope, s -> new LinkedHashMap<>()).put(alias.name(), alias);
  }

  /**
   * Deletes keys whose waiting period is over; a primary in PendingReplicaDeletion starts its own
   * waiting period once its last replica is gone (KMS ScheduleKeyDeletion).
   */
  void purgeDue() {
    if (waitingForDeletion.isEmpty()) {
      return;
    }
    Instant now = clock.get();
    List<KmsKey> due = new ArrayList<>();
    for (Iterator<KmsKey> i = waitingForDeletion.iterator(); i.hasNext(); ) {
      KmsKey k = i.next();
      if (k.state != KeyState.PENDING_DELETION) {
        i.remove(); // its deletion was cancelled
      } else if (!k.deletionDate.isAfter(now)) {
        i.remove();
        due.add(k);
      }
    }
    due.forEach(this::delete);
    for (KmsKey key : due) {
      related(key).stream()
          .filter(k -> k.state == KeyState.PENDING_REPLICA_DELETION)
          .filter(k -> related(k).size() == 1)
          .forEach(k -> startWaitingPeriod(k, now));
    }
  }

  /** Puts {@code key} in PendingDeletion until {@code date}. */
  void waiting(KmsKey key, Instant date) {
    key.state = KeyState.PENDING_DELETION;
    key.deletionDate = date;
    waitingForDeletion.add(key);
  }

  private void startWaitingPeriod(KmsKey key, Instant now) {
    waiting(key, now.plus(Duration.ofDays(key.pendingWindowDays)));
    key.pendingWindowDays = null;
    key.touch(now);
  }

  private void delete(KmsKey key) {
    Scope scope = new Scope(key.account, key.region);
    keys.getOrDefault(scope, new LinkedHashMap<>()).remove(key.keyId);
    aliases
        .getOrDefault(scope, new LinkedHashMap<>())
        .values()
        .removeIf(a -> a.targetKeyId().equals(key.keyId));
  }

  /** An alias entry: name, target key ID, creation and last update time. */
  record Alias(String name, String targetKeyId, Instant created, Instant updated) {}
}
