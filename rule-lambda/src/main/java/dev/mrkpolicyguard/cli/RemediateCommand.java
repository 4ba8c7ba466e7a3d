package dev.mrkpolicyguard.cli;

import dev.mrkpolicyguard.aws.BaselineSource;
import dev.mrkpolicyguard.aws.SdkRemediation;
import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.remediation.BackupStore;
import dev.mrkpolicyguard.remediation.FileBackupStore;
import dev.mrkpolicyguard.remediation.Mode;
import dev.mrkpolicyguard.remediation.PolicyBackup;
import dev.mrkpolicyguard.remediation.RemediationRequest;
import dev.mrkpolicyguard.remediation.RemediationResult;
import dev.mrkpolicyguard.remediation.Remediator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code remediate}: realigns one replica's key policy to its primary's (a dry run unless {@code
 * --apply}), or restores a backup with {@code --restore}, with the same {@link Remediator} as the
 * Lambda function. Backups go to {@code --backup-bucket}, to {@code --backup-dir}, or to local
 * files under {@link #DEFAULT_BACKUPS}: never to the working directory unless asked, where {@code
 * git add .} would commit key policies.
 */
final class RemediateCommand {
  /** Where local backups go without --backup-bucket or --backup-dir: the user's home, not here. */
  static final Path DEFAULT_BACKUPS =
      Path.of(System.getProperty("user.home"), ".mrk-policy-guard", "backups").toAbsolutePath();

  /** Its section of the jar's help. */
  static final String USAGE_TEXT =
      """
        remediate realign a replica key's policy to its primary's (dry run unless --apply), or
                  put back a backup; prints the changes and the outcome (docs/remediation.md)
                  --key-arn ARN [--apply] [--backup-bucket NAME | --backup-dir DIR]
                  [--endpoint-url URL] [--baseline FILE]
                  --key-arn ARN --restore BACKUP (s3://BUCKET/KEY or a local file) [--force]
                  [--backup-bucket NAME | --backup-dir DIR] [--endpoint-url URL] [--baseline FILE]
                  a backup that grants access the current policy does not needs --force
                  backups go to the bucket, DIR or ~/.mrk-policy-guard/backups/ (printed)
                  exit 0 APPLIED, NO_CHANGE or DRY_RUN, 1 REFUSED or FAILED, 2 bad input or usage
      """;

  private static final Arguments.Spec OPTIONS =
      Arguments.Spec.of("remediate")
          .value("key-arn", "ARN")
          .flag("apply")
          .value("backup-bucket", "NAME")
          .value("backup-dir", "DIR")
          .value("endpoint-url", "URL")
          .value("baseline", "FILE")
          .value("restore", "BACKUP (s3://BUCKET/KEY or a backup file)")
          .flag("force");

  private final Path defaultBackups;

  RemediateCommand() {
    this(DEFAULT_BACKUPS);
  }

  /**
   * A command that keeps local backups under {@code defaultBackups} unless told otherwise (tests
   * use a temp folder).
   */
  RemediateCommand(Path defaultBackups) {
    this.defaultBackups = defaultBackups.toAbsolutePath();
  }

