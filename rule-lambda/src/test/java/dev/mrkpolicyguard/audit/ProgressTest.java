package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AtomicLong nanos = new AtomicLong();
  private final Progress progress =
      new Progress(
          new PrintStream(bytes, true, StandardCharsets.UTF_8),
          List.of("us-east-1", "eu-west-1"),
          nanos::get);

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void keyDone_manyQuickKeys_printsOnlyEveryTenth() {
    progress.listed("us-east-1", 600);
    progress.listed("eu-west-1", 400);
    for (int i = 0; i < 1000; i++) {
      progress.keyDone(i < 600 ? "us-east-1" : "eu-west-1");
    }
    assertEquals(11, lines().size(), lines().toString());
    assertEquals(
        "progress: 1000/1000 keys read (us-east-1 600/600, eu-west-1 400/400)", lines().get(10));
  }

  @Test
  void keyDone_slowRun_printsEveryTwoSeconds() {
    progress.listed("us-east-1", 100);
    progress.listed("eu-west-1", 0);
    progress.keyDone("us-east-1");
    nanos.addAndGet(2_000_000_000L);
    progress.keyDone("us-east-1");
    assertTrue(
        lines().contains("progress: 2/100 keys read (us-east-1 2/100, eu-west-1 0/0)"),
        lines().toString());
  }

  @Test
  void keyDone_beforeEveryRegionIsListed_saysWhichAreStillListing() {
    progress.listed("us-east-1", 1);
    nanos.addAndGet(2_000_000_000L);
    progress.keyDone("us-east-1");
    assertEquals(List.of("progress: 1/1+ keys read (us-east-1 1/1, eu-west-1 listing)"), lines());
  }
}
