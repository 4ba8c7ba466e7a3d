package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders the example fleet's HTML report in headless Chromium and reads back the live DOM. */
class HtmlReportBrowserIT {
  private static final String CHROMIUM = "/usr/bin/chromium";

  @TempDir static Path dir;
  private static String dom;

  @BeforeAll
  static void renderInChromium() throws IOException, InterruptedException {
    Assumptions.assumeTrue(new File(CHROMIUM).exists(), "Chromium is not installed");
    Path report = dir.resolve("report.html");
    AuditRun run =
        AuditRun.of(
            "--snapshot",
            AuditRun.FLEET,
            "--baseline",
            AuditRun.BASELINE,
            "--format",
            "html",
            "--output",
            report.toString());
    assertEquals(AuditReport.PARTIAL, run.exit(), run.err());
    dom = chromium(report, "--dump-dom");
  }

  static String chromium(Path page, String... mode) throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
    command.addAll(List.of(mode));
    command.add(page.toUri().toString());
    Path out = dir.resolve("chromium.out");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(dir.resolve("chromium.err").toFile())
            .start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Chromium did not finish within 90 s: " + command);
    }
    assertEquals(0, process.exitValue(), Files.readString(dir.resolve("chromium.err")));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void dumpDom_exampleReport_showsTheSummaryCounts() {
    assertEquals("10", count("multi-region"));
    assertEquals("2", count("compliant"));
    assertEquals("8", count("non-compliant"));
    assertEquals("1", count("unreadable"));
    assertEquals("3", count("not-applicable"));
  }

  @Test
  void dumpDom_exampleReport_hasTheVerdictOfEachMultiRegionKey() {
    assertEquals(10, dom.split("<tr id=\"mrk-", -1).length - 1);
    assertTrue(
        row("mrk-1234abcd12ab34cd56ef1234567890ab-eu-west-1").contains("COMPLIANT</td>"), dom);
    assertTrue(
        row("mrk-8f3e2d1c0b9a48e7a6f5c4d3b2a19081-ap-southeast-2").contains("POLICY_UNREADABLE"));
    assertTrue(
        row("mrk-5c0ffee1d2e34f5a9b8c7d6e5f4a3b21-us-west-2").contains("BASELINE_FLOOR_MISSING"));
  }

  @Test
  void dumpDom_scriptInSid_staysTextAndRunsNothing() throws IOException, InterruptedException {
    Path report = dir.resolve("script.html");
    String fixture = AuditRun.fixture("replica-statement-with-script-sid.json");
    AuditRun.of("--snapshot", fixture, "--format", "html", "--output", report.toString());
    String scriptDom = chromium(report, "--dump-dom");
    assertFalse(scriptDom.contains("<script"), scriptDom);
    assertTrue(scriptDom.contains("&lt;script&gt;alert('sid')&lt;/script&gt;"), scriptDom);
  }

  private static String count(String id) {
    Matcher m = Pattern.compile("id=\"count-" + id + "\">(\\d+)<").matcher(dom);
    assertTrue(m.find(), "no count " + id);
    return m.group(1);
  }

  private static String row(String id) {
    int start = dom.indexOf("<tr id=\"" + id + "\">");
    assertTrue(start >= 0, "no row " + id);
    return dom.substring(start, dom.indexOf("</tr>", start));
  }
}
