package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.CompiledStatement;
import dev.mrkpolicyguard.engine.eval.Correspondence;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.DerivedKeys;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.eval.Request;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.Condition;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import dev.mrkpolicyguard.engine.policy.Statement;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import dev.mrkpolicyguard.explain.Explanation.Branch;
import dev.mrkpolicyguard.explain.Explanation.Case;
import dev.mrkpolicyguard.explain.Explanation.Subject;
import dev.mrkpolicyguard.explain.RequestBuilder.Reconstruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Explains CloudTrail records of KMS calls to replica keys: rebuilds each request, evaluates it
 * against the replica's policy on the replica key and the corresponding request against the
 * primary's policy on the primary key (docs/semantics.md), and turns the two decisions into a
 * {@link Verdict}. Facts the record does not hold (whether the caller's IAM policies allow the
 * action, which principal of an account called, condition keys such as {@code aws:PrincipalOrgID})
 * are tried with every value that can make a difference, and the verdict says under which of them
 * it holds. An explainer serves one run: it reads each key once.
 */
public final class Explainer {
  /** More combinations of unknown facts than this, and a record is not explained. */
  public static final int MAX_CASES = 512;

  /** The name of the principal that stands for every principal no policy names. */
  static final String UNNAMED = "PrincipalNamedByNeitherPolicy";

  private final KeyFactsSource keys;
  private final KmsCatalog catalog;
  private final Evaluator evaluator;
  private final RequestBuilder builder;
  private final StatementCheck check;
  private final PolicyParser parser = new PolicyParser();

  /** Each key is looked up once per explainer: many records name the same key. */
  private final Map<String, KeyFactsSource.Lookup> looked = new HashMap<>();

  /** An explainer that reads key facts from {@code keys}. */
  public Explainer(KeyFactsSource keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.catalog = KmsCatalog.standard();
    this.evaluator = new Evaluator(catalog);
    this.builder = new RequestBuilder(catalog);
    this.check = new StatementCheck(catalog);
  }

  /** Explains every entry; records of other services are counted, not explained. */
  public ExplainReport explain(List<RecordFile.Entry> entries) {
    List<Explanation> results = new ArrayList<>();
    int others = 0;
    for (RecordFile.Entry entry : entries) {
      Optional<Explanation> one = explain(entry);
      if (one.isPresent()) {
        results.add(one.get());
      } else {
        others++;
      }
    }
    return new ExplainReport(results, others);
  }

  /** Explains one entry; empty for a record of another service than KMS. */
  public Optional<Explanation> explain(RecordFile.Entry entry) {
    if (entry instanceof RecordFile.Entry.Malformed m) {
      return Optional.of(
          new Explanation.Unexplained(
              new Subject(m.where(), null, null, null, null, null), m.problem()));
    }
    RecordFile.Entry.Parsed parsed = (RecordFile.Entry.Parsed) entry;
    Subject subject = subject(parsed);
    Reconstruction r = builder.build(parsed.record());
    if (r instanceof Reconstruction.OtherService) {
      return Optional.empty();
    }
    if (r instanceof Reconstruction.Unusable u) {
      return Optional.of(new Explanation.Unexplained(subject, u.problem()));
    }
    if (r instanceof Reconstruction.NotKeyPolicy n) {
      return Optional.of(
          new Explanation.NotApplicable(
              subject, Verdict.NOT_KEY_POLICY_ACTION, n.keyArn(), n.reason()));
    }
    Reconstruction.Rebuilt rebuilt = (Reconstruction.Rebuilt) r;
    return Optional.of(judge(subject, rebuilt.request(), rebuilt.message()));
  }

  private static Subject subject(RecordFile.Entry.Parsed parsed) {
    TrailRecord r = parsed.record();
    return new Subject(
        parsed.where(),
        r.text("eventID").orElse(null),
        r.text("eventTime").orElse(null),
        r.text("eventName").orElse(null),
        r.text("errorCode").orElse(null),
        r.text("errorMessage").orElse(null));
  }

