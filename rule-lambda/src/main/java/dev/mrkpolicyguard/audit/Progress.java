package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.cli.common.TerminalText;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongSupplier;

/**
 * Progress of a live capture on stderr: a line each time another tenth of the keys is read, or two
 * seconds after the last line, whichever comes first, so long runs show life and short ones stay
 * quiet; each line gives keys read of keys listed, in total and per Region.
 */
final class Progress implements FleetCapture.Listener {
  private static final long INTERVAL_NANOS = 2_000_000_000L;

  private final PrintStream err;
  private final LongSupplier nanoTime;
  private final Map<String, int[]> regions = new LinkedHashMap<>();
  private int listed;
  private int total;
  private int done;
  private int printedTenths;
  private int printedDone = -1;
  private long printedAt;

  Progress(PrintStream err, List<String> regions, LongSupplier nanoTime) {
    this.err = err;
    this.nanoTime = nanoTime;
    regions.forEach(r -> this.regions.put(r, null));
    this.printedAt = nanoTime.getAsLong();
  }

  @Override
  public synchronized void listed(String region, int keys) {
    regions.put(region, new int[] {0, keys});
    listed++;
    total += keys;
    if (listed == regions.size()) {
      err.println("progress: " + total + " keys listed in " + listed + " Regions");
    }
    if (total == 0 && listed == regions.size()) {
      print();
    }
  }

  @Override
  public synchronized void keyDone(String region) {
    regions.get(region)[0]++;
    done++;
    int tenths = listed == regions.size() ? done * 10 / total : 0;
    boolean finished = listed == regions.size() && done == total;
    if (tenths > printedTenths || finished || nanoTime.getAsLong() - printedAt >= INTERVAL_NANOS) {
      printedTenths = Math.max(printedTenths, tenths);
      print();
    }
  }

  @Override
  public synchronized void warning(String message) {
    err.println("warning: " + TerminalText.escape(message));
  }

  private void print() {
    if (done == printedDone) {
      return;
    }
    StringJoiner perRegion = new StringJoiner(", ", " (", ")");
    regions.forEach(
        (region, counts) ->
            perRegion.add(
                counts == null ? region + " listing" : region + " " + counts[0] + "/" + counts[1]));
    String of = listed == regions.size() ? String.valueOf(total) : total + "+";
    err.println("progress: " + done + "/" + of + " keys read" + perRegion);
    printedDone = done;
    printedAt = nanoTime.getAsLong();
  }
}
