package dev.mrkpolicyguard.engine.eval;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Who makes a request to KMS. */
public sealed interface Caller {
  Pattern IAM_ARN =
      Pattern.compile(
          "arn:(aws[a-z-]*):iam::(\\d{12}):(root|(?:role|user)(?:/|/[!-~]+/)[\\w+=,.@-]+)");
  Pattern STS_ARN =
      Pattern.compile(
          "arn:(aws[a-z-]*):sts::(\\d{12}):(assumed-role/([\\w+=,.@-]+)/(.+)|federated-user/([\\w+=,.@-]+))");

  /** The caller as text: a principal ARN, a service principal name, or {@code anonymous}. */
  String text();

  /**
   * An IAM identity: an account's root user, an IAM user, a session of an IAM role or a federated
   * user.
   *
   * @param principalArn the value KMS puts in {@code aws:PrincipalArn}: the role ARN for a role
   *     session, else the identity's own ARN
   * @param sessionName the role session name, for a role session
   * @param example whether the comparator made the identity up to stand for any identity of its
   *     class (a witness's {@code role/ExampleRole}), so that it is shown as "an identity of the
   *     account" rather than by a name a real identity may also have
   */
  record Iam(String principalArn, String sessionName, boolean example) implements Caller {
    public Iam {
      Objects.requireNonNull(principalArn, "principalArn");
      if (!IAM_ARN.matcher(principalArn).matches() && !STS_ARN.matcher(principalArn).matches()) {
        throw new IllegalArgumentException("not an IAM principal ARN: " + principalArn);
      }
    }

    /** A real (not made-up) identity. */
    public Iam(String principalArn, String sessionName) {
      this(principalArn, sessionName, false);
    }

    /** The 12-digit account id. */
    public String accountId() {
      return field(4);
    }

    /** The partition from the ARN. */
    public String partition() {
      return field(1);
    }

    private String resource() {
      return field(5);
    }

    /** Colon-separated field {@code index} of the ARN; the last field keeps any colons. */
    private String field(int index) {
      int start = 0;
      for (int i = 0; i < index; i++) {
        start = principalArn.indexOf(':', start) + 1;
      }
      int end = index == 5 ? principalArn.length() : principalArn.indexOf(':', start);
      return principalArn.substring(start, end);
    }

    /** Whether this is the account's root user. */
    public boolean isRoot() {
      return resource().equals("root");
    }

    /** Whether this is a session of an IAM role. */
    public boolean isRole() {
      return resource().startsWith("role/");
    }

    /** The value of {@code aws:PrincipalType}. */
    public String principalType() {
      String resource = resource();
      if (resource.equals("root")) {
        return "Account";
      }
      if (resource.startsWith("role/")) {
        return "AssumedRole";
      }
      if (resource.startsWith("user/")) {
        return "User";
      }
      return "FederatedUser";
    }

    /** The last path component of a role or user name. */
    public String name() {
      String resource = resource();
      return resource.substring(resource.lastIndexOf('/') + 1);
    }

    @Override
    public String text() {
      if (sessionName != null && isRole()) {
        return "arn:"
            + partition()
            + ":sts::"
            + accountId()
            + ":assumed-role/"
            + name()
            + "/"
            + sessionName;
      }
      return principalArn;
    }
  }

  /** An AWS service calling with its own service principal. */
  record Service(String name) implements Caller {
    public Service {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String text() {
      return name;
    }
  }

  /** A web-identity or SAML federated caller. */
  record Federated(String provider) implements Caller {
    public Federated {
      Objects.requireNonNull(provider, "provider");
    }

    @Override
    public String text() {
      return "federated:" + provider;
    }
  }

  /** An unauthenticated caller. */
  record Anonymous() implements Caller {
    @Override
    public String text() {
      return "anonymous";
    }
  }

  /**
   * Reads a caller from its text form: {@code anonymous}, {@code federated:PROVIDER}, an IAM or STS
   * principal ARN (a role ARN stands for a session of that role), or a service principal name.
   */
  static Optional<Caller> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    if (text.equals("anonymous")) {
      return Optional.of(new Anonymous());
    }
    if (text.startsWith("federated:")) {
      return Optional.of(new Federated(text.substring("federated:".length())));
    }
    if (IAM_ARN.matcher(text).matches()) {
      return Optional.of(new Iam(text, null));
    }
    Matcher sts = STS_ARN.matcher(text);
    if (sts.matches()) {
      if (sts.group(4) != null) {
        String role = "arn:" + sts.group(1) + ":iam::" + sts.group(2) + ":role/" + sts.group(4);
        return Optional.of(new Iam(role, sts.group(5)));
      }
      return Optional.of(new Iam(text, null));
    }
    if (text.matches("[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?")) {
      return Optional.of(new Service(text));
    }
    return Optional.empty();
  }
}