  private Explanation judge(Subject subject, RebuiltRequest request, DenialMessage message) {
    String arn = request.keyArn();
    if (!new KeyContext(arn).multiRegion()) {
      return new Explanation.NotApplicable(
          subject,
          Verdict.NOT_A_REPLICA,
          arn,
          "a single-Region key (its ID does not start with mrk-): it has no primary to drift from");
    }
    KeyFactsSource.Lookup lookup = looked.computeIfAbsent(arn, keys::lookup);
    if (lookup instanceof KeyFactsSource.Lookup.NotFound nf) {
      return new Explanation.Unexplained(subject, "unknown key " + arn + ": " + nf.reason());
    }
    if (lookup instanceof KeyFactsSource.Lookup.Failed f) {
      return new Explanation.Unexplained(subject, "cannot read key " + arn + ": " + f.reason());
    }
    KeyFacts facts = ((KeyFactsSource.Lookup.Found) lookup).facts();
    switch (facts.role()) {
      case SINGLE_REGION:
        return new Explanation.NotApplicable(
            subject,
            Verdict.NOT_A_REPLICA,
            arn,
            facts.awsManaged() ? "an AWS managed key" : "a single-Region key");
      case PRIMARY:
        return new Explanation.NotApplicable(
            subject,
            Verdict.NOT_A_REPLICA,
            arn,
            "the primary of its multi-Region key: its own policy decides, and no policy is copied"
                + " to it (audit compares its replicas with it)");
      default:
        break;
    }
    Parsed replica = policy(facts.policy(), "the replica's policy");
    Parsed primary = policy(facts.primaryPolicy(), "its primary's policy");
    if (replica.problem() != null || primary.problem() != null) {
      return new Explanation.Unexplained(
          subject, replica.problem() != null ? replica.problem() : primary.problem());
    }
    KeyContext replicaKey =
        new KeyContext(facts.keyArn()).asReplica().withUsage(facts.keyUsage(), facts.keySpec());
    KeyContext primaryKey =
        new KeyContext(facts.primaryArn()).asPrimary().withUsage(facts.keyUsage(), facts.keySpec());
    Sides sides =
        new Sides(
            new CompiledPolicy(replica.policy(), replicaKey),
            new CompiledPolicy(primary.policy(), primaryKey),
            new Correspondence(replicaKey.region(), primaryKey.region()));
    List<Unknown> unknowns = unknowns(request, replica.policy(), primary.policy(), sides);
    long count = 1;
    for (Unknown u : unknowns) {
      count *= u.candidates().size();
    }
    if (count > MAX_CASES) {
      return new Explanation.Unexplained(
          subject,
          "the record leaves too many facts open ("
              + unknowns.stream().map(Unknown::fact).toList()
              + ": "
              + count
              + " combinations, more than "
              + MAX_CASES
              + ")");
    }
    List<Case> cases = new ArrayList<>();
    enumerate(request, unknowns, sides, new ArrayList<>(), cases);
    List<Branch> branches = branches(subject, unknowns, cases, sides);
    Set<String> open = new LinkedHashSet<>();
    for (Branch b : branches) {
      b.when().forEach(c -> c.forEach(a -> open.add(a.fact())));
    }
    return new Explanation.Judged(
        subject,
        facts.keyArn(),
        facts.primaryArn(),
        request,
        List.copyOf(open),
        branches,
        message,
        pointsAt(message, request));
  }

  /** The two policies, compiled for their own keys, and the correspondence between the keys. */
  private record Sides(CompiledPolicy replica, CompiledPolicy primary, Correspondence moves) {}

  /** A policy as parsed, or why it cannot be used. */
  private record Parsed(KeyPolicy policy, String problem) {}

  private Parsed policy(PolicyFact fact, String which) {
    if (fact instanceof PolicyFact.Known known) {
      ParseResult result = parser.parse(known.json());
      if (result instanceof ParseResult.Parsed p) {
        return new Parsed(p.policy(), null);
      }
      StringBuilder problem = new StringBuilder(which + " is not a valid key policy:");
      ((ParseResult.Invalid) result)
          .problems()
          .forEach(p -> problem.append(' ').append(p.describe()).append(';'));
      return new Parsed(null, problem.toString());
    }
    if (fact instanceof PolicyFact.Unreadable u) {
      return new Parsed(null, "cannot read " + which + ": " + u.message());
    }
    return new Parsed(null, which + " was not read");
  }

