package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.aws.AccountRoles;

/** Opens one account of a multi-account run for reading (the port the fan-out calls). */
@FunctionalInterface
interface AccountOpener {
  /** The reads of {@code account}, or why the account cannot be read. */
  AccountRoles.Opened open(String account);
}
