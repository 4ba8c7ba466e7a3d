package dev.mrkpolicyguard.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvaluationPosterTest {
  private final RuleFakes.Sink sink = new RuleFakes.Sink();

  private static List<ConfigEvaluation> evaluations(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new ConfigEvaluation("mrk-" + i, "COMPLIANT", null, RuleFakes.NOW))
        .toList();
  }

  @Test
  void post_moreThanOneBatch_sendsBatchesOfAtMostBatchSize() {
    EvaluationPoster.Outcome outcome = new EvaluationPoster(sink, "token", 2).post(evaluations(5));

    assertEquals(List.of(2, 2, 1), sink.batches.stream().map(List::size).toList());
    assertEquals(5, outcome.accepted().size());
  }

  @Test
  void post_configRefusesOneOnce_repostsOnlyThatOneAndAcceptsIt() {
    sink.refuseTimes.put("mrk-1", 1);

    EvaluationPoster.Outcome outcome =
        new EvaluationPoster(sink, "token", 100).post(evaluations(3));

    assertEquals(
        List.of("mrk-1"), sink.batches.get(1).stream().map(ConfigEvaluation::resourceId).toList());
    assertEquals(3, outcome.accepted().size());
    assertEquals(List.of(), outcome.failed());
  }

  @Test
  void post_configRefusesEveryRound_failedAfterThreeRounds() {
    sink.refuseTimes.put("mrk-0", 10);

    EvaluationPoster.Outcome outcome =
        new EvaluationPoster(sink, "token", 100).post(evaluations(2));

    assertEquals(3, sink.batches.size());
    assertEquals(
        List.of("mrk-0"), outcome.failed().stream().map(ConfigEvaluation::resourceId).toList());
    assertEquals(1, outcome.accepted().size());
  }

  @Test
  void post_attemptTimedOut_batchUnconfirmedAndNeverSentAgain() {
    sink.script.add(new EvaluationSink.Sent.TimedOut());

    EvaluationPoster.Outcome outcome = new EvaluationPoster(sink, "token", 2).post(evaluations(3));

    assertEquals(2, sink.batches.size());
    assertEquals(
        List.of("mrk-0", "mrk-1"),
        outcome.unconfirmed().stream().map(ConfigEvaluation::resourceId).toList());
    assertEquals(
        List.of("mrk-2"), outcome.accepted().stream().map(ConfigEvaluation::resourceId).toList());
  }

  @Test
  void constructor_batchSizeOverPutEvaluationsLimit_refused() {
    assertThrows(IllegalArgumentException.class, () -> new EvaluationPoster(sink, "token", 101));
  }
}