  /** Runs {@code remediate} with the arguments after the command name; returns the exit code. */
  int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLine.run(args, OPTIONS, USAGE_TEXT, out, err, this::run);
  }

  private int run(Arguments args, PrintStream out, PrintStream err) throws UsageException {
    String keyArn = args.require("key-arn");
    KeyContext key =
        KeyContext.parse(keyArn)
            .orElseThrow(
                () -> new UsageException("--key-arn '" + keyArn + "' is not a KMS key ARN"));
    String restore = args.get("restore").orElse(null);
    if (restore != null && args.flag("apply")) {
      throw new UsageException("--restore writes the backup as it is: no --apply");
    }
    if (restore == null && args.flag("force")) {
      throw new UsageException("--force is for --restore only");
    }
    String bucket = args.get("backup-bucket").orElse(null);
    if (bucket != null && args.has("backup-dir")) {
      throw new UsageException(
          "--backup-bucket and --backup-dir cannot be used together: give one place for backups");
    }
    Path localBackups =
        args.get("backup-dir").map(dir -> Path.of(dir).toAbsolutePath()).orElse(defaultBackups);
    SdkRemediation aws = SdkRemediation.forAws(key.region(), args.endpointUrl());
    BackupStore saveTo = bucket == null ? new FileBackupStore(localBackups) : aws.s3Backups(bucket);
    if (bucket == null && (restore != null || args.flag("apply"))) {
      out.println(
          "backups: local files under "
              + TerminalText.escape(localBackups.toString())
              + (args.has("backup-dir")
                  ? ""
                  : " (the default; choose with --backup-dir DIR or --backup-bucket NAME)"));
    }
    Remediator remediator =
        aws.remediator(
            new Routing(saveTo, aws.s3Backups(null), new FileBackupStore(localBackups)),
            Clock.systemUTC());
    RemediationResult result;
    if (restore != null) {
      result =
          remediator.restore(
              new RemediationRequest(
                  keyArn, key.region(), false, Mode.RESTORE, restore, args.flag("force")),
              baseline(args));
    } else {
      RemediationRequest request =
          new RemediationRequest(
              keyArn, key.region(), !args.flag("apply"), Mode.ALIGN_TO_PRIMARY, null);
      result = remediator.align(request, baseline(args));
    }
    print(result, out);
    if (!CommandLine.written(out, err)) {
      // What was done must not be lost with the output: the outcome and the backup, on stderr.
      if (result.backupUri() != null) {
        err.println("backup of the previous policy: " + TerminalText.escape(result.backupUri()));
      }
      err.println(result.outcome() + ": " + TerminalText.escape(result.reason()));
      return CommandLine.USAGE;
    }
    return result.outcome().succeeded() ? 0 : 1;
  }

  /** The result in words; every value from a policy, KMS or S3 is escaped for the terminal. */
  private static void print(RemediationResult result, PrintStream out) {
    if (result.diff() != null) {
      out.println("Would change (" + result.verdictBefore() + " before):");
      result.diff().changes().forEach(c -> out.println("  - " + TerminalText.escape(c)));
      out.println("Policy it would write:");
      out.println(TerminalText.escapeLines(result.diff().targetPolicy()));
      out.println();
    }
    if (result.verdictBefore() != null && result.diff() == null) {
      out.println(
          "verdict before: "
              + result.verdictBefore()
              + (result.verdictAfter() == null ? "" : ", after: " + result.verdictAfter()));
    }
    if (result.backupUri() != null) {
      out.println("backup of the previous policy: " + TerminalText.escape(result.backupUri()));
    }
    out.println(result.outcome() + ": " + TerminalText.escape(result.reason()));
  }

  private static Baseline baseline(Arguments args) throws UsageException {
    String file = args.get("baseline").orElse(null);
    if (file == null) {
      return Baseline.DEFAULT;
    }
    String text = InputFile.readUtf8("--baseline", file, InputFile.Kind.BASELINE);
    BaselineSource.Lookup loaded = BaselineSource.parse(text, file);
    if (loaded instanceof BaselineSource.Lookup.Problem problem) {
      throw new UsageException(problem.reason());
    }
    return ((BaselineSource.Lookup.Found) loaded).baseline();
  }

  /** Saves to the chosen store; reads s3:// URIs from S3 and anything else as a local file. */
  private record Routing(BackupStore saveTo, BackupStore s3, BackupStore files)
      implements BackupStore {
    @Override
    public String save(PolicyBackup backup) {
      return saveTo.save(backup);
    }

    @Override
    public Fetched load(String location) {
      return location.startsWith("s3://") ? s3.load(location) : files.load(location);
    }
  }
}
