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
 * aws:PrincipalAccount}, {@code kms:CallerAccount}, {@code aws:PrincipalType}, {@code
 * aws:username}), plus the session name for principals that name a role session. Partitioning the
 * language of principal ARNs by those predicates ({@link StringSpace}) gives the IAM callers;
 * services (Regional ones moving with the request) and federated callers are added by name. There
 * are no anonymous callers: every KMS request is signed.
 */
final class PrincipalUniverse {
  /** The account shown for "some account the policies do not name". */
  static final String EXAMPLE_ACCOUNT = "999999999999";

  private static final List<String> PRINCIPAL_TYPES =
      List.of("Account", "AssumedRole", "User", "FederatedUser");

  /**
   * A representative caller with the values of {@code identityPolicyAllows} worth trying: {@code
   * caller} calls the replica key, {@code primaryCaller} the primary key in the corresponding
   * request (they differ only for Regional service principals, which move with the request).
   */
  record Representative(
      Caller caller, Caller primaryCaller, List<Boolean> identityOptions, String group) {
    Representative(Caller caller, List<Boolean> identityOptions, String group) {
      this(caller, caller, identityOptions, group);
    }

    /** The caller on side 0 (primary) or 1 (replica). */
    Caller caller(int side) {
      return side == 0 ? primaryCaller : caller;
    }
  }

  final List<Representative> representatives = new ArrayList<>();
  private List<List<Glob>> iamPredicates = List.of();
  private List<Glob> iamDomain = List.of();
  String undecided;

  /**
   * The callers for {@code policies} (primary, replica) on keys in {@code regions} (primary's,
   * replica's). Requests to KMS are signed (KMS API Reference, "Welcome"): there is no anonymous
   * caller.
   */
  PrincipalUniverse(
      List<CompiledPolicy> policies, String[] regions, KeyContext key, int maxStates) {
    boolean moving = !regions[0].equals(regions[1]);
    String partition = key.partition();
    List<List<Glob>> predicates = new ArrayList<>();
    predicates.add(List.of(Glob.like("arn:*:iam::*:root", false)));
    predicates.add(List.of(account(key.accountId())));
    Map<String, Set<String>> sessionsByRoleArn = new LinkedHashMap<>();
    Set<String> federated = new LinkedHashSet<>();
    List<List<Glob>> servicePredicates = new ArrayList<>();
    List<Set<String>> namedServices = List.of(new LinkedHashSet<>(), new LinkedHashSet<>());
    boolean serviceConditions = false;
    for (int side = 0; side < policies.size(); side++) {
      Set<String> sideServices = new LinkedHashSet<>();
      for (CompiledStatement statement : policies.get(side).statements()) {
        if (!statement.appliesToKey()) {
          continue;
        }
        for (PrincipalAtom atom : statement.source().principal().atoms()) {
          addAtom(atom, partition, predicates, sessionsByRoleArn, sideServices, federated);
        }
        for (CompiledCondition condition : statement.conditions()) {
          List<List<Glob>> sidePredicates = new ArrayList<>();
          addCondition(condition, predicates, sidePredicates);
          for (List<Glob> predicate : sidePredicates) {
            servicePredicates.add(seenFrom(predicate, moving, regions, side));
            serviceConditions = true;
          }
        }
      }
      for (String service : sideServices) {
        servicePredicates.add(
            seenFrom(List.of(Glob.literal(service, false)), moving, regions, side));
        namedServices.get(side).add(service);
      }
    }
    if (undecided != null) {
      return;
    }
    String account = "\\d".repeat(12);
    List<Glob> domain = new ArrayList<>();
    domain.add(Glob.shape("arn:" + partition + ":iam::" + account + ":root"));
    domain.add(Glob.shape("arn:" + partition + ":iam::" + account + ":role/\\w\\p"));
    domain.add(Glob.shape("arn:" + partition + ":iam::" + account + ":user/\\w\\p"));
    domain.add(Glob.shape("arn:" + partition + ":sts::" + account + ":federated-user/\\w\\n"));
    // IAM names are [\w+=,.@-]+ and paths "/" or "/" + printable ASCII + "/" (IAM API Reference,
    // CreateRole and CreateUser: RoleName, UserName and Path patterns). A path character beyond
    // name characters is told apart only by a pattern that names one; otherwise a fresh name
    // character stands for it, and the cheaper language is exact.
    boolean printablePaths =
        predicates.stream()
            .flatMap(List::stream)
            .anyMatch(g -> !g.resourceLiteralsAreNameCharacters());
    if (printablePaths) {
      domain.add(Glob.shape("arn:" + partition + ":iam::" + account + ":role/\\P\\Q/\\w\\n"));
      domain.add(Glob.shape("arn:" + partition + ":iam::" + account + ":user/\\P\\Q/\\w\\n"));
    }
    StringSpace.Partition iam = StringSpace.partition(predicates, domain, maxStates);
    this.iamPredicates = predicates;
    this.iamDomain = domain;
    if (!iam.complete()) {
      undecided = "the principal patterns are too complex to partition exactly";
      return;
    }
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
    // A Regional service principal (logs.eu-west-1.amazonaws.com) calls KMS in its own Region
    // only, so it moves with the request; a service principal naming another Region never calls.
    if (!serviceConditions) {
      // Principal elements name services literally: those names and one other service are all
      // the classes there are.
      Set<String> names = new LinkedHashSet<>();
      for (int side = 0; side < 2; side++) {
        for (String name : namedServices.get(side)) {
          java.util.regex.Matcher m = REGIONAL_SERVICE.matcher(name);
          if (!moving || !m.matches()) {
            names.add(name);
          } else if (m.group(2).equals(regions[side])) {
            names.add(m.group(1) + "." + Glob.SELF_REGION + "." + m.group(3));
          }
        }
      }
      names.add("example.amazonaws.com");
      for (String name : names) {
        addService(name, regions);
      }
      addFederated(federated);
      return;
    }
    List<Glob> serviceDomain =
        moving
            ? List.of(
                Glob.shape("\\w\\p.amazonaws.com"),
                Glob.shape("\\w\\p.\\S.amazonaws.com"),
                Glob.shape("\\w\\p.\\S.amazonaws.com.cn"))
            : List.of(Glob.shape("\\w\\p.amazonaws.com"));
    List<Glob> serviceExcluded =
        moving
            ? List.of(
                Glob.shape("\\w\\p.\\w\\w-\\w\\p-\\d.amazonaws.com"),
                Glob.shape("\\w\\p.\\w\\w-\\w\\p-\\d.amazonaws.com.cn"))
            : List.of();
    String extra = moving ? "" + Glob.SELF_REGION + Glob.OTHER_REGION : "";
    StringSpace.Partition serviceCells =
        StringSpace.partition(servicePredicates, serviceDomain, serviceExcluded, extra, maxStates);
    if (!serviceCells.complete()) {
      undecided = "the service principal patterns are too complex to partition exactly";
      return;
    }
    for (StringSpace.Cell cell : serviceCells.cells()) {
      String name = cell.witness();
      if (StringSpace.sameCell(servicePredicates, serviceDomain, name, "example.amazonaws.com")) {
        name = "example.amazonaws.com";
      }
      addService(name, regions);
    }
    addFederated(federated);
  }

