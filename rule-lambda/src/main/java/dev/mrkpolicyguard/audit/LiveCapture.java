package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.AccountReads;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.aws.SdkKmsKeys;
import dev.mrkpolicyguard.cli.common.TerminalText;
import java.io.PrintStream;

/** The capture that {@code audit --regions} and {@code export} share: one capture, one format. */
final class LiveCapture {
  /** Keys read at once: enough to hide latency, few enough to stay clear of KMS request quotas. */
  static final int CONCURRENCY = 8;

  private LiveCapture() {}

  /** Captures the account as {@code options} say, with progress on {@code err}. */
  static ReadOrError<ObjectNode> capture(
      SdkClientFactory clients, LiveOptions options, PrintStream err) {
    FleetCapture capture =
        new FleetCapture(
            SdkKmsKeys.own(clients),
            () -> AccountReads.caller(clients, options.homeRegion()),
            CONCURRENCY);
    return capture.collect(
        options.regionNames(), new Progress(err, options.regionNames(), System::nanoTime));
  }

  /** The capture as the audit reads it: through the snapshot reader, as an export would be. */
  static ReadOrError<Snapshot> snapshot(ObjectNode document) {
    SnapshotReader.Result result = new SnapshotReader().read(document.toString());
    if (result instanceof SnapshotReader.Result.Invalid invalid) {
      StringBuilder message =
          new StringBuilder("the captured keys do not make a valid snapshot (please report):");
      invalid
          .problems()
          .forEach(p -> message.append("\n  ").append(TerminalText.escape(p.describe())));
      return ReadOrError.failed(message.toString());
    }
    return ReadOrError.of(((SnapshotReader.Result.Read) result).snapshot());
  }
}
