package dev.mrkpolicyguard.localaws;

import com.sun.net.httpserver.HttpServer;
import dev.mrkpolicyguard.localaws.cloudtrail.CloudTrailService;
import dev.mrkpolicyguard.localaws.config.ConfigService;
import dev.mrkpolicyguard.localaws.config.ConfigStore;
import dev.mrkpolicyguard.localaws.events.CloudTrailEvents;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import dev.mrkpolicyguard.localaws.fault.Faults;
import dev.mrkpolicyguard.localaws.kms.EngineLockoutCheck;
import dev.mrkpolicyguard.localaws.kms.KmsService;
import dev.mrkpolicyguard.localaws.kms.KmsStore;
import dev.mrkpolicyguard.localaws.kms.LockoutCheck;
import dev.mrkpolicyguard.localaws.lambda.LambdaService;
import dev.mrkpolicyguard.localaws.organizations.OrganizationsService;
import dev.mrkpolicyguard.localaws.protocol.Principal;
import dev.mrkpolicyguard.localaws.s3.S3Service;
import dev.mrkpolicyguard.localaws.sqs.SqsService;
import dev.mrkpolicyguard.localaws.ssm.SsmService;
import dev.mrkpolicyguard.localaws.sts.StsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The local AWS stand-in: one loopback HTTP endpoint serving KMS, Config, SSM, SQS, STS, S3 and
 * CloudTrail (LookupEvents) for every account and Region, with a Java API for tests (state, call
 * counts, faults).
 */
public final class LocalAwsServer implements AutoCloseable {
  /**
   * The JDK server's read timeout (seconds), read once per JVM when its first server starts: the
   * first stand-in started in a JVM sets it, unless it is set on the command line.
   */
  static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";

  private final Builder settings;
  private final ServerClock clock;
  private final Identities identities;
  private final CallLog calls = new CallLog();
  private final Faults faults;
  private final KmsStore kms;
  private final ConfigStore config = new ConfigStore();
  private final SsmService ssm = new SsmService();
  private final OrganizationsService organizations = new OrganizationsService();
  private final S3Service s3;
  private final CloudTrailService cloudTrail = new CloudTrailService();
  private final SqsService sqs = new SqsService();
  private final LambdaService lambda = new LambdaService();
  private final CloudTrailEvents events = new CloudTrailEvents();
  private HttpServer http;
  private ExecutorService executor;

  private LocalAwsServer(Builder builder) {
    this.settings = builder;
    this.clock = new ServerClock(builder.clock);
    this.identities = new Identities(builder.defaultAccount, builder.principals);
    this.faults = new Faults(builder.faultSeed);
    this.kms = new KmsStore(clock);
    this.s3 = new S3Service(builder.maxObjectBytes);
    applyConfiguredState();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds to 127.0.0.1 on the configured port (0 picks a free one) and starts serving. */
  public synchronized LocalAwsServer start() {
    if (http != null) {
      throw new IllegalStateException("already started on port " + port());
    }
    // Without TCP_NODELAY a response split into headers and body waits for the client's delayed
    // ACK (about 40 ms per call on Linux), which made every stand-in call cost ~50 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // The JDK's server has no read timeout by default: a client that sends part of a body holds a
    // worker thread for good, and 16 such clients stall every other call. maxReqTime closes a
    // connection whose request is not read in full within that many seconds.
    if (System.getProperty(MAX_REQUEST_TIME) == null) {
      System.setProperty(MAX_REQUEST_TIME, String.valueOf(settings.readTimeoutSeconds));
    }
    try {
      http =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind 127.0.0.1:" + settings.port, e);
    }
    executor = Executors.newFixedThreadPool(settings.threads, daemonThreads());
    http.setExecutor(executor);
    http.createContext("/", dispatcher());
    http.start();
    return this;
  }

  /** Stops serving and frees the port; in-flight calls get a short grace period. */
  public synchronized void stop() {
    if (http == null) {
      return;
    }
    http.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http = null;
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Forgets all state, call counts, faults, issued credentials and clock advances, back to what the
   * builder configured.
   */
  public void reset() {
    kms.reset();
    config.reset();
    ssm.reset();
    organizations.reset();
    s3.reset();
    cloudTrail.reset();
    sqs.reset();
    lambda.reset();
    events.reset();
    identities.reset();
    calls.clear();
    faults.clear();
    clock.reset();
    applyConfiguredState();
  }

  public synchronized int port() {
    if (http == null) {
      throw new IllegalStateException("not started");
    }
    return http.getAddress().getPort();
  }

  /** The endpoint to give SDK clients as {@code endpointOverride}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port());
  }

  public CallLog calls() {
    return calls;
  }

  public Faults faults() {
    return faults;
  }

  public KmsStore kms() {
    return kms;
  }

  public ConfigStore config() {
    return config;
  }

  /** The CloudTrail event history: record events here for LookupEvents to find. */
  public CloudTrailService cloudTrail() {
    return cloudTrail;
  }

  /** The CloudTrail events of the KMS write calls, per account and Region's default bus. */
  public CloudTrailEvents events() {
    return events;
  }

  /** The organization: seed its accounts here for ListAccounts. */
  public OrganizationsService organizations() {
    return organizations;
  }

  /** Lambda functions and their resource-based policies: register functions here. */
  public LambdaService lambda() {
    return lambda;
  }

  public SqsService sqs() {
    return sqs;
  }

  public Identities identities() {
    return identities;
  }

  /** Moves the stand-in's clock forward, e.g. past a key's deletion date. */
  public void advanceClock(Duration by) {
    clock.advance(by);
  }

  private Dispatcher dispatcher() {
    return new Dispatcher(
        List.of(
            new KmsService(kms, settings.lockoutCheck, events),
            new ConfigService(config, kms),
            ssm,
            cloudTrail,
            sqs,
            organizations),
        new Dispatcher.Endpoints(new StsService(identities), s3, lambda),
        new Dispatcher.Instruments(identities, calls, faults, clock));
  }

  private void applyConfiguredState() {
    settings.rules.forEach(
        (name, tokens) -> config.registerRuleEverywhere(name, tokens.toArray(String[]::new)));
    settings.faults.forEach(faults::add);
    settings.organizationAccounts.forEach(
        (id, state) -> organizations.addAccount(id, "account " + id, state));
    settings.functions.forEach(
        (name, aliases) -> lambda.addFunctionEverywhere(name, aliases.toArray(String[]::new)));
  }

  private static ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "local-aws");
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Settings of a {@link LocalAwsServer}; every setting has a default. */
  public static final class Builder {
    private int port;
    private int threads = 64;
    private String defaultAccount = "111122223333";
    private final Map<String, Principal> principals = new LinkedHashMap<>();
    private LockoutCheck lockoutCheck = new EngineLockoutCheck();
    private long faultSeed = 42;
    private final List<FaultRule> faults = new ArrayList<>();
    private final Map<String, List<String>> rules = new LinkedHashMap<>();
    private final Map<String, List<String>> functions = new LinkedHashMap<>();
    private final Map<String, String> organizationAccounts = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private long readTimeoutSeconds = 5;
    private long maxObjectBytes = 16L * 1024 * 1024;

    private Builder() {}

    /**
     * How long a client may take to send one whole request (headers and body), in whole seconds,
     * default 5: a connection still sending after that is closed, so a slow or stalled client
     * cannot hold the server's threads. It applies to every stand-in in the JVM and only the first
     * started sets it (the JDK's server reads it once).
     */
    public Builder readTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the read timeout must be positive, got " + timeout);
      }
      this.readTimeoutSeconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
      return this;
    }

