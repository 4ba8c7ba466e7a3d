package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.CompiledCondition;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.CompiledStatement;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.match.Glob;
import dev.mrkpolicyguard.engine.match.StringSpace;
import dev.mrkpolicyguard.engine.policy.OperatorKind;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One representative caller for every class of callers that the two policies cannot tell apart.
 *
 * <p>Everything a key policy can say about an IAM caller is a predicate on its {@code
 * aws:PrincipalArn} (principal elements, and conditions on {@code aws:PrincipalArn}, {@code
 * aws:PrincipalAccount}, {@code kms:CallerAccount}, {@code aws:PrincipalType}), plus the session
 * name for principals that name a role session. Partitioning the language of principal ARNs by
 * those predicates ({@link StringSpace}) gives the IAM callers; services, federated callers and
 * anonymous callers are added by name.
 */
final class PrincipalUniverse {
  /** The account shown for "some account the policies do not name". */
  static final String EXAMPLE_ACCOUNT = "999999999999";

  private static final List<String> PRINCIPAL_TYPES =
      List.of("Account", "AssumedRole", "User", "FederatedUser");

  /** A representative caller with the values of {@code identityPolicyAllows} worth trying. */
  record Representative(Caller caller, List<Boolean> identityOptions, String group) {}

  final List<Representative> representatives = new ArrayList<>();
  private List<List<Glob>> iamPredicates = List.of();
  private List<Glob> iamDomain = List.of();
  String undecided;

  /**
   * The callers for {@code policies} on {@code key}; with {@code authenticated} false only callers
   * that carry no account (anonymous and federated web identities), for checks that can only be
   * broken by them.
   */
  PrincipalUniverse(
      List<CompiledPolicy> policies, KeyContext key, int maxStates, boolean authenticated) {
    String partition = key.partition();
    List<List<Glob>> predicates = new ArrayList<>();
    predicates.add(List.of(Glob.like("arn:*:iam::*:root", false)));
    predicates.add(List.of(account(key.accountId())));
    Map<String, Set<String>> sessionsByRoleArn = new LinkedHashMap<>();
    Set<String> services = new LinkedHashSet<>();
    Set<String> federated = new LinkedHashSet<>();
    List<List<Glob>> servicePredicates = new ArrayList<>();
    for (CompiledPolicy policy : policies) {
      for (CompiledStatement statement : policy.statements()) {
        if (!statement.appliesToKey()) {
          continue;
        }
        for (PrincipalAtom atom : statement.source().principal().atoms()) {
          addAtom(atom, partition, predicates, sessionsByRoleArn, services, federated);
        }
        for (CompiledCondition condition : statement.conditions()) {
          addCondition(condition, predicates, servicePredicates);
        }
      }
    }
    if (undecided != null) {
      return;
    }
    if (!authenticated) {
      representatives.add(new Representative(new Caller.Anonymous(), List.of(false), "anonymous"));
      addFederated(federated);
      return;
    }
    List<Glob> domain =
        List.of(
            Glob.shape("arn:" + partition + ":iam::" + "\\d".repeat(12) + ":root"),
            Glob.shape("arn:" + partition + ":iam::" + "\\d".repeat(12) + ":role/\\w\\p"),
            Glob.shape("arn:" + partition + ":iam::" + "\\d".repeat(12) + ":user/\\w\\p"),
            Glob.shape(
                "arn:" + partition + ":sts::" + "\\d".repeat(12) + ":federated-user/\\w\\p"));
    StringSpace.Partition iam = StringSpace.partition(predicates, domain, maxStates);
    this.iamPredicates = predicates;
    this.iamDomain = domain;
    if (!iam.complete()) {
      undecided = "the principal patterns are too complex to partition exactly";
      return;
    }
    // Anonymous first: where a policy is open to everyone, that is the witness to show.
    representatives.add(new Representative(new Caller.Anonymous(), List.of(false), "anonymous"));
    List<String> roots = new ArrayList<>();
    for (StringSpace.Cell cell : iam.cells()) {
      String witness = cell.witness();
      if (witness.endsWith(":root")) {
        roots.add(witness);
      } else {
        addIam(witness, key, sessionsByRoleArn);
      }
    }
    for (String root : roots) {
      addIam(root, key, sessionsByRoleArn);
    }
    for (String service : services) {
      servicePredicates.add(List.of(Glob.literal(service, false)));
    }
    List<Glob> serviceDomain = List.of(Glob.shape("\\w\\p.amazonaws.com"));
    StringSpace.Partition serviceCells =
        StringSpace.partition(servicePredicates, serviceDomain, maxStates);
    if (!serviceCells.complete()) {
      undecided = "the service principal patterns are too complex to partition exactly";
      return;
    }
    for (StringSpace.Cell cell : serviceCells.cells()) {
      String name = cell.witness();
      if (StringSpace.sameCell(servicePredicates, serviceDomain, name, "example.amazonaws.com")) {
        name = "example.amazonaws.com";
      }
      representatives.add(
          new Representative(new Caller.Service(name), List.of(false), "service " + name));
    }
    addFederated(federated);
  }

  private void addFederated(Set<String> federated) {
    for (String provider : federated) {
      representatives.add(
          new Representative(
              new Caller.Federated(provider), List.of(false), "federated " + provider));
    }
    if (!federated.isEmpty()) {
      representatives.add(
          new Representative(
              new Caller.Federated("other.example.com"),
              List.of(false),
              "federated other.example.com"));
    }
  }

