package dev.mrkpolicyguard.localaws;

import dev.mrkpolicyguard.localaws.protocol.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps access keys to principals: configured keys, keys issued by STS AssumeRole, and otherwise the
 * root of the default account.
 */
public final class Identities {
  private final String defaultAccount;
  private final Map<String, Principal> configured;
  private final Map<String, Principal> runtime = new ConcurrentHashMap<>();

  Identities(String defaultAccount, Map<String, Principal> configured) {
    this.defaultAccount = Objects.requireNonNull(defaultAccount, "defaultAccount");
    this.configured = Map.copyOf(configured);
  }

  public String defaultAccount() {
    return defaultAccount;
  }

  public Principal resolve(String accessKeyId) {
    if (accessKeyId == null) {
      return Principal.root(defaultAccount);
    }
    Principal issued = runtime.get(accessKeyId);
    if (issued != null) {
      return issued;
    }
    return configured.getOrDefault(accessKeyId, Principal.root(defaultAccount));
  }

  /** Makes an access key act as the root of an account (until the next reset). */
  public void mapAccessKeyToAccount(String accessKeyId, String account) {
    runtime.put(accessKeyId, Principal.root(account));
  }

  /** Makes an access key act as an explicit principal ARN (until the next reset). */
  public void mapAccessKeyToPrincipal(String accessKeyId, String principalArn) {
    runtime.put(accessKeyId, Principal.ofArn(principalArn));
  }

  /** Records a key issued by STS so later calls signed with it act as that principal. */
  public void issue(String accessKeyId, Principal principal) {
    runtime.put(accessKeyId, principal);
  }

  void reset() {
    runtime.clear();
  }
}
