package dev.mrkpolicyguard.bench;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;

/**
 * Prints the generated policies' sizes and one timed comparison each, without JMH: {@code java -cp
 * benchmarks/target/benchmarks.jar dev.mrkpolicyguard.bench.Inspect [dump|cpu|shapes|table
 * [quick]]}. For looking at shapes before a benchmark run; {@code table} measures the calling
 * thread's CPU time per comparison of each shape in docs/benchmarks.md (a warm-up round, then a
 * measured one), also for another engine's classes put first on the class path.
 */
public final class Inspect {
  private Inspect() {}

  public static void main(String[] args) {
    PolicyGenerator.Pair pair =
        PolicyGenerator.nearLimit(CompareBenchmark.NEAR_LIMIT_SEED, PolicyParser.MAX_POLICY_BYTES);
    if (args.length > 0 && args[0].equals("shapes")) {
      for (int n : new int[] {20, 230}) {
        String primary = PolicyGenerator.encryptionContextFamily(n, -1);
        String replica = PolicyGenerator.encryptionContextFamily(n, n / 2);
        cpu("family" + n + " (" + PolicyGenerator.bytes(primary) + " B)", primary, replica, 3);
      }
      for (int statements : new int[] {16, 40, 64}) {
        String p = PolicyGenerator.scaling(statements, 1, 8, "us-east-1", false);
        String r = PolicyGenerator.scaling(statements, 1, 8, "eu-west-1", true);
        cpu("keys8x" + statements + " (" + PolicyGenerator.bytes(p) + " B)", p, r, 1);
        cpu("keys8x" + statements + " self", p, p, 1);
      }
      return;
    }
    if (args.length > 0 && args[0].equals("table")) {
      // The shapes of docs/benchmarks.md; "quick" skips those the one-sided engine cannot finish.
      boolean quick = args.length > 1 && args[1].equals("quick");
      cpu(
          "typical pair",
          CompareBenchmark.resource("typical/primary.json"),
          CompareBenchmark.resource("typical/replica.json"),
          2000);
      cpu("near-32KB pair", pair.primary(), pair.replica(), 12);
      cpu(
          "family N=20",
          PolicyGenerator.encryptionContextFamily(20, -1),
          PolicyGenerator.encryptionContextFamily(20, 10),
          quick ? 1 : 12);
      if (!quick) {
        cpu(
            "family N=230",
            PolicyGenerator.encryptionContextFamily(230, -1),
            PolicyGenerator.encryptionContextFamily(230, 115),
            12);
        String many = PolicyGenerator.scaling(40, 1, 8, "us-east-1", false);
        cpu("manyKeys rewritten", many, PolicyGenerator.scaling(40, 1, 8, "eu-west-1", true), 12);
        cpu("manyKeys verbatim", many, many, 12);
      }
      return;
    }
    if (args.length > 0 && args[0].equals("cpu")) {
      cpu(
          "typicalPair",
          CompareBenchmark.resource("typical/primary.json"),
          CompareBenchmark.resource("typical/replica.json"),
          200);
      cpu("nearLimitPair", pair.primary(), pair.replica(), 1);
      return;
    }
    if (args.length > 0 && args[0].equals("dump")) {
      System.out.println(pair.primary());
      System.out.println(pair.replica());
      return;
    }
    System.out.printf(
        "near-limit: %d statements, primary %d bytes, replica %d bytes%n",
        pair.statements(),
        PolicyGenerator.bytes(pair.primary()),
        PolicyGenerator.bytes(pair.replica()));
    run("near-limit", pair.primary(), pair.replica());
    for (int s : new int[] {4, 16, 64}) {
      for (int p : new int[] {1, 8, 32}) {
        for (int k : new int[] {0, 2, 4, 8}) {
          String a = PolicyGenerator.scaling(s, p, k, "us-east-1", false);
          String b = PolicyGenerator.scaling(s, p, k, "eu-west-1", true);
          run(s + "x" + p + "x" + k + " (" + PolicyGenerator.bytes(a) + " B)", a, b);
        }
      }
    }
  }

  /**
   * Thread CPU time per comparison after a warm-up of the same length: less sensitive than wall
   * time to other processes on a busy machine, though it still counts cache and JIT effects.
   */
  private static void cpu(String what, String a, String b, int ops) {
    KeyPolicy p = CompareBenchmark.parse(a, what + " primary");
    KeyPolicy r = CompareBenchmark.parse(b, what + " replica");
    PolicyComparator comparator = new PolicyComparator();
    java.lang.management.ThreadMXBean bean =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 2; round++) {
      long[] samples = new long[ops];
      Comparison last = null;
      for (int i = 0; i < ops; i++) {
        long start = bean.getCurrentThreadCpuTime();
        last = comparator.compare(p, CompareBenchmark.PRIMARY_KEY, r, CompareBenchmark.REPLICA_KEY);
        samples[i] = bean.getCurrentThreadCpuTime() - start;
      }
      System.out.println(
          what + ": " + last.verdict() + (last.reason() == null ? "" : " (" + last.reason() + ")"));
      java.util.Arrays.sort(samples);
      System.out.printf(
          "%s %s: CPU time per op over %d ops: min %.2f ms, median %.2f ms, max %.2f ms%n",
          what,
          round == 0 ? "warm-up" : "measured",
          ops,
          samples[0] / 1e6,
          samples[ops / 2] / 1e6,
          samples[ops - 1] / 1e6);
    }
  }

  private static void run(String what, String a, String b) {
    KeyPolicy p = CompareBenchmark.parse(a, what + " primary");
    KeyPolicy r = CompareBenchmark.parse(b, what + " replica");
    PolicyComparator comparator = new PolicyComparator();
    long start = System.nanoTime();
    Comparison c =
        comparator.compare(p, CompareBenchmark.PRIMARY_KEY, r, CompareBenchmark.REPLICA_KEY);
    long micros = (System.nanoTime() - start) / 1000;
    System.out.printf(
        "%-30s %-16s %8d us  %s%n",
        what,
        c.verdict(),
        micros,
        c.reason() != null ? c.reason() : c.differences().size() + " differences");
  }
}
