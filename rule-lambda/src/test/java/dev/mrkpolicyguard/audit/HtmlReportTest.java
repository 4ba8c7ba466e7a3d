package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static String fleet;

  @BeforeAll
  static void renderExampleFleet() {
    fleet = AuditRun.exampleFleet("html").out();
  }

  @Test
  void render_exampleFleet_showsTheSummaryCounts() {
    assertTrue(fleet.contains("id=\"count-compliant\">2<"), fleet);
    assertTrue(fleet.contains("id=\"count-non-compliant\">8<"));
    assertTrue(fleet.contains("id=\"count-unreadable\">1<"));
    assertTrue(fleet.contains("id=\"count-not-applicable\">3<"));
  }

  @Test
  void render_exampleFleet_hasOneRowPerMultiRegionKey() {
    assertEquals(10, fleet.split("<tr id=\"mrk-", -1).length - 1);
  }

  @Test
  void render_exampleFleet_isSelfContainedWithoutScripts() {
    assertTrue(fleet.startsWith("<!DOCTYPE html>"));
    assertFalse(fleet.contains("<script"));
    assertFalse(fleet.contains("src="));
    assertFalse(fleet.contains("<link"));
  }

  @Test
  void render_driftedReplica_highlightsTheDecidingStatementOnEachSide() {
    String detail = detail(fleet, "mrk-1234abcd12ab34cd56ef1234567890ab-ap-southeast-2");
    assertTrue(detail.contains("<span class=\"mark allows\">W1 allowed here</span>"), detail);
    int mark = detail.indexOf("W1 allowed here");
    assertTrue(detail.indexOf("&quot;Partner&quot;", mark) > mark, detail);
  }

  @Test
  void render_staleRegion_marksThePrimaryGrantTheReplicaLost() {
    String detail = detail(fleet, "mrk-1234abcd12ab34cd56ef1234567890ab-us-west-2");
    int mark = detail.indexOf("W1 allowed here");
    assertTrue(mark > 0, detail);
    assertTrue(detail.indexOf("Allow EBS encryption through EC2", mark) > mark);
  }

  @Test
  void render_scriptInSid_isEscapedEverywhere() {
    String html =
        AuditRun.of(
                "--snapshot",
                AuditRun.fixture("replica-statement-with-script-sid.json"),
                "--format",
                "html")
            .out();
    assertFalse(html.contains("<script"), html);
    assertTrue(html.contains("&lt;script&gt;alert(&#39;sid&#39;)&lt;/script&gt;"), html);
  }

  @Test
  void escape_specialCharacters_becomeReferences() {
    assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Html.escape("<a href=\"x\">&'"));
  }

  private static String detail(String html, String anchor) {
    int start = html.indexOf("<article id=\"detail-" + anchor + "\">");
    assertTrue(start >= 0, "no detail for " + anchor);
    return html.substring(start, html.indexOf("</article>", start));
  }
}
