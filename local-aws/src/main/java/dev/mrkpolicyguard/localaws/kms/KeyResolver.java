package dev.mrkpolicyguard.localaws.kms;

import dev.mrkpolicyguard.localaws.Scope;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;

/** Resolves a KeyId parameter (key ID, key ARN, alias name or alias ARN) to a key. */
final class KeyResolver {
  private final KmsStore store;

  KeyResolver(KmsStore store) {
    this.store = store;
  }

  /**
   * Finds the key; aliases only where the operation accepts them (DescribeKey), and keys of another
   * account only by ARN and only there, as only DescribeKey of our operations is cross-account.
   */
  KmsKey resolve(RequestContext ctx, String identifier, boolean describe) {
    Scope own = new Scope(ctx.account(), ctx.region());
    if (identifier.startsWith("arn:")) {
      return resolveArn(ctx, identifier, describe);
    }
    if (identifier.startsWith("alias/")) {
      if (!describe) {
        throw notFound("Invalid keyId " + identifier);
      }
      return byAlias(own, identifier);
    }
    return byId(own, identifier);
  }

  private KmsKey resolveArn(RequestContext ctx, String arn, boolean describe) {
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[2].equals("kms") || parts[4].isEmpty()) {
      throw ApiException.client("InvalidArnException", "ARN " + arn + " is not a valid KMS ARN.");
    }
    if (!parts[3].equals(ctx.region())) {
      throw notFound("Invalid arn " + parts[3]);
    }
    boolean ownAccount = parts[4].equals(ctx.account());
    if (!ownAccount && !describe) {
      throw notFound("Key '" + arn + "' does not exist");
    }
    Scope scope = new Scope(parts[4], parts[3]);
    String resource = parts[5];
    if (resource.startsWith("key/")) {
      return byId(scope, resource.substring(4));
    }
    if (resource.startsWith("alias/") && describe) {
      return byAlias(scope, resource);
    }
    throw ApiException.client("InvalidArnException", "ARN " + arn + " does not name a KMS key.");
  }

  private KmsKey byAlias(Scope scope, String aliasName) {
    String target =
        store
            .alias(scope, aliasName)
            .orElseThrow(
                () ->
                    notFound(
                        "Alias arn:aws:kms:"
                            + scope.region()
                            + ":"
                            + scope.account()
                            + ":"
                            + aliasName
                            + " is not found."))
            .targetKeyId();
    return byId(scope, target);
  }

  private KmsKey byId(Scope scope, String keyId) {
    return store
        .find(scope, keyId)
        .orElseThrow(
            () ->
                notFound(
                    "Key 'arn:aws:kms:"
                        + scope.region()
                        + ":"
                        + scope.account()
                        + ":key/"
                        + keyId
                        + "' does not exist"));
  }

  private static ApiException notFound(String message) {
    return ApiException.client("NotFoundException", message);
  }
}
