package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.AccountReads;
import dev.mrkpolicyguard.core.KeyDescription;
import dev.mrkpolicyguard.core.KmsKeys;
import dev.mrkpolicyguard.core.KmsRead;
import dev.mrkpolicyguard.core.ListedKey;
import dev.mrkpolicyguard.core.ReadFailure;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Captures every KMS key of the caller's account in some Regions as a snapshot document
 * (docs/snapshot.md), through the {@link KmsKeys} port the rule reads through too: the caller's
 * account once, then per Region ListKeys and ListAliases, and per key DescribeKey and GetKeyPolicy,
 * a bounded number at once. What cannot be read is recorded in the document (a policy's error, or
 * the key or Region under {@code unread}), never left out; what each failure means is decided when
 * the document is read, by {@link ReadFailure}, as the rule decides it. The live audit and export
 * both capture through this class, so auditing an export decides what the live audit did.
 */
final class FleetCapture {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KmsKeys kms;
  private final Supplier<AccountReads.Caller> caller;
  private final int concurrency;

  /** What a capture reports while it runs (from several threads at once). */
  interface Listener {
    /** {@code region}'s keys were listed: {@code keys} of them will be read. */
    void listed(String region, int keys);

    /** One key of {@code region} was read (or could not be). */
    void keyDone(String region);

    /** Something was not read that does not stop any key from being judged (e.g. aliases). */
    void warning(String message);
  }

  /**
   * A capture that reads keys through {@code kms}, identifies the account with {@code caller}
   * (sts:GetCallerIdentity) and reads at most {@code concurrency} keys at once.
   */
  FleetCapture(KmsKeys kms, Supplier<AccountReads.Caller> caller, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
    }
    this.kms = Objects.requireNonNull(kms, "kms");
    this.caller = Objects.requireNonNull(caller, "caller");
    this.concurrency = concurrency;
  }

  /**
   * The snapshot document of the keys of {@code regions}, progress to {@code listener}; or why
   * nothing could be captured (the caller could not be identified).
   */
  ReadOrError<ObjectNode> collect(List<String> regions, Listener listener) {
    AccountReads.Caller identity = caller.get();
    if (identity instanceof AccountReads.Caller.Failed failed) {
      return ReadOrError.failed(failed.explanation());
    }
    ObjectNode snapshot = NODES.objectNode();
    snapshot.put("version", 1);
    snapshot.put("account", ((AccountReads.Caller.Known) identity).account());
    regions.forEach(snapshot.putArray("regions")::add);
    snapshot.put("capturedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    ArrayNode keys = snapshot.putArray("keys");
    ArrayNode unread = snapshot.putArray("unread");
    ExecutorService pool = Pools.daemons(concurrency, "mrk-policy-guard-capture");
    try {
      List<Future<Listing>> listings = new ArrayList<>();
      for (String region : regions) {
        listings.add(pool.submit(() -> list(region, listener)));
      }
      List<Future<ObjectNode>> reads = new ArrayList<>();
      for (Future<Listing> future : listings) {
        Listing listing = Pools.join(future, "keys");
        if (listing.failure() != null) {
          unread.add(listing.failure());
          continue;
        }
        for (ListedKey key : listing.keys()) {
          reads.add(pool.submit(() -> read(listing, key, listener)));
        }
      }
      for (Future<ObjectNode> future : reads) {
        ObjectNode node = Pools.join(future, "keys");
        (node.has("metadata") ? keys : unread).add(node);
      }
    } finally {
      pool.shutdownNow();
    }
    return ReadOrError.of(snapshot);
  }

  /**
   * One Region's keys and their aliases by target key id ({@code null} when ListAliases failed), or
   * the {@code unread} entry saying why the keys could not be listed.
   */
  private record Listing(
      String region, List<ListedKey> keys, Map<String, List<String>> aliases, ObjectNode failure) {}

  private Listing list(String region, Listener listener) {
    KmsRead<List<ListedKey>> listed = kms.listKeys(region);
    if (listed instanceof KmsRead.Failed<List<ListedKey>> failed) {
      listener.listed(region, 0);
      return new Listing(region, List.of(), null, notRead(region, null, failed.failure()));
    }
    List<ListedKey> keys = ((KmsRead.Answered<List<ListedKey>>) listed).value();
    Map<String, List<String>> aliases = null;
    KmsRead<Map<String, List<String>>> named = kms.aliases(region);
    if (named instanceof KmsRead.Answered<Map<String, List<String>>> answered) {
      aliases = answered.value();
    } else {
      ReadFailure failure = ((KmsRead.Failed<Map<String, List<String>>>) named).failure();
      listener.warning(
          "kms:ListAliases failed in "
              + region
              + " ("
              + failure.code()
              + "): "
              + failure.message()
              + "; the keys of "
              + region
              + " are judged without their aliases");
    }
    listener.listed(region, keys.size());
    return new Listing(region, keys, aliases, null);
  }

  /**
   * The snapshot entry of one key, or its {@code unread} entry when DescribeKey failed. The policy
   * is read either way: a key that cannot be described may still be the primary of a replica that
   * can, and the rule reads a primary's policy without describing it.
   */
  private ObjectNode read(Listing listing, ListedKey entry, Listener listener) {
    try {
      return readKey(listing, entry);
    } finally {
      listener.keyDone(listing.region());
    }
  }

  private ObjectNode readKey(Listing listing, ListedKey entry) {
    ObjectNode key;
    KmsRead<KeyDescription> described = kms.describe(entry.keyArn());
    if (described instanceof KmsRead.Answered<KeyDescription> answered) {
      key = NODES.objectNode();
      key.put("region", listing.region());
      key.set("metadata", metadata(answered.value()));
    } else {
      ReadFailure failure = ((KmsRead.Failed<KeyDescription>) described).failure();
      key = notRead(listing.region(), entry.keyArn(), failure);
    }
    KmsRead<String> policy = kms.policy(entry.keyArn());
    if (policy instanceof KmsRead.Answered<String> answered) {
      key.put("policy", answered.value());
    } else {
      ReadFailure failure = ((KmsRead.Failed<String>) policy).failure();
      key.putObject("policyError").put("code", failure.code()).put("message", failure.message());
    }
    if (listing.aliases() != null) {
      ArrayNode aliases = key.putArray("aliases");
      listing.aliases().getOrDefault(entry.keyId(), List.of()).forEach(aliases::add);
    }
    return key;
  }

  private static ObjectNode metadata(KeyDescription key) {
    try {
      return (ObjectNode) MAPPER.readTree(key.metadataJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the key metadata is not JSON: " + key.arn(), e);
    }
  }

  private static ObjectNode notRead(String region, String keyArn, ReadFailure failure) {
    ObjectNode node = NODES.objectNode();
    node.put("region", region);
    if (keyArn != null) {
      node.put("keyArn", keyArn);
    }
    node.put("operation", failure.operation());
    node.putObject("error").put("code", failure.code()).put("message", failure.message());
    return node;
  }
}
