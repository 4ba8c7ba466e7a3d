package dev.mrkpolicyguard.rule;

import java.util.Optional;

/** The port to a resource's recorded configuration items (GetResourceConfigHistory). */
public interface ConfigItemHistory {
  /**
   * The item an oversized notification's {@code summary} stands for: the first recorded at or after
   * its capture time, or empty when Config returns none.
   */
  Optional<ChangedResource> fullItem(ChangedResource summary);
}
