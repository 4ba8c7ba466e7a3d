package dev.mrkpolicyguard.engine.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The 256-character annotation AWS Config shows. */
class AnnotationsTest {
  @Test
  void of_summaryLongerThanTheRoom_isCutToTheBoundKeepingCountAndKeyId() {
    Finding first =
        new Finding(
            FindingCode.REPLICA_GRANTS_MORE, "Replica grants more: " + "x".repeat(400), List.of());
    Finding second = new Finding(FindingCode.REPLICA_GRANTS_LESS, "Replica grants less", List.of());

    String annotation = Annotations.of(List.of(first, second), "mrk-1234");

    assertEquals(KeyEvaluation.MAX_ANNOTATION, annotation.length());
    assertTrue(annotation.endsWith("...; +1 more. Details: log key mrk-1234"), annotation);
  }
}