    /**
     * The largest S3 object stored, default 16 MiB: a PutObject over it answers EntityTooLarge, and
     * no request body much longer is read into memory.
     */
    public Builder maxObjectBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("the object size bound must be positive, got " + bytes);
      }
      this.maxObjectBytes = bytes;
      return this;
    }

    /** The port to bind on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Worker threads, default 64 (started as calls need them): each call in progress holds one, and
     * so does a client still sending its request, until the read timeout closes it.
     */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** The account of access keys not otherwise mapped (default 111122223333). */
    public Builder defaultAccount(String account) {
      this.defaultAccount = Objects.requireNonNull(account, "account");
      return this;
    }

    /** Makes an access key act as the root principal of an account. */
    public Builder accessKeyAccount(String accessKeyId, String account) {
      principals.put(accessKeyId, Principal.root(account));
      return this;
    }

    /** Makes an access key act as an explicit principal, e.g. a role session ARN. */
    public Builder accessKeyPrincipal(String accessKeyId, String principalArn) {
      principals.put(accessKeyId, Principal.ofArn(principalArn));
      return this;
    }

    /** The judgement of the KMS lockout safety check; our policy engine's evaluator by default. */
    public Builder lockoutCheck(LockoutCheck check) {
      this.lockoutCheck = Objects.requireNonNull(check, "check");
      return this;
    }

    /** Seed of the fault random source, for reproducible fault sequences. */
    public Builder faultSeed(long seed) {
      this.faultSeed = seed;
      return this;
    }

    /** A fault in force from the start and again after each reset. */
    public Builder fault(FaultRule rule) {
      faults.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** A Config rule registered in every account and Region, accepting this result token. */
    public Builder configRule(String ruleName, String resultToken) {
      rules.computeIfAbsent(ruleName, n -> new ArrayList<>()).add(resultToken);
      return this;
    }

    /** A Lambda function registered in every account and Region, with these aliases. */
    public Builder lambdaFunction(String name, String... aliases) {
      functions.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(aliases));
      return this;
    }

    /** An account of the organization (ListAccounts), in a state such as ACTIVE or SUSPENDED. */
    public Builder organizationAccount(String id, String state) {
      organizationAccounts.put(id, state);
      return this;
    }

    /** The base clock; tests may also move time with {@link LocalAwsServer#advanceClock}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public LocalAwsServer build() {
      return new LocalAwsServer(this);
    }
  }
}
