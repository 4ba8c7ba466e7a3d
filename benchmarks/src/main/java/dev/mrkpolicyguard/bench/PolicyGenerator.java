package dev.mrkpolicyguard.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Deterministic key-policy generators for the benchmarks. Every policy is written for the
 * multi-Region key {@code mrk-1234...} in a given Region, so the primary (us-east-1) and the
 * replica (eu-west-1) come from the same draws and differ only in Region values, statement order
 * and any drift injected on purpose.
 */
final class PolicyGenerator {
  static final String OWN_ACCOUNT = "111122223333";
  static final List<String> ACCOUNTS =
      List.of(OWN_ACCOUNT, "444455556666", "777788889999", "222233334444");
  static final List<String> SERVICES =
      List.of("ec2", "rds", "s3", "lambda", "dynamodb", "secretsmanager", "sqs", "sns");
  static final List<List<String>> USAGE_ACTIONS =
      List.of(
          List.of(
              "kms:Encrypt",
              "kms:Decrypt",
              "kms:ReEncrypt*",
              "kms:GenerateDataKey*",
              "kms:DescribeKey"),
          List.of("kms:Decrypt", "kms:DescribeKey"),
          List.of("kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"),
          List.of("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"),
          List.of("kms:Sign", "kms:Verify", "kms:GetPublicKey"));
  static final List<String> ADMIN_ACTIONS =
      List.of(
          "kms:Create*",
          "kms:Describe*",
          "kms:Enable*",
          "kms:List*",
          "kms:Put*",
          "kms:Update*",
          "kms:Revoke*",
          "kms:Disable*",
          "kms:Get*",
          "kms:Delete*",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion",
          "kms:RotateKeyOnDemand",
          "kms:ReplicateKey",
          "kms:UpdatePrimaryRegion");

  private PolicyGenerator() {}

