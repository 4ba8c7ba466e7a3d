package dev.mrkpolicyguard.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.ConfigOrganizationPack;
import dev.mrkpolicyguard.aws.LambdaAliasPolicy;
import dev.mrkpolicyguard.aws.OrganizationsDirectory;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.report.SafeJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The organisation reconcile's Lambda entry point (central layout, docs/deploy.md): on its schedule
 * or on demand ({@code aws lambda invoke --function-name mrk-policy-guard-reconcile}), any input,
 * it adds the rule alias's {@code config-<account>} permission for every ACTIVE account of the
 * organisation and removes those of accounts no longer ACTIVE (see {@link PermissionPlan}). It
 * writes one JSON line (with its metrics) and answers the same object; a run with a failed call
 * fails the invocation after the line, so that Lambda's Errors metric and the schedule's retry see
 * it.
 *
 * <p>When {@code ORGANIZATION_PACK_NAME} is set, the run then reads that organization conformance
 * pack's member statuses and, for accounts where it failed (the race with the member-role StackSet
 * for a new account), logs them with the command that puts the pack again ({@link PackRePut},
 * {@code ORGANIZATION_PACK_TEMPLATE_S3_URI} as its template) and counts {@code PackFailedAccounts}.
 *
 * <p>Environment: {@code AWS_REGION}; {@code RULE_ALIAS_ARN}, the rule function's alias; {@code
 * AWS_ENDPOINT_URL_ORGANIZATIONS} or {@code AWS_ENDPOINT_URL} point Organizations elsewhere (a
 * stand-in), as the SDK's own clients read them.
 */
public final class ReconcileHandler implements RequestStreamHandler {
  private static final ObjectMapper MAPPER = SafeJson.configure(new ObjectMapper());

  private final SdkClientFactory clients;
  private final Reconciler reconciler;
  private final String aliasArn;
  private final Clock clock;
  private final PrintStream log;

  /** The Lambda constructor: settings from the environment, the default credential chain. */
  public ReconcileHandler() {
    this(System.getenv());
  }

  private ReconcileHandler(Map<String, String> env) {
    this(
        SdkClientFactory.forAws(required(env, "AWS_REGION", "Lambda sets it"), null),
        organizationsEndpoint(env),
        required(env, "RULE_ALIAS_ARN", "the stack sets it to the rule function's alias"),
        env.getOrDefault("ORGANIZATION_PACK_NAME", ""),
        env.getOrDefault("ORGANIZATION_PACK_TEMPLATE_S3_URI", ""),
        Clock.systemUTC(),
        System.out);
  }

  /**
   * A handler over {@code clients} (tests point them at the stand-in), Organizations at {@code
   * organizationsEndpointOrNull}, for the alias {@code aliasArn}, checking the organization pack
   * {@code packNameOrEmpty} (none when empty).
   */
  public ReconcileHandler(
      SdkClientFactory clients,
      URI organizationsEndpointOrNull,
      String aliasArn,
      String packNameOrEmpty,
      String packTemplateS3UriOrEmpty,
      Clock clock,
      PrintStream log) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.aliasArn = Objects.requireNonNull(aliasArn, "aliasArn");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = Objects.requireNonNull(log, "log");
    String region = LambdaAliasPolicy.regionOf(aliasArn);
    this.reconciler =
        new Reconciler(
            new OrganizationsDirectory(clients, organizationsEndpointOrNull, region),
            new LambdaAliasPolicy(clients.lambda(region, clients.ownCredentials()), aliasArn),
            aliasArn,
            PermissionPlan.POLICY_LIMIT_BYTES,
            packNameOrEmpty.isEmpty()
                ? Optional.empty()
                : Optional.of(
                    new Reconciler.PackCheck(
                        new ConfigOrganizationPack(
                            clients.config(region, clients.ownCredentials())),
                        packNameOrEmpty,
                        region,
                        packTemplateS3UriOrEmpty)));
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    input.readAllBytes();
    ObjectNode line = run(context == null ? "local" : context.getAwsRequestId());
    MAPPER.writeValue(output, line);
    if (line.path("Errors").asLong() > 0) {
      throw new IllegalStateException(
          "the reconcile could not make every change (see its ERROR line); the next run tries"
              + " again");
    }
  }

  /** One run: its log line, printed, and returned. */
  public ObjectNode run(String requestId) {
    clients.resetCalls();
    long start = System.nanoTime();
    ReconcileReport report = reconciler.run();
    ObjectNode line =
        ReconcileLog.line(
            report,
            requestId,
            aliasArn,
            clients.calls().snapshot(),
            (System.nanoTime() - start) / 1_000_000,
            clock.instant());
    ReconcileLog.print(log, line);
    return line;
  }

  private static URI organizationsEndpoint(Map<String, String> env) {
    String url = env.getOrDefault("AWS_ENDPOINT_URL_ORGANIZATIONS", "");
    if (url.isEmpty()) {
      url = env.getOrDefault("AWS_ENDPOINT_URL", "");
    }
    return url.isEmpty() ? null : URI.create(url);
  }

  private static String required(Map<String, String> env, String name, String why) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(name + " is not set; " + why);
    }
    return value;
  }
}
