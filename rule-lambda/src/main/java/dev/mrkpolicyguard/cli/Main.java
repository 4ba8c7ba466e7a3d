package dev.mrkpolicyguard.cli;

import dev.mrkpolicyguard.audit.AuditCommand;
import dev.mrkpolicyguard.audit.ExportCommand;
import java.io.PrintStream;
import java.util.Arrays;

/** Command-line entry point of the rule jar: {@code java -jar rule-lambda.jar <command> ...}. */
public final class Main {
  /** Exit code for bad input or usage. */
  static final int USAGE = 2;

  private static final String HELP =
      """
      usage: java -jar rule-lambda.jar <command> [options]

      commands:
        compare   compare a replica key policy with its primary's
                  --primary FILE --replica FILE [--primary-arn ARN] [--replica-region REGION]
                  [--format json|text]
                  exit 0 EQUIVALENT, 1 any difference, 2 bad input or usage, 3 UNDECIDED
        invoke    run the AWS Config rule handler on an event, as Lambda would, and print
                  the evaluations it posted (JSON array); log lines go to stderr
                  --event FILE [--endpoint-url URL] [--region REGION]
                  credentials: the default AWS chain (e.g. AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
                  exit 0 done, 1 an AWS call failed, 2 bad input, usage or rule configuration
        audit     run the rule's per-key decisions over a fleet: a saved snapshot
                  (docs/snapshot.md) or the live account, with read-only calls (docs/audit.md)
                  --snapshot FILE | --regions R1,R2 [--profile P] [--endpoint-url URL]
                  [--baseline FILE | --baseline-parameter NAME] [--format table|json|html]
                  [--output FILE]
                  progress of a live audit goes to stderr
                  exit 0 all compliant, 1 findings, 2 bad input, usage or credentials,
                  4 some key or policy could not be read (listed)
        export    capture the live account's keys as a snapshot for audit --snapshot
                  --regions R1,R2 [--profile P] [--endpoint-url URL] [--output FILE]
                  exit 0 every key read, 2 bad usage or credentials,
                  4 written, but some key or policy could not be read (listed)
        remediate realign a replica key's policy to its primary's (dry run unless --apply), or
                  put back a backup; prints the changes and the outcome (docs/remediation.md)
                  --key-arn ARN [--apply] [--backup-bucket NAME] [--endpoint-url URL]
                  [--baseline FILE]
                  --key-arn ARN --restore BACKUP (s3://BUCKET/KEY or a local file)
                  without --backup-bucket, backups go to ./mrk-policy-guard-backups/
                  exit 0 APPLIED, NO_CHANGE or DRY_RUN, 1 REFUSED or FAILED, 2 bad input or usage
        explain   explain CloudTrail records of KMS calls to replica keys: does the replica's
                  drift from its primary explain the AccessDenied? (docs/explain.md)
                  --records FILE | --lookup --region R [--since 1h] ; [--key KEY]
                  [--snapshot FILE | --profile P] [--endpoint-url URL] [--format text|json]
                  without --snapshot, the key policies are read live (read-only calls)
                  exit 0 every record explained, 2 bad input or usage,
                  4 some record could not be explained (listed)
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns its exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).print(HELP);
      return args.length == 0 ? USAGE : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (args[0]) {
        case "compare" -> new CompareCommand().run(Arguments.parse(rest), out, err);
        case "invoke" -> new InvokeCommand().run(Arguments.parse(rest), out, err);
        case "remediate" -> new RemediateCommand().run(Arguments.parse(rest), out, err);
        case "audit" -> new AuditCommand().run(rest, out, err);
        case "export" -> new ExportCommand().run(rest, out, err);
        case "explain" -> new ExplainCommand().run(Arguments.parse(rest), out, err);
        default -> {
          err.println("error: unknown command '" + args[0] + "'");
          err.print(HELP);
          yield USAGE;
        }
      };
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    } catch (RuntimeException e) {
      err.println("error: internal error in " + args[0] + ": " + e);
      return USAGE;
    }
  }
}
