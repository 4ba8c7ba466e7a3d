package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.core.ListedKey;
import java.util.List;

/** The port that lists every key of the rule's Region (ListKeys, every page). */
public interface KeyLister {
  /** The keys of the Region, in the order KMS lists them. */
  List<ListedKey> listKeys();
}
