package dev.mrkpolicyguard.bench;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@link PolicyComparator#compare} takes for a multi-Region key's primary and replica
 * policies. Policies are parsed in {@code @Setup}; each benchmark measures one comparison, each
 * policy judged on its own key. Every {@code @Setup} checks the verdict and fails the run if it is
 * not the expected one, so a benchmark never times a wrong or UNDECIDED answer unnoticed. See
 * {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CompareBenchmark {
  static final KeyContext PRIMARY_KEY =
      new KeyContext("arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");
  static final KeyContext REPLICA_KEY = PRIMARY_KEY.inRegion("eu-west-1");

  /** The fixed seed of the near-limit pair. */
  static final long NEAR_LIMIT_SEED = 20_240_601L;

  static KeyPolicy parse(String json, String what) {
    ParseResult result = new PolicyParser().parse(json);
    if (result instanceof ParseResult.Parsed parsed) {
      return parsed.policy();
    }
    throw new IllegalStateException(
        what + " does not parse:\n" + ((ParseResult.Invalid) result).describe());
  }

  static String resource(String name) {
    try (InputStream in = CompareBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Comparison check(
      PolicyComparator comparator,
      KeyPolicy primary,
      KeyPolicy replica,
      Verdict expected,
      String what) {
    Comparison c = comparator.compare(primary, PRIMARY_KEY, replica, REPLICA_KEY);
    if (c.verdict() != expected) {
      throw new IllegalStateException(
          what
              + ": expected "
              + expected
              + " but got "
              + c.verdict()
              + (c.reason() != null ? " (" + c.reason() + ")" : "")
              + " with "
              + c.differences());
    }
    return c;
  }

  /** The console-style pair from examples/policies/regional-values-only (6 statements each). */
  @State(Scope.Benchmark)
  public static class Typical {
    PolicyComparator comparator;
    String primaryJson;
    String replicaJson;
    KeyPolicy primary;
    KeyPolicy replica;

    @Setup(Level.Trial)
    public void setup() {
      comparator = new PolicyComparator();
      primaryJson = resource("typical/primary.json");
      replicaJson = resource("typical/replica.json");
      primary = parse(primaryJson, "typical primary");
      replica = parse(replicaJson, "typical replica");
      check(comparator, primary, replica, Verdict.EQUIVALENT, "typicalPair");
    }
  }

  /** A generated pair of policies each just under 32,768 bytes, with one drift. */
  @State(Scope.Benchmark)
  public static class NearLimit {
    PolicyComparator comparator;
    KeyPolicy primary;
    KeyPolicy replica;

    @Setup(Level.Trial)
    public void setup() {
      comparator = new PolicyComparator();
      PolicyGenerator.Pair pair =
          PolicyGenerator.nearLimit(NEAR_LIMIT_SEED, PolicyParser.MAX_POLICY_BYTES);
      for (String json : new String[] {pair.primary(), pair.replica()}) {
        int bytes = PolicyGenerator.bytes(json);
        if (bytes < 30_000 || bytes > PolicyParser.MAX_POLICY_BYTES) {
          throw new IllegalStateException("near-limit policy is " + bytes + " bytes");
        }
      }
      primary = parse(pair.primary(), "near-limit primary");
      replica = parse(pair.replica(), "near-limit replica");
      check(comparator, primary, replica, Verdict.REPLICA_NARROWER, "nearLimitPair");
    }
  }

  /**
   * An EQUIVALENT pair of {@code statements} statements (the root statement plus role statements),
   * each naming {@code principals} roles and carrying {@code conditionKeys} condition keys.
   *
   * <p>The defaults sweep the statement count with one principal and no conditions. The other
   * sweeps are run one dimension at a time with {@code -p} (see docs/benchmarks.md): {@code -p
   * statements=4 -p principals=1,8,32 -p conditionKeys=0} and {@code -p statements=4 -p
   * principals=1 -p conditionKeys=0,2,4,8}. The full 3 x 3 x 4 grid is not a useful default: with
   * 64 statements and 8 keys or 8+ principals the policy exceeds the 32 KB limit (setup fails), and
   * several mid-size shapes take tens of seconds per comparison.
   */
  @State(Scope.Benchmark)
  public static class Scaling {
    @Param({"4", "16", "64"})
    int statements;

    @Param({"1"})
    int principals;

    @Param({"0"})
    int conditionKeys;

    PolicyComparator comparator;
    KeyPolicy primary;
    KeyPolicy replica;

    @Setup(Level.Trial)
    public void setup() {
      comparator = new PolicyComparator();
      String p = PolicyGenerator.scaling(statements, principals, conditionKeys, "us-east-1", false);
      String r = PolicyGenerator.scaling(statements, principals, conditionKeys, "eu-west-1", true);
      if (PolicyGenerator.bytes(p) > PolicyParser.MAX_POLICY_BYTES) {
        throw new IllegalStateException(
            shape()
                + " is "
                + PolicyGenerator.bytes(p)
                + " bytes, over the 32 KB key-policy limit");
      }
      primary = parse(p, "scaling primary");
      replica = parse(r, "scaling replica");
      check(comparator, primary, replica, Verdict.EQUIVALENT, "scaling " + shape());
    }

    String shape() {
      return statements
          + " statements x "
          + principals
          + " principals x "
          + conditionKeys
          + " keys";
    }
  }

  /**
   * The encryption-context family: {@code applications} statements each granting {@code "*"}
   * Decrypt under its own encryption-context key, against a replica that misses one (230 fill 32
   * KB). Exact verdict REPLICA_NARROWER.
   */
  @State(Scope.Benchmark)
  public static class Family {
    @Param({"20", "230"})
    int applications;

    PolicyComparator comparator;
    KeyPolicy primary;
    KeyPolicy replica;

    @Setup(Level.Trial)
    public void setup() {
      comparator = new PolicyComparator();
      primary = parse(PolicyGenerator.encryptionContextFamily(applications, -1), "family");
      replica =
          parse(PolicyGenerator.encryptionContextFamily(applications, applications / 2), "family");
      check(comparator, primary, replica, Verdict.REPLICA_NARROWER, "family" + applications);
    }
  }

  /**
   * A policy of 40 statements each testing 8 condition keys (25 KB): against its Region-rewritten
   * replica (EQUIVALENT) and against a verbatim copy on the replica (REPLICA_NARROWER: its
   * kms:ViaService and log-group ARN name the primary's Region).
   */
  @State(Scope.Benchmark)
  public static class ManyKeys {
    @Param({"rewritten", "verbatim"})
    String replicaText;

    PolicyComparator comparator;
    KeyPolicy primary;
    KeyPolicy replica;

    @Setup(Level.Trial)
    public void setup() {
      comparator = new PolicyComparator();
      String json = PolicyGenerator.scaling(40, 1, 8, "us-east-1", false);
      primary = parse(json, "many keys");
      boolean verbatim = replicaText.equals("verbatim");
      replica =
          verbatim
              ? primary
              : parse(PolicyGenerator.scaling(40, 1, 8, "eu-west-1", true), "many keys replica");
      check(
          comparator,
          primary,
          replica,
          verbatim ? Verdict.REPLICA_NARROWER : Verdict.EQUIVALENT,
          "manyKeys " + replicaText);
    }
  }

  @Benchmark
  public Comparison family(Family s) {
    return s.comparator.compare(s.primary, PRIMARY_KEY, s.replica, REPLICA_KEY);
  }

  @Benchmark
  public Comparison manyKeys(ManyKeys s) {
    return s.comparator.compare(s.primary, PRIMARY_KEY, s.replica, REPLICA_KEY);
  }

  @Benchmark
  public Comparison typicalPair(Typical s) {
    return s.comparator.compare(s.primary, PRIMARY_KEY, s.replica, REPLICA_KEY);
  }

  /** Parse both documents and compare: what the compare command does per pair. */
  @Benchmark
  public Comparison typicalPairWithParse(Typical s) {
    PolicyParser parser = new PolicyParser();
    KeyPolicy p = ((ParseResult.Parsed) parser.parse(s.primaryJson)).policy();
    KeyPolicy r = ((ParseResult.Parsed) parser.parse(s.replicaJson)).policy();
    return s.comparator.compare(p, PRIMARY_KEY, r, REPLICA_KEY);
  }

  @Benchmark
  public Comparison nearLimitPair(NearLimit s) {
    return s.comparator.compare(s.primary, PRIMARY_KEY, s.replica, REPLICA_KEY);
  }

  @Benchmark
  public Comparison scaling(Scaling s) {
    return s.comparator.compare(s.primary, PRIMARY_KEY, s.replica, REPLICA_KEY);
  }
}