  /** A fact the record does not hold and the values that can make a difference. */
  private record Unknown(String fact, List<Assumption> candidates) {}

  private List<Unknown> unknowns(
      RebuiltRequest request, KeyPolicy replica, KeyPolicy primary, Sides sides) {
    List<Unknown> out = new ArrayList<>();
    if (request.caller() == null) {
      out.add(callers(request, replica, primary));
    }
    boolean iam =
        request.caller() == null || (request.caller() instanceof Caller.Iam i && !i.isRoot());
    if (iam && request.identityPolicyAllows() == null) {
      out.add(
          new Unknown(
              "identityPolicyAllows",
              List.of(new Assumption.IdentityPolicy(false), new Assumption.IdentityPolicy(true))));
    }
    KeyContext key = sides.replica().key();
    for (Map.Entry<String, KeyValues> e : conditionKeys(replica, primary, sides).entrySet()) {
      String lower = e.getKey();
      if (DerivedKeys.isDerived(lower, key)
          || request.tells(lower)
          || !catalog.available(request.action(), lower)) {
        continue;
      }
      List<Assumption> candidates = new ArrayList<>();
      String name = e.getValue().name();
      candidates.add(new Assumption.KeyAbsent(name));
      for (String v : e.getValue().values()) {
        candidates.add(new Assumption.KeyValue(name, v));
      }
      candidates.add(new Assumption.KeyOther(name, List.copyOf(e.getValue().values())));
      out.add(new Unknown(name, candidates));
    }
    return out;
  }

  /** A condition key as first written, and the concrete values the policies compare it with. */
  private record KeyValues(String name, Set<String> values) {}

  private static Map<String, KeyValues> conditionKeys(
      KeyPolicy replica, KeyPolicy primary, Sides sides) {
    Map<String, KeyValues> keys = new TreeMap<>();
    collect(replica, v -> v, keys);
    // The primary's values are seen from the replica's side of the correspondence.
    collect(primary, v -> sides.moves().value(v), keys);
    return keys;
  }

  private static void collect(
      KeyPolicy policy, java.util.function.UnaryOperator<String> move, Map<String, KeyValues> out) {
    for (Statement s : policy.statements()) {
      for (Condition c : s.conditions()) {
        String lower = c.normalizedKey();
        if (lower.contains("${")) {
          continue;
        }
        KeyValues entry =
            out.computeIfAbsent(lower, k -> new KeyValues(c.key(), new LinkedHashSet<>()));
        for (String v : c.values()) {
          if (!v.contains("${")) {
            entry.values().add(move.apply(v));
          }
        }
      }
    }
  }

  /**
   * For a call the record attributes to an account only: each principal of that account the
   * policies name (of the kind its principal id shows), and one that neither names.
   */
  private static Unknown callers(RebuiltRequest request, KeyPolicy replica, KeyPolicy primary) {
    String account = request.callerAccount();
    String hint = request.callerHint();
    String partition = new KeyContext(request.keyArn()).partition();
    Map<String, Caller.Iam> named = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (KeyPolicy policy : List.of(replica, primary)) {
      for (Statement s : policy.statements()) {
        for (PrincipalAtom atom : s.principal().atoms()) {
          if (atom instanceof PrincipalAtom.Iam iam && iam.accountId().equals(account)) {
            names.add(iam.name());
            caller(iam, partition, hint, request.sessionName())
                .ifPresent(c -> named.putIfAbsent(c.text(), c));
          }
        }
      }
    }
    String unnamed = UNNAMED;
    while (names.contains(unnamed)) {
      unnamed = unnamed + "X";
    }
    String kind = "user".equals(hint) ? "user/" : "role/";
    Caller.Iam other =
        new Caller.Iam(
            "arn:" + partition + ":iam::" + account + ":" + kind + unnamed,
            kind.equals("role/") ? request.sessionName() : null);
    List<Assumption> candidates = new ArrayList<>();
    named.values().forEach(c -> candidates.add(new Assumption.CallerIs(c, true)));
    candidates.add(new Assumption.CallerIs(other, false));
    return new Unknown("caller", candidates);
  }

