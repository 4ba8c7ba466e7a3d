package dev.mrkpolicyguard.engine.policy;

import java.util.Objects;

/** One principal named in a {@code Principal} or {@code NotPrincipal} element. */
public sealed interface PrincipalAtom {

  /** {@code "*"} or {@code {"AWS": "*"}}: everyone, anonymous callers included. */
  record Anyone() implements PrincipalAtom {}

  /**
   * An account, written as its 12-digit id or its {@code :root} ARN. It delegates to IAM policies
   * of that account (KMS Developer Guide, "Allows access to the AWS account and enables IAM
   * policies").
   */
  record Account(String accountId) implements PrincipalAtom {
    public Account {
      Objects.requireNonNull(accountId, "accountId");
    }
  }

  /** An IAM role, user, assumed-role session or federated user, named by ARN. */
  record Iam(String arn, IamKind kind, String accountId, String name) implements PrincipalAtom {
    public Iam {
      Objects.requireNonNull(arn, "arn");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(name, "name");
    }
  }

  /** An AWS service principal such as {@code logs.eu-west-1.amazonaws.com}. */
  record Service(String name) implements PrincipalAtom {
    /** The name of {@code {"Service": "*"}}: every service principal. */
    public static final String ANY = "*";

    public Service {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A web-identity or SAML provider in a {@code Federated} element. */
  record Federated(String provider) implements PrincipalAtom {
    public Federated {
      Objects.requireNonNull(provider, "provider");
    }
  }

  /** An Amazon S3 canonical user id. */
  record CanonicalUser(String id) implements PrincipalAtom {
    public CanonicalUser {
      Objects.requireNonNull(id, "id");
    }
  }

  /**
   * A unique principal id ({@code AROA...}, {@code AIDA...}). KMS shows one where the named
   * principal was deleted; a principal created later with the same name has another id, so it
   * matches no caller.
   */
  record UniqueId(String id) implements PrincipalAtom {
    public UniqueId {
      Objects.requireNonNull(id, "id");
    }
  }

  /** The kinds of IAM principal an ARN can name. */
  enum IamKind {
    ROLE,
    USER,
    ASSUMED_ROLE_SESSION,
    FEDERATED_USER
  }
}