  /** UTF-8 size, as KMS counts it. */
  static int bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }

  // ---------------------------------------------------------------------------------------------
  // Scaling shape

  /**
   * A policy of {@code statements} statements: the account-root statement, then statements that
   * each name {@code principals} distinct roles (spread over four accounts) and carry a condition
   * on each of the first {@code conditionKeys} keys of {@link #conditionKey}, with values that
   * differ per statement. The replica variant is the same policy in {@code region} with the
   * statements in reverse order, so the pair is EQUIVALENT.
   */
  static String scaling(
      int statements, int principals, int conditionKeys, String region, boolean reversed) {
    List<String> out = new ArrayList<>();
    out.add(rootStatement("Root"));
    for (int i = 1; i < statements; i++) {
      List<String> arns = new ArrayList<>();
      List<String> accounts = new ArrayList<>();
      for (int j = 0; j < principals; j++) {
        String account = ACCOUNTS.get(j % ACCOUNTS.size());
        arns.add("arn:aws:iam::" + account + ":role/app-" + i + "-r" + j);
        if (!accounts.contains(account)) {
          accounts.add(account);
        }
      }
      List<String[]> conditions = new ArrayList<>();
      for (int k = 0; k < conditionKeys; k++) {
        conditions.add(conditionKey(k, i, accounts, region));
      }
      out.add(
          statement(
              "S" + i,
              "Allow",
              aws(arns),
              USAGE_ACTIONS.get(i % USAGE_ACTIONS.size()),
              conditions));
    }
    if (reversed) {
      Collections.reverse(out);
    }
    return document("scaling", out);
  }

  /**
   * Condition key number {@code k} (0-7) for statement {@code i}: {operator, key, values...}. All
   * string-family, single-valued, one operator family per key.
   */
  static String[] conditionKey(int k, int i, List<String> accounts, String region) {
    return switch (k) {
      case 0 ->
          new String[] {
            "StringEquals",
            "kms:ViaService",
            SERVICES.get(i % SERVICES.size()) + "." + region + ".amazonaws.com"
          };
      case 1 -> concat(new String[] {"StringEquals", "kms:CallerAccount"}, accounts);
      case 2 ->
          new String[] {
            "ArnLike",
            "kms:EncryptionContext:aws:logs:arn",
            "arn:aws:logs:" + region + ":" + OWN_ACCOUNT + ":log-group:/app/" + i + "/*"
          };
      case 3 -> new String[] {"ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/app-" + i + "-*"};
      case 4 -> new String[] {"StringEquals", "kms:EncryptionContext:project", "project-" + i};
      case 5 ->
          new String[] {
            "StringEquals",
            "kms:EncryptionAlgorithm",
            i % 2 == 0 ? "SYMMETRIC_DEFAULT" : "RSAES_OAEP_SHA_256"
          };
      case 6 -> new String[] {"StringLike", "kms:RequestAlias", "alias/app-" + i + "-*"};
      case 7 ->
          new String[] {
            "StringEquals", "aws:PrincipalTag/cost-center", String.format("cc-%08x", i)
          };
      default -> throw new IllegalArgumentException("condition key " + k);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Encryption-context family

  /**
   * The applications that each use the key through their own encryption-context key: the root
   * statement, then {@code applications} statements granting {@code "*"} Decrypt when {@code
   * kms:EncryptionContext:app-<i>} names the application; statement {@code dropped} left out (-1
   * for none), as in a replica that missed one application.
   */
  static String encryptionContextFamily(int applications, int dropped) {
    List<String> out = new ArrayList<>();
    out.add(
        "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + OWN_ACCOUNT
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    for (int i = 0; i < applications; i++) {
      if (i != dropped) {
        // Compact on purpose: 230 of these fill the 32 KB a key policy may have.
        out.add(
            "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
                + "\"kms:EncryptionContext:app"
                + i
                + "\":\"a"
                + i
                + "\"}}}");
      }
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", out) + "]}";
  }

  // ---------------------------------------------------------------------------------------------
  // Near-limit shape

  /** A generated primary/replica pair just under the 32 KB limit. */
  record Pair(String primary, String replica, int statements) {}

  /**
   * A near-32 KB pair drawn from {@code seed}: the console statements (root, administrators), then
   * a random mix of statements until the next one would cross {@code maxBytes}: cross-account role
   * usage with kms:ViaService / kms:EncryptionContext / aws:PrincipalArn conditions, Regional
   * service principals with an encryption-context ARN condition, account-wide use through a service
   * (Principal * with kms:CallerAccount and kms:ViaService), and cross-account roots for Decrypt.
   * The replica is the same policy in eu-west-1, statements shuffled, with one drift: the first
   * usage statement from two thirds of the way down loses its first action.
   */
  static Pair nearLimit(long seed, int maxBytes) {
    List<String[]> primaryStatements = new ArrayList<>();
    List<String[]> replicaStatements = new ArrayList<>();
    Random random = new Random(seed);
    int i = 0;
    int drifted = -1;
    // Generate until full, remembering both variants; drift is chosen after the count is known.
    List<long[]> draws = new ArrayList<>();
    while (true) {
      long draw = random.nextLong();
      draws.add(new long[] {draw});
      String p = document("primary", build(draws, "us-east-1", -1));
      if (bytes(p) > maxBytes) {
        draws.remove(draws.size() - 1);
        break;
      }
      i++;
    }
    // Drift in the last usage statement at or after two thirds of the way down.
    List<String> kinds = kinds(draws);
    for (int s = (2 * draws.size()) / 3; s < draws.size(); s++) {
      if (kinds.get(s).equals("usage")) {
        drifted = s;
        break;
      }
    }
    if (drifted < 0) {
      throw new IllegalStateException("no usage statement to drift");
    }
    List<String> primary = build(draws, "us-east-1", -1);
    List<String> replica = build(draws, "eu-west-1", drifted);
    Collections.shuffle(replica, new Random(seed ^ 0x5DEECE66DL));
    return new Pair(
        document("primary-" + seed, primary), document("replica-" + seed, replica), i + 2);
  }

  private static List<String> kinds(List<long[]> draws) {
    List<String> kinds = new ArrayList<>();
    for (long[] d : draws) {
      kinds.add(kind(new Random(d[0]).nextInt(10)));
    }
    return kinds;
  }

  private static String kind(int roll) {
    if (roll < 5) {
      return "usage";
    } else if (roll < 7) {
      return "service";
    } else if (roll < 9) {
      return "via";
    }
    return "partner";
  }

  private static List<String> build(List<long[]> draws, String region, int drifted) {
    List<String> out = new ArrayList<>();
    out.add(rootStatement("Enable IAM User Permissions"));
    out.add(
        statement(
            "Allow access for Key Administrators",
            "Allow",
            aws(
                List.of(
                    "arn:aws:iam::" + OWN_ACCOUNT + ":role/KeyAdmin",
                    "arn:aws:iam::" + OWN_ACCOUNT + ":role/SecurityAudit-Admin")),
            ADMIN_ACTIONS,
            List.of()));
    for (int s = 0; s < draws.size(); s++) {
      Random r = new Random(draws.get(s)[0]);
      String kind = kind(r.nextInt(10));
      String sid = kind + "-" + s;
      switch (kind) {
        case "usage" -> {
          int n = 1 + r.nextInt(4);
          List<String> arns = new ArrayList<>();
          List<String> accounts = new ArrayList<>();
          for (int j = 0; j < n; j++) {
            String account = ACCOUNTS.get(r.nextInt(ACCOUNTS.size()));
            arns.add("arn:aws:iam::" + account + ":role/svc-" + s + "-" + j);
            if (!accounts.contains(account)) {
              accounts.add(account);
            }
          }
          List<String> actions = new ArrayList<>(USAGE_ACTIONS.get(r.nextInt(3)));
          if (s == drifted) {
            actions.remove(0);
          }
          List<String[]> conditions = new ArrayList<>();
          if (r.nextBoolean()) {
            conditions.add(conditionKey(0, s, accounts, region));
          }
          if (r.nextBoolean()) {
            conditions.add(conditionKey(2, s, accounts, region));
          }
          if (r.nextInt(3) == 0) {
            conditions.add(conditionKey(3, s, accounts, region));
          }
          if (r.nextInt(3) == 0) {
            conditions.add(conditionKey(4, s, accounts, region));
          }
          out.add(statement(sid, "Allow", aws(arns), actions, conditions));
        }
        case "service" -> {
          String service = List.of("logs", "sns", "events", "delivery.logs").get(r.nextInt(4));
          out.add(
              statement(
                  sid,
                  "Allow",
                  "{\"Service\":\"" + service + "." + region + ".amazonaws.com\"}",
                  List.of(
                      "kms:Encrypt*",
                      "kms:Decrypt*",
                      "kms:ReEncrypt*",
                      "kms:GenerateDataKey*",
                      "kms:Describe*"),
                  List.<String[]>of(
                      new String[] {
                        "ArnLike",
                        "kms:EncryptionContext:aws:logs:arn",
                        "arn:aws:logs:" + region + ":" + OWN_ACCOUNT + ":log-group:/svc/" + s + "/*"
                      })));
        }
        case "via" -> {
          String account = ACCOUNTS.get(r.nextInt(ACCOUNTS.size()));
          String service = SERVICES.get(r.nextInt(SERVICES.size()));
          out.add(
              statement(
                  sid,
                  "Allow",
                  "{\"AWS\":\"*\"}",
                  USAGE_ACTIONS.get(r.nextInt(3)),
                  List.of(
                      new String[] {"StringEquals", "kms:CallerAccount", account},
                      new String[] {
                        "StringEquals", "kms:ViaService", service + "." + region + ".amazonaws.com"
                      })));
        }
        default -> {
          String account = ACCOUNTS.get(1 + r.nextInt(ACCOUNTS.size() - 1));
          out.add(
              statement(
                  sid,
                  "Allow",
                  "{\"AWS\":\"arn:aws:iam::" + account + ":root\"}",
                  List.of("kms:Decrypt", "kms:DescribeKey"),
                  List.<String[]>of(
                      new String[] {
                        "StringEquals", "kms:EncryptionContext:partner", "partner-" + s
                      })));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // JSON

  private static String rootStatement(String sid) {
    return statement(
        sid,
        "Allow",
        "{\"AWS\":\"arn:aws:iam::" + OWN_ACCOUNT + ":root\"}",
        List.of("kms:*"),
        List.of());
  }

  private static String aws(List<String> arns) {
    return "{\"AWS\":" + array(arns) + "}";
  }

  private static String statement(
      String sid,
      String effect,
      String principal,
      List<String> actions,
      List<String[]> conditions) {
    StringBuilder out = new StringBuilder("{\"Sid\":\"").append(sid).append("\",\"Effect\":\"");
    out.append(effect).append("\",\"Principal\":").append(principal);
    out.append(",\"Action\":").append(array(actions)).append(",\"Resource\":\"*\"");
    if (!conditions.isEmpty()) {
      // Group by operator, as IAM requires one block per operator.
      List<String> operators = new ArrayList<>();
      for (String[] c : conditions) {
        if (!operators.contains(c[0])) {
          operators.add(c[0]);
        }
      }
      out.append(",\"Condition\":{");
      for (int o = 0; o < operators.size(); o++) {
        if (o > 0) {
          out.append(',');
        }
        out.append('"').append(operators.get(o)).append("\":{");
        boolean first = true;
        for (String[] c : conditions) {
          if (!c[0].equals(operators.get(o))) {
            continue;
          }
          if (!first) {
            out.append(',');
          }
          first = false;
          List<String> values = new ArrayList<>();
          for (int v = 2; v < c.length; v++) {
            values.add(c[v]);
          }
          out.append('"').append(c[1]).append("\":").append(array(values));
        }
        out.append('}');
      }
      out.append('}');
    }
    return out.append('}').toString();
  }

  private static String array(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(values.get(i)).append('"');
    }
    return out.append(']').toString();
  }

  private static String document(String id, List<String> statements) {
    return "{\"Version\":\"2012-10-17\",\"Id\":\""
        + id
        + "\",\"Statement\":[\n"
        + String.join(",\n", statements)
        + "\n]}";
  }

  private static String[] concat(String[] head, List<String> tail) {
    String[] out = new String[head.length + tail.size()];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = 0; i < tail.size(); i++) {
      out[head.length + i] = tail.get(i);
    }
    return out;
  }
}
