package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.core.ListedKey;
import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.rule.Baseline;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-written fakes of the rule's ports: the rule's decisions without HTTP. */
final class RuleFakes implements RuleAdapters {
  static final String ACCOUNT = "111122223333";
  static final String REGION = "eu-west-1";
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  final Keys keys = new Keys();
  final Sink sink = new Sink();
  final Map<String, ComplianceRecords.Recorded> records = new LinkedHashMap<>();
  final List<String> assumedRoles = new ArrayList<>();

  static String arn(String keyId) {
    return "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
  }

  static RuleSettings settings(int batchSize) {
    return new RuleSettings(REGION, 2, batchSize, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Override
  public RuleAccess own() {
    return new RuleAccess(
        keys,
        keys::listed,
        ruleName -> Map.copyOf(records),
        summary -> Optional.empty(),
        (name, where) -> Baseline.DEFAULT,
        sink);
  }

  @Override
  public RuleAccess assumed(String roleArn) {
    assumedRoles.add(roleArn);
    return own();
  }

  @Override
  public String partition(String region) {
    return "aws";
  }

  @Override
  public Map<String, Long> calls() {
    return Map.of();
  }

  @Override
  public void resetCalls() {}

  /** ListKeys and DescribeKey/GetKeyPolicy answers by key ARN. */
  static final class Keys implements KeyReader {
    final Map<String, Read> answers = new LinkedHashMap<>();
    final List<String> reads = new ArrayList<>();

    Keys unreadable(String keyId) {
      answers.put(
          arn(keyId),
          new Read.Unreadable(
              arn(keyId), new ReadFailure("DescribeKey", "AccessDeniedException", "denied")));
      return this;
    }

    Keys throttled(String keyId) {
      answers.put(
          arn(keyId),
          new Read.NotEvaluated(
              arn(keyId), new ReadFailure("DescribeKey", "ThrottlingException", "Rate exceeded")));
      return this;
    }

    /** A key whose ID says single-Region: listed, never read. */
    Keys singleRegion(String keyId) {
      answers.put(arn(keyId), null);
      return this;
    }

    List<ListedKey> listed() {
      return answers.keySet().stream()
          .map(a -> new ListedKey(a.substring(a.lastIndexOf('/') + 1), a))
          .toList();
    }

    @Override
    public synchronized Read read(String keyArn) {
      reads.add(keyArn);
      Read read = answers.get(keyArn);
      if (read == null) {
        throw new AssertionError("read of a key the fake does not know: " + keyArn);
      }
      return read;
    }
  }

  /** Records each PutEvaluations batch and answers from a script (default: all accepted). */
  static final class Sink implements EvaluationSink {
    final List<List<ConfigEvaluation>> batches = new ArrayList<>();
    final Deque<Sent> script = new ArrayDeque<>();
    final Map<String, Integer> refuseTimes = new HashMap<>();

    @Override
    public synchronized Sent put(String resultToken, List<ConfigEvaluation> batch) {
      batches.add(List.copyOf(batch));
      if (!script.isEmpty()) {
        return script.poll();
      }
      List<String> refused = new ArrayList<>();
      for (ConfigEvaluation e : batch) {
        int left = refuseTimes.getOrDefault(e.resourceId(), 0);
        if (left > 0) {
          refuseTimes.put(e.resourceId(), left - 1);
          refused.add(e.resourceId());
        }
      }
      return new Sent.Answered(refused);
    }

    List<ConfigEvaluation> all() {
      return batches.stream().flatMap(List::stream).toList();
    }
  }
}
