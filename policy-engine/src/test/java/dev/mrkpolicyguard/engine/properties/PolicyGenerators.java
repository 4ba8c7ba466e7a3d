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
import java.util.Random;
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

  static Policy shuffle(Policy p, Random random) {
    List<Stmt> list = new ArrayList<>(p.statements());
    Collections.shuffle(list, random);
    return new Policy(list);
  }

  static Policy resid(Policy p, Random random) {
    List<Stmt> list = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    for (Stmt s : p.statements()) {
      String sid = null;
      if (random.nextBoolean()) {
        do {
          sid = "Renamed " + random.nextInt(1000);
        } while (!used.add(sid));
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

  static Policy duplicate(Policy p, Random random) {
    List<Stmt> list = new ArrayList<>(p.statements());
    Stmt copy = list.get(random.nextInt(list.size()));
    list.add(random.nextInt(list.size() + 1), copy.withSid(null));
    return new Policy(list);
  }

  /** A random chain of the rewrites above. */
  static Policy rewrite(Policy p, Random random) {
    Policy out = p;
    int steps = 1 + random.nextInt(4);
    for (int i = 0; i < steps; i++) {
      out =
          switch (random.nextInt(6)) {
            case 0 -> shuffle(out, random);
            case 1 -> resid(out, random);
            case 2 -> splitPrincipals(out);
            case 3 -> mergePrincipals(out);
            case 4 -> splitActions(out);
            default -> duplicate(out, random);
          };
    }
    return out;
  }

  // ---- mutations that may change the meaning ----

  /** One to two random edits; some of them happen to keep the meaning. */
  static Policy mutate(Policy p, Random random) {
    Policy out = p;
    int steps = 1 + random.nextInt(2);
    for (int i = 0; i < steps; i++) {
      out = mutateOnce(out, random);
    }
    return out;
  }

  private static Policy mutateOnce(Policy p, Random random) {
    List<Stmt> list = new ArrayList<>(p.statements());
    int index = random.nextInt(list.size());
    Stmt s = list.get(index);
    switch (random.nextInt(9)) {
      case 0 -> {
        if (list.size() > 1) {
          list.remove(index);
        }
      }
      case 1 -> list.add(randomStatement(random));
      case 2 -> {
        List<String> actions = new ArrayList<>(s.actions());
        String replacement = pick(ACTIONS, random);
        if (!actions.contains(replacement)) {
          actions.set(random.nextInt(actions.size()), replacement);
        }
        list.set(index, s.withActions(s.notAction(), actions));
      }
      case 3 -> {
        List<Principal> principals = new ArrayList<>(s.principals());
        Principal extra = pick(PRINCIPALS, random);
        if (principals.size() > 1 && random.nextBoolean()) {
          principals.remove(random.nextInt(principals.size()));
        } else if (!principals.contains(extra)) {
          principals.add(extra);
        }
        list.set(index, s.withPrincipals(principals));
      }
      case 4 -> {
        List<Cond> conds = new ArrayList<>(s.conds());
        if (!conds.isEmpty() && random.nextBoolean()) {
          conds.remove(random.nextInt(conds.size()));
        } else {
          Cond extra = pick(CONDITIONS, random);
          if (conds.stream().noneMatch(c -> c.slot().equals(extra.slot()))) {
            conds.add(extra);
          }
        }
        list.set(index, s.withConds(conds));
      }
      case 5 -> list.set(index, s.withAllow(!s.allow()));
      case 6 -> list.set(index, s.withActions(!s.notAction(), s.actions()));
      case 7 -> list.add(s.withAllow(true).withPrincipals(List.of(pick(PRINCIPALS, random))));
      default -> {
        return rewrite(p, random);
      }
    }
    return new Policy(list);
  }

  static Stmt randomStatement(Random random) {
    List<Principal> principals = new ArrayList<>();
    int count = 1 + random.nextInt(2);
    while (principals.size() < count) {
      Principal principal = pick(PRINCIPALS, random);
      if (!principals.contains(principal)) {
        principals.add(principal);
      }
    }
    List<String> actions = new ArrayList<>();
    int actionCount = 1 + random.nextInt(2);
    while (actions.size() < actionCount) {
      String action = pick(ACTIONS, random);
      if (!actions.contains(action)) {
        actions.add(action);
      }
    }
    List<Cond> conds = new ArrayList<>();
    if (random.nextBoolean()) {
      conds.add(pick(CONDITIONS, random));
    }
    return new Stmt(null, random.nextInt(5) > 0, principals, false, actions, conds);
  }

  static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }
}
