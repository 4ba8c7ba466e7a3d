package dev.mrkpolicyguard.engine.properties;

import dev.mrkpolicyguard.engine.properties.PolicyModel.Cond;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Policy;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Principal;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Stmt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of realistic key policies, and rewrites and mutations of them. */
final class PolicyGenerators {
  static final String KEY_ACCOUNT = "111122223333";
  static final String PARTNER_ACCOUNT = "444455556666";

  static final List<Principal> PRINCIPALS =
      List.of(
          Principal.aws("*"),
          Principal.aws(KEY_ACCOUNT),
          Principal.aws(PARTNER_ACCOUNT),
          Principal.aws("arn:aws:iam::111122223333:role/KeyAdmin"),
          Principal.aws("arn:aws:iam::111122223333:role/AppRole"),
          Principal.aws("arn:aws:iam::444455556666:role/Partner"),
          Principal.aws("arn:aws:iam::111122223333:user/Alice"),
          Principal.service("logs.us-east-1.amazonaws.com"),
          Principal.service("cloudtrail.amazonaws.com"));

  static final List<String> ACTIONS =
      List.of(
          "kms:*",
          "kms:Decrypt",
          "kms:Encrypt",
          "kms:GenerateDataKey*",
          "kms:ReEncrypt*",
          "kms:Describe*",
          "kms:CreateGrant",
          "kms:PutKeyPolicy");

  static final List<Cond> CONDITIONS =
      List.of(
          new Cond("StringEquals", "kms:CallerAccount", List.of(KEY_ACCOUNT)),
          new Cond("StringEquals", "kms:CallerAccount", List.of(PARTNER_ACCOUNT)),
          new Cond("StringEquals", "kms:ViaService", List.of("ec2.us-east-1.amazonaws.com")),
          new Cond("StringLike", "kms:ViaService", List.of("*.us-east-1.amazonaws.com")),
          new Cond(
              "StringEqualsIfExists",
              "kms:ViaService",
              List.of("ec2.us-east-1.amazonaws.com", "rds.us-east-1.amazonaws.com")),
          new Cond("Bool", "kms:GrantIsForAWSResource", List.of("true")),
          new Cond("BoolIfExists", "kms:GrantIsForAWSResource", List.of("true")),
          new Cond("ArnLike", "aws:PrincipalArn", List.of("arn:aws:iam::111122223333:role/App*")),
          new Cond("StringEquals", "kms:EncryptionContext:Department", List.of("Finance")),
          new Cond("StringEquals", "kms:EncryptionContext:Department", List.of("Finance", "HR")),
          new Cond("StringLikeIfExists", "kms:EncryptionContext:Department", List.of("Fin*")),
          new Cond("Null", "kms:EncryptionContext:Department", List.of("false")),
          new Cond("ForAnyValue:StringEquals", "kms:EncryptionContextKeys", List.of("Department")),
          new Cond(
              "ForAllValues:StringEquals",
              "kms:EncryptionContextKeys",
              List.of("Department", "Project")),
          new Cond("IpAddress", "aws:SourceIp", List.of("10.0.0.0/8")),
          new Cond("NotIpAddress", "aws:SourceIp", List.of("10.0.0.0/8")),
          new Cond("StringNotEquals", "aws:PrincipalAccount", List.of(PARTNER_ACCOUNT)),
          new Cond("DateLessThan", "aws:CurrentTime", List.of("2030-01-01T00:00:00Z")),
          // Facts of each key, which a verbatim copy on a replica does not keep.
          new Cond("StringEquals", "aws:RequestedRegion", List.of("us-east-1")),
          new Cond("StringNotEquals", "aws:RequestedRegion", List.of("us-east-1")),
          new Cond("StringEquals", "kms:MultiRegionKeyType", List.of("PRIMARY")),
          new Cond(
              "ArnLike",
              "kms:EncryptionContext:aws:logs:arn",
              List.of("arn:aws:logs:us-east-1:111122223333:log-group:*")));

  private PolicyGenerators() {}

  static Arbitrary<Principal> principal() {
    return Arbitraries.of(PRINCIPALS);
  }

  static Arbitrary<List<Cond>> conditions() {
    return Arbitraries.of(CONDITIONS).list().ofMaxSize(2).uniqueElements(Cond::slot);
  }