  private static Optional<Caller.Iam> caller(
      PrincipalAtom.Iam atom, String partition, String hint, String session) {
    boolean roles = !"user".equals(hint);
    boolean users = !"role".equals(hint);
    switch (atom.kind()) {
      case ROLE:
        return roles ? Optional.of(new Caller.Iam(atom.arn(), session)) : Optional.empty();
      case USER:
        return users ? Optional.of(new Caller.Iam(atom.arn(), null)) : Optional.empty();
      case ASSUMED_ROLE_SESSION:
        if (!roles) {
          return Optional.empty();
        }
        String sessionName = atom.arn().substring(atom.arn().lastIndexOf('/') + 1);
        String role = "arn:" + partition + ":iam::" + atom.accountId() + ":role/" + atom.name();
        return Optional.of(new Caller.Iam(role, sessionName));
      default:
        return Optional.empty();
    }
  }

  /** Every combination of candidates, evaluated on both keys. */
  private void enumerate(
      RebuiltRequest request,
      List<Unknown> unknowns,
      Sides sides,
      List<Assumption> chosen,
      List<Case> out) {
    if (chosen.size() == unknowns.size()) {
      out.add(evaluate(request, chosen, sides));
      return;
    }
    for (Assumption a : unknowns.get(chosen.size()).candidates()) {
      chosen.add(a);
      enumerate(request, unknowns, sides, chosen, out);
      chosen.remove(chosen.size() - 1);
    }
  }

  private Case evaluate(RebuiltRequest rebuilt, List<Assumption> assumptions, Sides sides) {
    Caller caller = rebuilt.caller();
    boolean identity = Boolean.TRUE.equals(rebuilt.identityPolicyAllows());
    Map<String, List<String>> context = new LinkedHashMap<>(rebuilt.context());
    for (Assumption a : assumptions) {
      if (a instanceof Assumption.CallerIs c) {
        caller = c.caller();
      } else if (a instanceof Assumption.IdentityPolicy i) {
        identity = i.allows();
      } else if (a instanceof Assumption.KeyValue v) {
        context.put(v.key(), List.of(v.value()));
      } else if (a instanceof Assumption.KeyOther o) {
        context.put(o.key(), List.of(Assumption.KeyOther.PLACEHOLDER));
      }
    }
    Request replicaRequest = new Request(caller, identity, rebuilt.action(), context);
    Request primaryRequest = sides.moves().move(replicaRequest);
    Decision replica = evaluator.evaluate(sides.replica(), replicaRequest).decision();
    Decision primary = evaluator.evaluate(sides.primary(), primaryRequest).decision();
    return new Case(assumptions, replicaRequest, primaryRequest, replica, primary);
  }

  private static Verdict verdict(Case c) {
    if (c.replica() == Decision.ALLOW) {
      return Verdict.KEY_POLICY_ALLOWS;
    }
    return c.primary() == Decision.ALLOW ? Verdict.DRIFT_EXPLAINS_DENIAL : Verdict.BOTH_DENY;
  }

  /**
   * The verdicts reached, the one that best explains what the record shows first: for a denial,
   * drift before both-deny before an allowing key policy; for a success, an allowing key policy
   * first.
   */
  private List<Branch> branches(
      Subject subject, List<Unknown> unknowns, List<Case> cases, Sides sides) {
    List<Verdict> order =
        subject.succeeded()
            ? List.of(Verdict.KEY_POLICY_ALLOWS, Verdict.DRIFT_EXPLAINS_DENIAL, Verdict.BOTH_DENY)
            : List.of(Verdict.DRIFT_EXPLAINS_DENIAL, Verdict.BOTH_DENY, Verdict.KEY_POLICY_ALLOWS);
    List<Branch> out = new ArrayList<>();
    for (Verdict v : order) {
      List<Case> group = cases.stream().filter(c -> verdict(c) == v).toList();
      if (!group.isEmpty()) {
        out.add(branch(v, group, cases, unknowns, sides));
      }
    }
    return out;
  }

