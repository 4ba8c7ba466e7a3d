package dev.mrkpolicyguard.startup;

import dev.mrkpolicyguard.aws.NoNetworkHttpClient;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.aws.SdkPriming;
import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.rule.BaselineParser;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda takes a function's snapshot, load and run what the first event
 * would otherwise load and compile on the clock. It parses the bundled pair of policies and the
 * bundled baseline, loads the KMS action catalogue, compares the pair, and builds a client of each
 * SDK service in the jar and marshals and signs each request the functions make, through an HTTP
 * client that sends nothing ({@link NoNetworkHttpClient}). Then it runs the registered handler's
 * own path ({@link HandlerPath}: the bundled events through a second instance of the handler,
 * {@link #ROUNDS} times so that the JIT compiles it) with every client pointed at {@link
 * LoopbackAws} on 127.0.0.1, which answers with bundled answers and closes each connection; and it
 * loads the classes of the default credential chain without resolving it. Nothing it makes is kept:
 * the clients are closed, the credentials are a fixed placeholder (never the function's own, which
 * the restored function resolves on its first call), the loopback server is stopped before the
 * checkpoint, and no connection, thread or random source outlives it, as the SnapStart guidance
 * asks (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html).
 *
 * <p>Each handler's Lambda constructor calls {@link #register(HandlerPath)}; outside a SnapStart
 * runtime the registration does nothing.
 */
public final class Priming implements Resource {
  /** The primary key of the bundled pair. */
  public static final String PRIMARY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";

  static final String REPLICA_REGION = "eu-west-1";
  static final String PRIMARY_REGION = "us-east-1";

  /**
   * How many times the handler's path runs, so that the JIT compiles the hot methods before the
   * checkpoint. Measured (docs/benchmarks.md, "SnapStart priming, reaching the first event"): the
   * first event's ratio to a warm one was within noise after one round, since loading the classes
   * was most of the cost, while priming grew with the rounds; 10 keeps it to seconds.
   */
  public static final int ROUNDS = 10;

  /** What priming waits at most for the rule's worker threads to end after a periodic run. */
  private static final long WORKERS_END_MILLIS = 2_000;

  // The runtime's context may hold resources weakly: this reference keeps the one registered.
  private static final Priming INSTANCE = new Priming();
  private static final AtomicBoolean REGISTERED = new AtomicBoolean();
  // The registered handler's path: a reference to a static method, no state of its own.
  private static final AtomicReference<HandlerPath> HANDLER = new AtomicReference<>();

  /**
   * A handler's own path, run while priming: it builds a second instance of the handler over {@code
   * clients} (every client at the loopback stand-in, placeholder credentials) and hands it the
   * bundled events. The instance is dropped afterwards and the clients closed.
   */
  @FunctionalInterface
  public interface HandlerPath {
    void run(SdkClientFactory clients) throws IOException;
  }

  private Priming() {}

  /** The one instance that {@link #register()} registers. */
  static Priming instance() {
    return INSTANCE;
  }

  /** Registers priming with the runtime's checkpoint hooks, once per JVM. */
  public static void register() {
    HttpKeepAlive.ensure();
    if (REGISTERED.compareAndSet(false, true)) {
      Core.getGlobalContext().register(INSTANCE);
    }
  }

  /** Registers priming, and {@code path} as the handler's own path to run while priming. */
  public static void register(HandlerPath path) {
    HANDLER.set(path);
    register();
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    Report report = prime();
    // One JSON line in the function's log: what was primed, and what could not be.
    System.out.println(report.toJsonLine());
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to renew: priming kept no credentials, connections or random state.
  }

  /**
   * What one priming did: the engine's verdict on the bundled pair, the requests marshalled without
   * a network, the operations the handler's path called on the loopback stand-in, and what failed.
   */
  public record Report(
      Verdict verdict, List<String> requests, List<String> handlerCalls, List<String> problems) {
    public Report {
      requests = List.copyOf(requests);
      handlerCalls = List.copyOf(handlerCalls);
      problems = List.copyOf(problems);
    }

    String toJsonLine() {
      return "{\"level\":\"INFO\",\"message\":\"SnapStart priming\",\"verdict\":\""
          + verdict
          + "\",\"requests\":"
          + requests.size()
          + ",\"handlerCalls\":"
          + handlerCalls.size()
          + ",\"problems\":"
          + problems.size()
          + "}";
    }
  }

  /**
   * Runs the priming: never throws, a step that fails is listed in the report's problems (the
   * snapshot is still good, only less warm).
   */
  public static Report prime() {
    return prime(ROUNDS);
  }

  /** Runs the priming with the handler's path run {@code rounds} times (measurements). */
  public static Report prime(int rounds) {
    List<String> problems = new ArrayList<>();
    Verdict verdict = null;
    try {
      verdict = compareBundledPair();
    } catch (RuntimeException | LinkageError e) {
      problems.add("comparison: " + e);
    }
    List<String> requests = new ArrayList<>();
    try (NoNetworkHttpClient http = new NoNetworkHttpClient()) {
      SdkPriming.run(http, problems);
      requests.addAll(http.seen());
    }
    attempt("credential chain", problems, SdkPriming::loadCredentialChain);
    List<String> handlerCalls = new ArrayList<>();
    HandlerPath path = HANDLER.get();
    if (path != null) {
      attempt("handler", problems, () -> handlerCalls.addAll(runHandler(path, rounds)));
    }
    return new Report(verdict, requests, handlerCalls, problems);
  }

  private static List<String> runHandler(HandlerPath path, int rounds) {
    List<String> calls;
    try (LoopbackAws aws = LoopbackAws.start()) {
      // One set of clients for every round, closed after the last: each client's scheduler
      // thread ends with it.
      SdkClientFactory clients = SdkPriming.clients(region(), aws.endpoint());
      try {
        for (int i = 0; i < rounds; i++) {
          path.run(clients);
        }
      } finally {
        SdkPriming.close(clients, List.of(region(), REPLICA_REGION, PRIMARY_REGION));
      }
      calls = aws.seen();
      LoopbackAws.loadKeepAliveClasses();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      awaitWorkers();
    }
    return calls;
  }

  /**
   * A periodic run stops its pool without waiting for the threads to end: wait for them here, so
   * that none is in the snapshot.
   */
  private static void awaitWorkers() {
    long deadline = System.currentTimeMillis() + WORKERS_END_MILLIS;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("mrk-policy-guard-")) {
        try {
          thread.join(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** A bundled file as a stream (the events of the handlers' paths); the caller closes it. */
  public static InputStream stream(String name) {
    InputStream in = Priming.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("the bundled " + name + " is missing from the jar");
    }
    return in;
  }

  /** The function's Region, as the handler's Lambda constructor reads it; else the pair's. */
  public static String region() {
    String region = System.getenv("AWS_REGION");
    return region == null || region.isEmpty() ? REPLICA_REGION : region;
  }

  private static Verdict compareBundledPair() {
    KmsCatalog.standard();
    // The engine's parser, not the SSM adapter: the trigger's jar has no SSM classes.
    if (!(new BaselineParser().parse(resource("baseline.json"))
        instanceof BaselineParser.Result.Parsed baseline)) {
      throw new IllegalStateException("the bundled baseline does not parse");
    }
    KeyContext primaryKey =
        KeyContext.parse(PRIMARY_ARN)
            .orElseThrow()
            .withUsage("ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT");
    KeyContext replicaKey = primaryKey.inRegion(REPLICA_REGION);
    Verdict verdict =
        new PolicyComparator()
            .compare(policy("primary.json"), primaryKey, policy("replica.json"), replicaKey)
            .verdict();
    // The rule's whole per-key decision (comparison, baseline floor and ceilings) on the pair.
    new KeyDecider()
        .decide(
            new KeyFacts(
                replicaKey.keyArn(),
                KeyRole.REPLICA,
                PRIMARY_ARN,
                false,
                "Enabled",
                new PolicyFact.Known(resource("replica.json")),
                new PolicyFact.Known(resource("primary.json"))),
            baseline.baseline());
    return verdict;
  }

  private static KeyPolicy policy(String name) {
    ParseResult result = new PolicyParser().parse(resource(name));
    if (result instanceof ParseResult.Parsed parsed) {
      return parsed.policy();
    }
    throw new IllegalStateException("the bundled policy " + name + " does not parse");
  }

  /**
   * A file bundled with the priming classes ({@code /dev/mrkpolicyguard/startup/NAME}), as text.
   */
  public static String resource(String name) {
    try (InputStream in = Priming.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the bundled " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code step}, listing what it threw under {@code name}. */
  public static void attempt(String name, List<String> problems, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException | LinkageError e) {
      problems.add(name + ": " + e);
    }
  }
}