  static Arbitrary<Stmt> statement(boolean forceAllow) {
    Arbitrary<Boolean> allow =
        forceAllow
            ? Arbitraries.just(true)
            : Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(true)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(false)));
    Arbitrary<List<Principal>> principals =
        principal().list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    Arbitrary<Boolean> notAction = Arbitraries.of(false, false, false, false, false, false, true);
    Arbitrary<List<String>> actions =
        Arbitraries.of(ACTIONS).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    Arbitrary<Integer> sid = Arbitraries.integers().between(-1, 20);
    return Combinators.combine(sid, allow, principals, notAction, actions, conditions())
        .as((s, a, p, n, act, c) -> new Stmt(s < 0 ? null : "S" + s, a, p, n, act, c));
  }

  /** A policy of 1 to 8 statements, half the time led by the usual root-account statement. */
  static Arbitrary<Policy> policy() {
    Arbitrary<Boolean> rootFirst = Arbitraries.of(true, false);
    Arbitrary<List<Stmt>> rest = statement(false).list().ofMinSize(1).ofMaxSize(7);
    return Combinators.combine(rootFirst, rest)
        .as(
            (root, statements) -> {
              List<Stmt> all = new ArrayList<>();
              if (root) {
                all.add(rootStatement());
              }
              all.addAll(statements);
              return new Policy(all);
            });
  }

  static Stmt rootStatement() {
    return new Stmt(
        "Enable IAM User Permissions",
        true,
        List.of(Principal.aws(KEY_ACCOUNT)),
        false,
        List.of("kms:*"),
        List.of());
  }

  // ---- meaning-preserving rewrites ----

  /** The policy with its statements in every order jqwik draws. */
  static Arbitrary<Policy> shuffled(Policy p) {
    return Arbitraries.shuffle(p.statements()).map(Policy::new);
  }

  /** The policy with some Sids removed and others renamed (all still distinct). */
  static Arbitrary<Policy> resided(Policy p) {
    int n = p.statements().size();
    Arbitrary<List<Boolean>> renamed = Arbitraries.of(true, false).list().ofSize(n);
    Arbitrary<List<Integer>> numbers =
        Arbitraries.integers().between(0, 999).list().ofSize(n).uniqueElements();
    return Combinators.combine(renamed, numbers)
        .as(
            (flags, ids) -> {
              List<Stmt> list = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                Stmt s = p.statements().get(i);
                list.add(s.withSid(flags.get(i) ? "Renamed " + ids.get(i) : null));
              }
              return new Policy(list);
            });
  }

  /** The policy with one of its statements repeated (without Sid) somewhere. */
  static Arbitrary<Policy> duplicated(Policy p) {
    int n = p.statements().size();
    return Combinators.combine(
            Arbitraries.integers().between(0, n - 1), Arbitraries.integers().between(0, n))
        .as(
            (from, at) -> {
              List<Stmt> list = new ArrayList<>(p.statements());
              list.add(at, list.get(from).withSid(null));
              return new Policy(list);
            });
  }

  static Policy shuffle(Policy p, Choices.Cursor choices) {
    List<Stmt> list = new ArrayList<>(p.statements());
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, i - choices.nextInt(i + 1));
    }
    return new Policy(list);
  }

  static Policy resid(Policy p, Choices.Cursor choices) {
    List<Stmt> list = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    for (Stmt s : p.statements()) {
      String sid = null;
      if (choices.nextBoolean()) {
        int n = choices.nextInt(1000);
        while (!used.add("Renamed " + n)) {
          n = (n + 1) % 1000;
        }
        sid = "Renamed " + n;
      }
      list.add(s.withSid(sid));
    }
    return new Policy(list);
  }

  /** One statement per principal. */
  static Policy splitPrincipals(Policy p) {
    List<Stmt> list = new ArrayList<>();
    for (Stmt s : p.statements()) {
      for (Principal principal : s.principals()) {
        list.add(s.withPrincipals(List.of(principal)));
      }
    }
    return new Policy(list);
  }

  /** Statements that differ only in principals and Sid merged into one. */
  static Policy mergePrincipals(Policy p) {
    Map<List<Object>, List<Principal>> groups = new LinkedHashMap<>();
    Map<List<Object>, Stmt> first = new LinkedHashMap<>();
    for (Stmt s : p.statements()) {
      List<Object> shape =
          List.of(s.allow(), s.notAction(), Set.copyOf(s.actions()), Set.copyOf(s.conds()));
      first.putIfAbsent(shape, s);
      List<Principal> principals = groups.computeIfAbsent(shape, k -> new ArrayList<>());
      for (Principal principal : s.principals()) {
        if (!principals.contains(principal)) {
          principals.add(principal);
        }
      }
    }
    List<Stmt> list = new ArrayList<>();
    groups.forEach((shape, principals) -> list.add(first.get(shape).withPrincipals(principals)));
    return new Policy(list);
  }

  /** One statement per action, for statements with an Action (not NotAction) list. */
  static Policy splitActions(Policy p) {
    List<Stmt> list = new ArrayList<>();
    for (Stmt s : p.statements()) {
      if (s.notAction()) {
        list.add(s);
        continue;
      }
      for (String action : s.actions()) {
        list.add(s.withActions(false, List.of(action)));
      }
    }
    return new Policy(list);
  }

  static Policy duplicate(Policy p, Choices.Cursor choices) {
    List<Stmt> list = new ArrayList<>(p.statements());
    Stmt copy = list.get(choices.nextInt(list.size()));
    list.add(choices.nextInt(list.size() + 1), copy.withSid(null));
    return new Policy(list);
  }

  /** A random chain of the rewrites above. */
  static Policy rewrite(Policy p, Choices.Cursor choices) {
    Policy out = p;
    int steps = 1 + choices.nextInt(4);
    for (int i = 0; i < steps; i++) {
      out =
          switch (choices.nextInt(6)) {
            case 0 -> shuffle(out, choices);
            case 1 -> resid(out, choices);
            case 2 -> splitPrincipals(out);
            case 3 -> mergePrincipals(out);
            case 4 -> splitActions(out);
            default -> duplicate(out, choices);
          };
    }
    return out;
  }

  // ---- mutations that may change the meaning ----

  /** One to two random edits; some of them happen to keep the meaning. */
  static Policy mutate(Policy p, Choices.Cursor choices) {
    Policy out = p;
    int steps = 1 + choices.nextInt(2);
    for (int i = 0; i < steps; i++) {
      out = mutateOnce(out, choices);
    }
    return out;
  }

  private static Policy mutateOnce(Policy p, Choices.Cursor choices) {
    List<Stmt> list = new ArrayList<>(p.statements());
    int index = choices.nextInt(list.size());
    Stmt s = list.get(index);
    switch (choices.nextInt(9)) {
      case 0 -> {
        if (list.size() > 1) {
          list.remove(index);
        }
      }
      case 1 -> list.add(randomStatement(choices));
      case 2 -> {
        List<String> actions = new ArrayList<>(s.actions());
        String replacement = pick(ACTIONS, choices);
        if (!actions.contains(replacement)) {
          actions.set(choices.nextInt(actions.size()), replacement);
        }
        list.set(index, s.withActions(s.notAction(), actions));
      }
      case 3 -> {
        List<Principal> principals = new ArrayList<>(s.principals());
        Principal extra = pick(PRINCIPALS, choices);
        if (principals.size() > 1 && choices.nextBoolean()) {
          principals.remove(choices.nextInt(principals.size()));
        } else if (!principals.contains(extra)) {
          principals.add(extra);
        }
        list.set(index, s.withPrincipals(principals));
      }
      case 4 -> {
        List<Cond> conds = new ArrayList<>(s.conds());
        if (!conds.isEmpty() && choices.nextBoolean()) {
          conds.remove(choices.nextInt(conds.size()));
        } else {
          Cond extra = pick(CONDITIONS, choices);
          if (conds.stream().noneMatch(c -> c.slot().equals(extra.slot()))) {
            conds.add(extra);
          }
        }
        list.set(index, s.withConds(conds));
      }
      case 5 -> list.set(index, s.withAllow(!s.allow()));
      case 6 -> list.set(index, s.withActions(!s.notAction(), s.actions()));
      case 7 -> list.add(s.withAllow(true).withPrincipals(List.of(pick(PRINCIPALS, choices))));
      default -> {
        return rewrite(p, choices);
      }
    }
    return new Policy(list);
  }

  static Stmt randomStatement(Choices.Cursor choices) {
    List<Principal> principals = new ArrayList<>();
    int count = 1 + choices.nextInt(2);
    int first = choices.nextInt(PRINCIPALS.size());
    for (int i = 0; i < count; i++) {
      principals.add(PRINCIPALS.get((first + i * (1 + choices.nextInt(3))) % PRINCIPALS.size()));
    }
    List<String> actions = new ArrayList<>();
    int actionCount = 1 + choices.nextInt(2);
    int firstAction = choices.nextInt(ACTIONS.size());
    for (int i = 0; i < actionCount; i++) {
      actions.add(ACTIONS.get((firstAction + i * (1 + choices.nextInt(3))) % ACTIONS.size()));
    }
    List<Cond> conds = new ArrayList<>();
    if (choices.nextBoolean()) {
      conds.add(pick(CONDITIONS, choices));
    }
    return new Stmt(null, choices.nextInt(5) > 0, principals, false, actions, conds);
  }

  static <T> T pick(List<T> values, Choices.Cursor choices) {
    return choices.pick(values);
  }
}
