package dev.mrkpolicyguard.localaws;

import java.util.Objects;

/** An account and Region: the unit AWS keeps regional state in. */
public record Scope(String account, String region) {

  public Scope {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
  }
}
