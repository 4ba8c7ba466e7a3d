package dev.mrkpolicyguard.localaws;

import dev.mrkpolicyguard.localaws.fault.FaultRule;
import dev.mrkpolicyguard.localaws.kms.EngineLockoutCheck;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Standalone entry point of the local AWS stand-in: parses flags, serves until SIGTERM. */
public final class LocalAwsMain {
  private static final String USAGE =
      """
      usage: java -jar local-aws.jar [options]
        --port N                  port on 127.0.0.1 (default 4566; 0 picks a free one)
        --default-account ID      account of unmapped access keys (default 111122223333)
        --account AKID=ACCOUNT    access key acting as that account's root
        --principal AKID=ARN      access key acting as that principal
        --config-rule NAME:TOKEN  Config rule accepting result token TOKEN, in every account/Region
        --lambda-function NAME:ALIAS  Lambda function NAME with alias ALIAS, in every account/Region
        --organization-account ID=STATE  an account of the organization (ACTIVE, SUSPENDED, ...)
        --fault SPEC              SERVICE:OPERATION:EFFECT[,OPTION=VALUE...], repeatable (README)
        --seed N                  seed of the fault random source (default 42)
        --lockout-check engine|permissive  who judges the lockout check (default: engine)
        --read-timeout SECONDS    close a connection whose request is not in after this (default 5)
        --max-object-bytes N      largest S3 object stored (default 16777216)
      """;

  private LocalAwsMain() {}

  public static void main(String[] args) throws InterruptedException {
    LocalAwsServer server;
    try {
      server = parse(args).build();
    } catch (IllegalArgumentException e) {
      System.err.println("local-aws: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  stopped.countDown();
                },
                "local-aws-shutdown"));
    System.out.println("local-aws listening on 127.0.0.1:" + server.port());
    System.out.flush();
    stopped.await();
  }

  static LocalAwsServer.Builder parse(String[] args) {
    LocalAwsServer.Builder builder = LocalAwsServer.builder().port(4566);
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        System.out.print(USAGE);
        System.exit(0);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      apply(builder, flag, value);
    }
    return builder;
  }

  private static void apply(LocalAwsServer.Builder builder, String flag, String value) {
    switch (flag) {
      case "--port" -> builder.port(Integer.parseInt(value));
      case "--default-account" -> builder.defaultAccount(value);
      case "--account" -> builder.accessKeyAccount(before(value, '='), after(value, '='));
      case "--principal" -> builder.accessKeyPrincipal(before(value, '='), after(value, '='));
      case "--config-rule" -> builder.configRule(before(value, ':'), after(value, ':'));
      case "--lambda-function" -> builder.lambdaFunction(before(value, ':'), after(value, ':'));
      case "--organization-account" ->
          builder.organizationAccount(before(value, '='), after(value, '='));
      case "--fault" -> builder.fault(FaultRule.parse(value));
      case "--seed" -> builder.faultSeed(Long.parseLong(value));
      case "--read-timeout" -> builder.readTimeout(Duration.ofSeconds(Long.parseLong(value)));
      case "--max-object-bytes" -> builder.maxObjectBytes(Long.parseLong(value));
      case "--lockout-check" -> {
        switch (value) {
          case "engine" -> builder.lockoutCheck(new EngineLockoutCheck());
          case "permissive" -> builder.lockoutCheck(PermissiveLockoutCheck.INSTANCE);
          default ->
              throw new IllegalArgumentException(
                  "--lockout-check takes engine or permissive, not '" + value + "'");
        }
      }
      default -> throw new IllegalArgumentException("unknown option " + flag);
    }
  }

  private static String before(String value, char separator) {
    int at = value.indexOf(separator);
    if (at <= 0) {
      throw new IllegalArgumentException("expected NAME" + separator + "VALUE, got " + value);
    }
    return value.substring(0, at);
  }

  private static String after(String value, char separator) {
    return value.substring(value.indexOf(separator) + 1);
  }
}
