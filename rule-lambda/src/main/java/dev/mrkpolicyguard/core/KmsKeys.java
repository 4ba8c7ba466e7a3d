package dev.mrkpolicyguard.core;

import java.util.List;
import java.util.Map;

/**
 * The port through which the core reads KMS keys, one call at a time: the one path from KMS to key
 * facts. The rule reads through it (by {@link KeyFactsReader}, its {@link KeyReader}), and so do
 * {@code audit --regions} and {@code export} (the fleet capture); failures come back as values,
 * classified by {@link ReadFailure} where they are used, never thrown.
 */
public interface KmsKeys {
  /** ListKeys in {@code region}, every page, in the order KMS lists them. */
  KmsRead<List<ListedKey>> listKeys(String region);

  /** ListAliases in {@code region}, every page: alias names by the key ID they point to. */
  KmsRead<Map<String, List<String>>> aliases(String region);

  /** DescribeKey of {@code keyArn}, in the key's Region. */
  KmsRead<KeyDescription> describe(String keyArn);

  /** GetKeyPolicy of {@code keyArn} (the {@code default} policy), in the key's Region. */
  KmsRead<String> policy(String keyArn);
}