  /**
   * The caller to show for {@code rep}: a readable principal of the same class (so both policies
   * decide it alike), computed only for the few representatives that end up in a witness.
   */
  Caller display(Representative rep) {
    if (rep.caller() instanceof Caller.Iam iam) {
      String arn = pretty(iam.principalArn(), iamPredicates, iamDomain);
      return new Caller.Iam(arn, iam.sessionName());
    }
    return rep.caller();
  }

  /** A readable principal ARN of the same cell as {@code witness}, if one of a few fits. */
  private static String pretty(String witness, List<List<Glob>> predicates, List<Glob> domain) {
    int accountStart = witness.indexOf("::") + 2;
    int resource = witness.indexOf(':', accountStart);
    String prefix = witness.substring(0, resource + 1);
    // An invented account should look invented, not like a neighbour of a real one.
    String otherAccount = witness.substring(0, accountStart) + EXAMPLE_ACCOUNT + ":";
    String tail = witness.substring(resource + 1);
    for (String candidate :
        List.of(
            otherAccount + "role/ExampleRole",
            otherAccount + "user/ExampleUser",
            otherAccount + tail,
            prefix + "role/ExampleRole",
            prefix + "user/ExampleUser",
            prefix + "role/Other")) {
      if (StringSpace.sameCell(predicates, domain, witness, candidate)) {
        return candidate;
      }
    }
    return witness;
  }

  private void addIam(String arn, KeyContext key, Map<String, Set<String>> sessionsByRoleArn) {
    Caller.Iam caller = new Caller.Iam(arn, null);
    boolean ownAccount = caller.accountId().equals(key.accountId());
    List<Boolean> options = caller.isRoot() || !ownAccount ? List.of(true) : List.of(true, false);
    String group = "account " + caller.accountId();
    representatives.add(new Representative(caller, options, group));
    for (String session : sessionsByRoleArn.getOrDefault(arn, Set.of())) {
      representatives.add(new Representative(new Caller.Iam(arn, session), options, group));
    }
  }

  private static Glob account(String accountPattern) {
    return Glob.like("arn:*:*::" + accountPattern + ":*", false);
  }

  private void addAtom(
      PrincipalAtom atom,
      String partition,
      List<List<Glob>> predicates,
      Map<String, Set<String>> sessions,
      Set<String> services,
      Set<String> federated) {
    if (atom instanceof PrincipalAtom.Account account) {
      predicates.add(List.of(account(account.accountId())));
    } else if (atom instanceof PrincipalAtom.Iam iam) {
      if (iam.kind() == PrincipalAtom.IamKind.ASSUMED_ROLE_SESSION) {
        String roleArn = "arn:" + partition + ":iam::" + iam.accountId() + ":role/" + iam.name();
        predicates.add(List.of(Glob.literal(roleArn, false)));
        String session = iam.arn().substring(iam.arn().lastIndexOf('/') + 1);
        sessions.computeIfAbsent(roleArn, k -> new LinkedHashSet<>()).add(session);
      } else {
        predicates.add(List.of(Glob.literal(iam.arn(), false)));
      }
    } else if (atom instanceof PrincipalAtom.Service service) {
      services.add(service.name());
    } else if (atom instanceof PrincipalAtom.Federated provider) {
      federated.add(provider.provider());
    }
  }

  private void addCondition(
      CompiledCondition condition,
      List<List<Glob>> predicates,
      List<List<Glob>> servicePredicates) {
    String key = condition.key();
    OperatorKind kind = condition.source().operator().kind();
    boolean derivedPrincipalKey =
        switch (key) {
          case "aws:principalarn",
              "aws:principalaccount",
              "kms:calleraccount",
              "aws:principaltype",
              "aws:principalservicename" ->
              true;
          default -> false;
        };
    if (!derivedPrincipalKey || kind == OperatorKind.NULL) {
      return;
    }
    if (kind.family() != OperatorKind.Family.STRING) {
      undecided = "condition key " + condition.source().key() + " is compared with " + kind.text();
      return;
    }
    switch (key) {
      case "aws:principalarn" -> predicates.add(condition.globs());
      case "aws:principalservicename" -> servicePredicates.add(condition.globs());
      case "aws:principaltype" -> {
        List<Glob> types = new ArrayList<>();
        for (String type : PRINCIPAL_TYPES) {
          if (condition.positiveMatch(type)) {
            types.add(typeShape(type));
          }
        }
        predicates.add(types);
      }
      default -> {
        List<Glob> accounts = new ArrayList<>();
        for (String value : condition.source().values()) {
          if (kind == OperatorKind.STRING_LIKE || kind == OperatorKind.STRING_NOT_LIKE) {
            accounts.add(account(value));
          } else if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
            undecided = "account condition value '" + value + "' holds a literal wildcard";
          } else {
            accounts.add(account(value));
          }
        }
        predicates.add(accounts);
      }
    }
  }

  private static Glob typeShape(String type) {
    return switch (type) {
      case "Account" -> Glob.like("arn:*:iam::*:root", false);
      case "AssumedRole" -> Glob.like("arn:*:iam::*:role/*", false);
      case "User" -> Glob.like("arn:*:iam::*:user/*", false);
      default -> Glob.like("arn:*:sts::*:federated-user/*", false);
    };
  }
}
