package dev.mrkpolicyguard.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFileTest {
  private static final String RECORD =
      """
      {"eventSource": "kms.amazonaws.com", "eventName": "Decrypt", "eventID": "e1"}""";

  @Test
  void read_oneRecord_isOneEntryCalledTheRecord() {
    assertEquals(List.of("the record"), where(RecordFile.read(RECORD)));
  }

  @Test
  void read_logFile_isOneEntryPerRecord() {
    String log = "{\"Records\": [" + RECORD + ", " + RECORD + "]}";

    assertEquals(List.of("record 1", "record 2"), where(RecordFile.read(log)));
  }

  @Test
  void read_jsonArray_isOneEntryPerElement() {
    assertEquals(List.of("record 1"), where(RecordFile.read("[" + RECORD + "]")));
  }

  @Test
  void read_jsonLines_isOneEntryPerLineSkippingBlankOnes() {
    String lines = RECORD + "\n\n" + RECORD + "\n";

    assertEquals(List.of("line 1", "line 3"), where(RecordFile.read(lines)));
  }

  @Test
  void read_jsonLinesWithBrokenLine_reportsThatLineAndReadsTheRest() {
    List<RecordFile.Entry> entries =
        entries(RecordFile.read(RECORD + "\n{\"eventName\": \n" + RECORD));

    assertEquals(
        List.of("line 1", "line 2", "line 3"),
        entries.stream().map(RecordFile.Entry::where).toList());
    assertEquals(RecordFile.Entry.Malformed.class, entries.get(1).getClass());
  }

  @Test
  void read_arrayElementNotAnObject_isMalformedSayingWhatItIs() {
    RecordFile.Entry entry = entries(RecordFile.read("[" + RECORD + ", 42]")).get(1);

    assertEquals(
        new RecordFile.Entry.Malformed(
            "record 2", "a CloudTrail record is a JSON object, not a number"),
        entry);
  }

  @Test
  void read_lookupEventsOutput_readsEachCloudTrailEventText() {
    String output =
        "{\"Events\": [{\"EventId\": \"e1\", \"CloudTrailEvent\": "
            + com.fasterxml.jackson.databind.node.TextNode.valueOf(RECORD)
            + "}]}";

    TrailRecord record =
        ((RecordFile.Entry.Parsed) entries(RecordFile.read(output)).get(0)).record();

    assertEquals("Decrypt", record.text("eventName").orElseThrow());
  }

  @Test
  void read_eventBridgeEvent_readsTheRecordInDetail() {
    String event =
        "{\"version\": \"0\", \"detail-type\": \"AWS API Call via CloudTrail\", \"source\":"
            + " \"aws.kms\", \"detail\": "
            + RECORD
            + "}";

    TrailRecord record =
        ((RecordFile.Entry.Parsed) entries(RecordFile.read(event)).get(0)).record();

    assertEquals("e1", record.text("eventID").orElseThrow());
  }

  @Test
  void read_empty_isInvalid() {
    assertEquals(
        new RecordFile.Result.Invalid("the input is empty; give CloudTrail records as JSON"),
        RecordFile.read("  \n"));
  }

  @Test
  void read_notJson_isInvalidQuotingTheStartEscaped() {
    assertEquals(
        new RecordFile.Result.Invalid(
            "the input is not JSON (it starts with 'PK\\u0003\\u0004'); give a CloudTrail record,"
                + " a log file {\"Records\": [...]} or JSON lines"),
        RecordFile.read("PK\u0003\u0004"));
  }

  @Test
  void read_brokenPrettyPrintedRecord_isInvalidWithThePosition() {
    RecordFile.Result result = RecordFile.read("{\n  \"eventName\": \"Decrypt\",\n}");

    assertEquals(RecordFile.Result.Invalid.class, result.getClass());
    assertEquals(
        true,
        ((RecordFile.Result.Invalid) result)
            .message()
            .startsWith("the input is not valid JSON (line 3"));
  }

  @Test
  void text_athenaLowerCaseNames_areFoundIgnoringCase() {
    TrailRecord record =
        ((RecordFile.Entry.Parsed) RecordFile.one("line 1", "{\"eventname\": \"Decrypt\"}"))
            .record();

    assertEquals("Decrypt", record.text("eventName").orElseThrow());
  }

  @Test
  void object_requestParametersAsJsonString_isReadAsAnObject() {
    TrailRecord record =
        ((RecordFile.Entry.Parsed)
                RecordFile.one(
                    "line 1", "{\"requestParameters\": \"{\\\"keyId\\\": \\\"alias/x\\\"}\"}"))
            .record();

    assertEquals(
        "alias/x", TrailRecord.text(record.object("requestParameters"), "keyId").orElseThrow());
  }

  private static List<RecordFile.Entry> entries(RecordFile.Result result) {
    return ((RecordFile.Result.Read) result).entries();
  }

  private static List<String> where(RecordFile.Result result) {
    return entries(result).stream().map(RecordFile.Entry::where).toList();
  }
}