  private static final java.util.regex.Pattern REGIONAL_SERVICE =
      java.util.regex.Pattern.compile(
          "([a-z0-9.-]+)\\.([a-z]{2}(?:-[a-z]+)+-\\d+)\\.(amazonaws\\.com(?:\\.cn)?)");

  private void addService(String name, String[] regions) {
    String replicaName = Glob.spell(name, regions[1], regions[0]);
    String primaryName = Glob.spell(name, regions[0], regions[1]);
    representatives.add(
        new Representative(
            new Caller.Service(replicaName),
            new Caller.Service(primaryName),
            List.of(false),
            "service " + replicaName));
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
  Caller display(Representative rep, int side) {
    if (rep.caller(side) instanceof Caller.Iam iam) {
      return pretty(iam, iamPredicates, iamDomain);
    }
    return rep.caller(side);
  }

  /**
   * A readable principal of the same cell as {@code witness}, if one of a few fits; the made-up
   * {@code ExampleRole}/{@code ExampleUser} ones are marked {@link Caller.Iam#example()}.
   */
  private static Caller.Iam pretty(
      Caller.Iam witness, List<List<Glob>> predicates, List<Glob> domain) {
    String arn = witness.principalArn();
    int accountStart = arn.indexOf("::") + 2;
    int resource = arn.indexOf(':', accountStart);
    String prefix = arn.substring(0, resource + 1);
    // An invented account should look invented, not like a neighbour of a real one.
    String otherAccount = arn.substring(0, accountStart) + EXAMPLE_ACCOUNT + ":";
    String tail = arn.substring(resource + 1);
    List<String> candidates =
        List.of(
            otherAccount + "role/ExampleRole",
            otherAccount + "user/ExampleUser",
            otherAccount + tail,
            prefix + "role/ExampleRole",
            prefix + "user/ExampleUser",
            prefix + "role/Other");
    for (int i = 0; i < candidates.size(); i++) {
      String candidate = candidates.get(i);
      if (StringSpace.sameCell(predicates, domain, arn, candidate)) {
        boolean example = i == 0 || i == 1 || i == 3 || i == 4;
        return new Caller.Iam(candidate, witness.sessionName(), example);
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

  private static List<Glob> seenFrom(
      List<Glob> predicate, boolean moving, String[] regions, int side) {
    if (!moving) {
      return predicate;
    }
    List<Glob> out = new ArrayList<>();
    for (Glob g : predicate) {
      out.add(g.seenFrom(regions[side], regions[1 - side]));
    }
    return out;
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
    } else if (atom instanceof PrincipalAtom.Service service
        && !service.name().equals(PrincipalAtom.Service.ANY)) {
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
              "aws:principalservicename",
              "aws:username" ->
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
      case "aws:username" -> {
        // The user name is the last component of an IAM user's ARN, after any path (IAM User
        // Guide, "IAM identifiers"): a name is the set of user ARNs ending in it.
        boolean ignoreCase =
            kind == OperatorKind.STRING_EQUALS_IGNORE_CASE
                || kind == OperatorKind.STRING_NOT_EQUALS_IGNORE_CASE;
        List<Glob> users = new ArrayList<>();
        for (String value : condition.source().values()) {
          if (value.matches(".*[*?/:$].*")) {
            undecided = "user name condition value '" + value + "' is a pattern";
            return;
          }
          users.add(Glob.like("arn:*:iam::*:user/" + value, ignoreCase));
          users.add(Glob.like("arn:*:iam::*:user/*/" + value, ignoreCase));
        }
        predicates.add(users);
      }
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
