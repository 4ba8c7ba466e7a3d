package dev.mrkpolicyguard.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.core.ReadFailure;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Captures every KMS key of the caller's account in some Regions as a snapshot document
 * (docs/snapshot.md), with read calls only: sts:GetCallerIdentity once, then per Region
 * kms:ListKeys and kms:ListAliases, and per key kms:DescribeKey and kms:GetKeyPolicy, a bounded
 * number at once. What cannot be read after the SDK's retries is recorded in the document (a
 * policy's error, or the key or Region under {@code unread}), never left out; what each failure
 * means is decided when the document is read, by {@link ReadFailure}, as the rule decides it. The
 * live audit and export both capture through this class, so auditing an export decides what the
 * live audit did.
 */
public final class FleetCollector {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String POLICY_NAME = "default";

  private final Function<String, KmsClient> kmsInRegion;
  private final StsClient sts;
  private final int concurrency;

  /** What a capture reports while it runs (from several threads at once). */
  public interface Listener {
    /** {@code region}'s keys were listed: {@code keys} of them will be read. */
    void listed(String region, int keys);

    /** One key of {@code region} was read (or could not be). */
    void keyDone(String region);

    /** Something was not read that does not stop any key from being judged (e.g. aliases). */
    void warning(String message);
  }

  /** The outcome of a capture. */
  public sealed interface Result {
    /** The snapshot document, ready to be written or read by the snapshot reader. */
    record Captured(ObjectNode snapshot) implements Result {}

    /** Nothing could be captured: the caller could not be identified; {@code message} says why. */
    record Failed(String message) implements Result {}
  }

  /**
   * A collector that reads KMS through {@code kmsInRegion}, identifies the account with {@code sts}
   * and reads at most {@code concurrency} keys at once.
   */
  public FleetCollector(Function<String, KmsClient> kmsInRegion, StsClient sts, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
    }
    this.kmsInRegion = Objects.requireNonNull(kmsInRegion, "kmsInRegion");
    this.sts = Objects.requireNonNull(sts, "sts");
    this.concurrency = concurrency;
  }

  /** Captures the keys of {@code regions}, reporting progress to {@code listener}. */
  public Result collect(List<String> regions, Listener listener) {
    String account;
    try {
      account = sts.getCallerIdentity().account();
    } catch (SdkException e) {
      return new Result.Failed(
          "cannot identify the caller with sts:GetCallerIdentity ("
              + AwsErrors.code(e)
              + "): "
              + AwsErrors.message(e)
              + "; check the credentials (--profile, AWS_PROFILE or AWS_ACCESS_KEY_ID)");
    }
    ObjectNode snapshot = NODES.objectNode();
    snapshot.put("version", 1);
    snapshot.put("account", account);
    regions.forEach(snapshot.putArray("regions")::add);
    snapshot.put("capturedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    ArrayNode keys = snapshot.putArray("keys");
    ArrayNode unread = snapshot.putArray("unread");
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, FleetCollector::daemon);
    try {
      List<Future<Listing>> listings = new ArrayList<>();
      for (String region : regions) {
        listings.add(pool.submit(() -> list(region, listener)));
      }
      List<Future<ObjectNode>> reads = new ArrayList<>();
      for (Future<Listing> future : listings) {
        Listing listing = join(future);
        if (listing.failure() != null) {
          unread.add(listing.failure());
          continue;
        }
        for (KeyListEntry key : listing.keys()) {
          Callable<ObjectNode> read = () -> read(listing, key, listener);
          reads.add(pool.submit(read));
        }
      }
      for (Future<ObjectNode> future : reads) {
        ObjectNode node = join(future);
        (node.has("metadata") ? keys : unread).add(node);
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result.Captured(snapshot);
  }

  /**
   * One Region's keys and their aliases by target key id ({@code null} when ListAliases failed), or
   * the {@code unread} entry saying why the keys could not be listed.
   */
  private record Listing(
      String region,
      List<KeyListEntry> keys,
      Map<String, List<String>> aliases,
      ObjectNode failure) {}

  private Listing list(String region, Listener listener) {
    KmsClient kms = kmsInRegion.apply(region);
    List<KeyListEntry> keys = new ArrayList<>();
    try {
      kms.listKeysPaginator(r -> r.limit(1000)).keys().forEach(keys::add);
    } catch (SdkException e) {
      listener.listed(region, 0);
      return new Listing(region, List.of(), null, notRead(region, null, "ListKeys", e));
    }
    Map<String, List<String>> aliases = new TreeMap<>();
    try {
      for (AliasListEntry alias : kms.listAliasesPaginator(r -> r.limit(100)).aliases()) {
        if (alias.targetKeyId() != null) {
          aliases
              .computeIfAbsent(alias.targetKeyId(), k -> new ArrayList<>())
              .add(alias.aliasName());
        }
      }
    } catch (SdkException e) {
      listener.warning(
          "kms:ListAliases failed in "
              + region
              + " ("
              + AwsErrors.code(e)
              + "): "
              + AwsErrors.message(e)
              + "; the keys of "
              + region
              + " are judged without their aliases");
      aliases = null;
    }
    listener.listed(region, keys.size());
    return new Listing(region, keys, aliases, null);
  }

  /**
   * The snapshot entry of one key, or its {@code unread} entry when DescribeKey failed. The policy
   * is read either way: a key that cannot be described may still be the primary of a replica that
   * can, and the rule reads a primary's policy without describing it.
   */
  private ObjectNode read(Listing listing, KeyListEntry entry, Listener listener) {
    try {
      return readKey(listing, entry);
    } finally {
      listener.keyDone(listing.region());
    }
  }

  private ObjectNode readKey(Listing listing, KeyListEntry entry) {
    KmsClient kms = kmsInRegion.apply(listing.region());
    ObjectNode key;
    try {
      KeyMetadata metadata = kms.describeKey(r -> r.keyId(entry.keyArn())).keyMetadata();
      key = NODES.objectNode();
      key.put("region", listing.region());
      key.set("metadata", SdkJson.object(metadata));
    } catch (SdkException e) {
      key = notRead(listing.region(), entry.keyArn(), "DescribeKey", e);
    }
    try {
      key.put(
          "policy",
          kms.getKeyPolicy(r -> r.keyId(entry.keyArn()).policyName(POLICY_NAME)).policy());
    } catch (SdkException e) {
      key.putObject("policyError")
          .put("code", AwsErrors.code(e))
          .put("message", AwsErrors.message(e));
    }
    if (listing.aliases() != null) {
      ArrayNode aliases = key.putArray("aliases");
      listing.aliases().getOrDefault(entry.keyId(), List.of()).forEach(aliases::add);
    }
    return key;
  }

  private static ObjectNode notRead(
      String region, String keyArn, String operation, SdkException e) {
    ObjectNode node = NODES.objectNode();
    node.put("region", region);
    if (keyArn != null) {
      node.put("keyArn", keyArn);
    }
    node.put("operation", operation);
    node.putObject("error").put("code", AwsErrors.code(e)).put("message", AwsErrors.message(e));
    return node;
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading keys", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException("reading a key failed", e.getCause());
    }
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "mrk-policy-guard-capture");
    thread.setDaemon(true);
    return thread;
  }
}
