package dev.mrkpolicyguard.reconcile;

import java.util.Objects;

/** One account of the organisation as ListAccounts reports it: 12-digit id and state. */
public record OrgAccount(String id, String state) {
  public OrgAccount {
    Objects.requireNonNull(state, "state");
    if (id == null || !id.matches("\\d{12}")) {
      throw new IllegalArgumentException("an account id is 12 digits, not " + id);
    }
  }

  /** ACTIVE is the only state in which the account's Config can invoke the rule. */
  public boolean active() {
    return state.equals("ACTIVE");
  }
}
