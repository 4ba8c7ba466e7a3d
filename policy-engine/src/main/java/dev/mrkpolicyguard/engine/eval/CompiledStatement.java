package dev.mrkpolicyguard.engine.eval;

import dev.mrkpolicyguard.engine.match.Glob;
import dev.mrkpolicyguard.engine.policy.Condition;
import dev.mrkpolicyguard.engine.policy.Effect;
import dev.mrkpolicyguard.engine.policy.PatternSpec;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import dev.mrkpolicyguard.engine.policy.Statement;
import java.util.ArrayList;
import java.util.List;

/** A statement ready to evaluate against requests to one key. */
public final class CompiledStatement {
  private final Statement source;
  private final List<Glob> actions;
  private final boolean actionsNegated;
  private final boolean appliesToKey;
  private final List<CompiledCondition> conditions;

  CompiledStatement(Statement source, KeyContext key, boolean interpretsVariables) {
    this.source = source;
    PatternSpec action = source.action();
    List<Glob> globs = new ArrayList<>();
    if (action != null) {
      for (String pattern : action.patterns()) {
        globs.add(Glob.like(pattern, true));
      }
    }
    this.actions = List.copyOf(globs);
    this.actionsNegated = action != null && action.negated();
    this.appliesToKey = source.action() != null && resourceMatches(source.resource(), key);
    List<CompiledCondition> compiled = new ArrayList<>();
    for (Condition condition : source.conditions()) {
      compiled.add(new CompiledCondition(condition, interpretsVariables));
    }
    this.conditions = List.copyOf(compiled);
  }

  private static boolean resourceMatches(PatternSpec resource, KeyContext key) {
    if (resource == null) {
      return false;
    }
    boolean any = false;
    for (String pattern : resource.patterns()) {
      any |= Glob.like(pattern, false).matches(key.keyArn());
    }
    return resource.negated() != any;
  }

  /** The statement as parsed. */
  public Statement source() {
    return source;
  }

  /** Allow or deny. */
  public Effect effect() {
    return source.effect();
  }

  /** The compiled conditions. */
  public List<CompiledCondition> conditions() {
    return conditions;
  }

  /** The action patterns (case-insensitive globs). */
  public List<Glob> actionGlobs() {
    return actions;
  }

  /**
   * Whether the statement can apply to this key at all: it has an action element, and its resource
   * element matches the key's ARN ({@code "*"} in a key policy means this key).
   */
  public boolean appliesToKey() {
    return appliesToKey;
  }

  /** Whether the action element matches {@code action} (case-insensitive, with wildcards). */
  public boolean matchesAction(String action) {
    if (!appliesToKey) {
      return false;
    }
    boolean any = false;
    for (Glob glob : actions) {
      if (glob.matches(action)) {
        any = true;
        break;
      }
    }
    return actionsNegated != any;
  }

  /** How the principal element covers {@code caller}. */
  public PrincipalMatch matchPrincipal(Caller caller) {
    List<PrincipalAtom> atoms = source.principal().atoms();
    if (source.principal().negated()) {
      return escapesNotPrincipal(atoms, caller) ? PrincipalMatch.NONE : PrincipalMatch.DIRECT;
    }
    PrincipalMatch best = PrincipalMatch.NONE;
    for (PrincipalAtom atom : atoms) {
      PrincipalMatch match = matchAtom(atom, caller);
      if (match.compareTo(best) > 0) {
        best = match;
      }
    }
    return best;
  }

  /**
   * IAM User Guide, "NotPrincipal": a caller escapes the element only if its account and its own
   * identity are both listed. A role acts only through sessions, and a session is spared only when
   * its assumed-role session ARN is listed together with the role ARN: the guide's example names
   * the session, the role and the account, and every other session of that role stays denied.
   */
  private static boolean escapesNotPrincipal(List<PrincipalAtom> atoms, Caller caller) {
    if (caller instanceof Caller.Iam iam) {
      boolean account = false;
      boolean identity = iam.isRoot();
      boolean role = false;
      boolean session = false;
      for (PrincipalAtom atom : atoms) {
        PrincipalMatch match = matchAtom(atom, caller);
        if (atom instanceof PrincipalAtom.Account && match == PrincipalMatch.DELEGATED) {
          account = true;
        } else if (atom instanceof PrincipalAtom.Anyone) {
          return true;
        } else if (match == PrincipalMatch.DIRECT) {
          if (atom instanceof PrincipalAtom.Iam named
              && named.kind() == PrincipalAtom.IamKind.ASSUMED_ROLE_SESSION) {
            session = true;
          } else if (iam.isRole()) {
            role = true;
          } else {
            identity = true;
          }
        }
      }
      if (iam.isRole()) {
        identity = role && session;
      }
      return account && identity;
    }
    for (PrincipalAtom atom : atoms) {
      if (matchAtom(atom, caller) != PrincipalMatch.NONE) {
        return true;
      }
    }
    return false;
  }

  static PrincipalMatch matchAtom(PrincipalAtom atom, Caller caller) {
    if (atom instanceof PrincipalAtom.Anyone) {
      return PrincipalMatch.DIRECT;
    }
    if (caller instanceof Caller.Iam iam) {
      if (atom instanceof PrincipalAtom.Account account) {
        return account.accountId().equals(iam.accountId())
            ? PrincipalMatch.DELEGATED
            : PrincipalMatch.NONE;
      }
      if (atom instanceof PrincipalAtom.Iam named) {
        return matchesIam(named, iam) ? PrincipalMatch.DIRECT : PrincipalMatch.NONE;
      }
      return PrincipalMatch.NONE;
    }
    if (caller instanceof Caller.Service service && atom instanceof PrincipalAtom.Service named) {
      return named.name().equals(service.name()) || named.name().equals(PrincipalAtom.Service.ANY)
          ? PrincipalMatch.DIRECT
          : PrincipalMatch.NONE;
    }
    if (caller instanceof Caller.Federated federated
        && atom instanceof PrincipalAtom.Federated named) {
      return named.provider().equals(federated.provider())
          ? PrincipalMatch.DIRECT
          : PrincipalMatch.NONE;
    }
    return PrincipalMatch.NONE;
  }

  private static boolean matchesIam(PrincipalAtom.Iam named, Caller.Iam caller) {
    return switch (named.kind()) {
      case ROLE, USER, FEDERATED_USER -> named.arn().equals(caller.principalArn());
      case ASSUMED_ROLE_SESSION ->
          caller.isRole()
              && caller.sessionName() != null
              && named.accountId().equals(caller.accountId())
              && named.name().equals(caller.name())
              && named.arn().endsWith("/" + caller.sessionName())
              && named.arn().length()
                  == ("arn:"
                              + caller.partition()
                              + ":sts::"
                              + caller.accountId()
                              + ":assumed-role/")
                          .length()
                      + named.name().length()
                      + 1
                      + caller.sessionName().length();
    };
  }

  /**
   * Whether an allow by this principal match takes effect for {@code caller}: direct grants need no
   * IAM policy inside the key's account, every cross-account grant and every delegated grant does,
   * and a root user is allowed by IAM implicitly.
   */
  public static boolean takesEffect(
      PrincipalMatch match, Caller caller, boolean identityPolicyAllows, KeyContext key) {
    if (match == PrincipalMatch.NONE) {
      return false;
    }
    if (!(caller instanceof Caller.Iam iam)) {
      return true;
    }
    boolean identity = identityPolicyAllows || iam.isRoot();
    if (match == PrincipalMatch.DELEGATED) {
      return identity;
    }
    return iam.accountId().equals(key.accountId()) || identity;
  }
}