  private Branch branch(
      Verdict verdict, List<Case> group, List<Case> all, List<Unknown> unknowns, Sides sides) {
    Case example = group.get(0);
    Evaluator.Outcome replica = evaluator.evaluate(sides.replica(), example.replicaRequest());
    Evaluator.Outcome primary = evaluator.evaluate(sides.primary(), example.primaryRequest());
    Set<String> primarySids = sids(primary);
    return new Branch(
        verdict,
        when(group, all, unknowns),
        example,
        check.notes(sides.replica(), replica, example.replicaRequest(), primarySids),
        check.notes(sides.primary(), primary, example.primaryRequest(), sids(replica)));
  }

  private static Set<String> sids(Evaluator.Outcome outcome) {
    Set<String> out = new HashSet<>();
    for (CompiledStatement s : outcome.deciding()) {
      if (s.source().sid() != null) {
        out.add(s.source().sid());
      }
    }
    return out;
  }

  /**
   * The cases of {@code group} as few, short conjunctions of assumptions: each case widened by
   * leaving out every unknown it can go without (the group holds every case the shorter conjunction
   * admits), and conjunctions that another one covers dropped.
   */
  private static List<List<Assumption>> when(
      List<Case> group, List<Case> all, List<Unknown> unknowns) {
    Set<List<Assumption>> members = new HashSet<>();
    group.forEach(c -> members.add(c.assumptions()));
    List<Assumption[]> cubes = new ArrayList<>();
    for (Case c : group) {
      Assumption[] cube = c.assumptions().toArray(new Assumption[0]);
      for (int i = 0; i < cube.length; i++) {
        Assumption kept = cube[i];
        cube[i] = null;
        if (!inside(cube, all, members, unknowns)) {
          cube[i] = kept;
        }
      }
      if (cubes.stream().noneMatch(other -> covers(other, cube))) {
        cubes.removeIf(other -> covers(cube, other));
        cubes.add(cube);
      }
    }
    List<List<Assumption>> out = new ArrayList<>();
    for (Assumption[] cube : cubes) {
      List<Assumption> conjunction = new ArrayList<>();
      for (Assumption a : cube) {
        if (a != null) {
          conjunction.add(a);
        }
      }
      out.add(conjunction);
    }
    return out;
  }

  /** Whether every case the cube admits ({@code null}: any value) is in the group. */
  private static boolean inside(
      Assumption[] cube, List<Case> all, Set<List<Assumption>> members, List<Unknown> unknowns) {
    long admitted = 1;
    for (int i = 0; i < cube.length; i++) {
      if (cube[i] == null) {
        admitted *= unknowns.get(i).candidates().size();
      }
    }
    long found = 0;
    for (Case c : all) {
      if (matches(cube, c.assumptions()) && members.contains(c.assumptions())) {
        found++;
      }
    }
    return found == admitted;
  }

  private static boolean matches(Assumption[] cube, List<Assumption> assumptions) {
    for (int i = 0; i < cube.length; i++) {
      if (cube[i] != null && !cube[i].equals(assumptions.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code wide} admits every case {@code narrow} admits. */
  private static boolean covers(Assumption[] wide, Assumption[] narrow) {
    for (int i = 0; i < wide.length; i++) {
      if (wide[i] != null && !wide[i].equals(narrow[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The kinds of policy the record points at: the message's, and a VPC endpoint it went through.
   */
  private static List<PolicyKind> pointsAt(DenialMessage message, RebuiltRequest request) {
    List<PolicyKind> out = new ArrayList<>();
    if (message != null && message.kind() != null) {
      out.add(message.kind());
    }
    if (request.value("aws:sourcevpce") != null && !out.contains(PolicyKind.VPC_ENDPOINT_POLICY)) {
      out.add(PolicyKind.VPC_ENDPOINT_POLICY);
    }
    return out;
  }
}
