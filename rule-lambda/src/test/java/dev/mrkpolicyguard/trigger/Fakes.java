package dev.mrkpolicyguard.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-written fakes of the trigger's ports, and the shared sample events. */
final class Fakes {
  static final String ACCOUNT = "111122223333";
  static final String KEY = "mrk-1234abcd12ab34cd56ef1234567890ab";
  static final String RULE = "mrk-replica-key-policy";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Fakes() {}

  static String arn(String region) {
    return "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + KEY;
  }

  /** One of examples/events/cloudtrail-*.json. */
  static JsonNode example(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/events"))) {
      dir = dir.getParent();
    }
    try {
      return MAPPER.readTree(Files.readString(dir.resolve("examples/events/" + name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** DescribeKey answers by key ARN; unknown keys are NotFound. */
  static final class Keys implements KeyCopiesReader {
    final Map<String, Read> answers = new HashMap<>();
    final List<String> calls = new ArrayList<>();

    Keys primary(String primaryRegion, String... replicaRegions) {
      List<String> replicas = new ArrayList<>();
      for (String r : replicaRegions) {
        replicas.add(arn(r));
      }
      answers.put(
          arn(primaryRegion),
          new Read.Found(
              new KeyCopies(
                  arn(primaryRegion),
                  KeyCopies.Role.PRIMARY,
                  "Enabled",
                  arn(primaryRegion),
                  replicas)));
      for (String r : replicaRegions) {
        answers.put(
            arn(r),
            new Read.Found(
                new KeyCopies(
                    arn(r), KeyCopies.Role.REPLICA, "Enabled", arn(primaryRegion), replicas)));
      }
      return this;
    }

    Keys state(String region, String state) {
      KeyCopies c = ((Read.Found) answers.get(arn(region))).copies();
      answers.put(
          arn(region),
          new Read.Found(
              new KeyCopies(c.keyArn(), c.role(), state, c.primaryArn(), c.replicaArns())));
      return this;
    }

    @Override
    public Read read(String keyArn) {
      calls.add(keyArn);
      return answers.getOrDefault(
          keyArn, new Read.Failed("NotFoundException", "no " + keyArn, true));
    }
  }

  /**
   * Config: the rule names per Region, and starts that obey Config's once-a-minute limit on the
   * given clock; scripted answers come first.
   */
  static final class Rules implements ConfigRules {
    final Clock clock;
    final Map<String, List<String>> names = new HashMap<>();
    final Map<String, Deque<Start>> scripted = new HashMap<>();
    final Map<String, Instant> last = new HashMap<>();
    final List<String> startCalls = new ArrayList<>();
    final List<String> started = new ArrayList<>();
    int nameCalls;

    Rules(Clock clock, String... regions) {
      this.clock = clock;
      for (String r : regions) {
        names.put(r, List.of("some-other-rule", RULE));
      }
    }

    Rules then(String region, Start answer) {
      scripted.computeIfAbsent(region, r -> new ArrayDeque<>()).add(answer);
      return this;
    }

    @Override
    public Names names(String region) {
      nameCalls++;
      return new Names.Found(names.getOrDefault(region, List.of()));
    }

    @Override
    public Start start(String region, String ruleName) {
      String key = region + "/" + ruleName;
      startCalls.add(key);
      Deque<Start> script = scripted.get(region);
      if (script != null && !script.isEmpty()) {
        Start answer = script.poll();
        if (answer instanceof Start.Started) {
          last.put(key, clock.instant());
          started.add(key);
        }
        return answer;
      }
      Instant previous = last.get(key);
      if (previous != null && clock.instant().isBefore(previous.plusSeconds(60))) {
        return new Start.Refused("LimitExceededException", "once per minute");
      }
      last.put(key, clock.instant());
      started.add(key);
      return new Start.Started();
    }
  }

  /** A queue that keeps what it is sent; it can be told to fail. */
  static final class Queue implements DeferralQueue {
    record Message(Deferral deferral, Duration delay) {}

    final List<Message> sent = new ArrayList<>();
    boolean failing;

    @Override
    public Sent send(Deferral deferral, Duration delay) {
      if (failing) {
        return new Sent.Failed("ServiceUnavailable", "queue down");
      }
      sent.add(new Message(deferral, delay));
      return new Sent.Kept();
    }

    /** Takes every message due at {@code now}, as the event source mapping would deliver it. */
    List<TriggerInput> due(Instant now) {
      List<TriggerInput> out = new ArrayList<>();
      for (var it = sent.iterator(); it.hasNext(); ) {
        Message m = it.next();
        if (!m.deferral().dueAt().isAfter(now)) {
          out.add(new TriggerInput.Deferred("msg-" + out.size(), m.deferral()));
          it.remove();
        }
      }
      return out;
    }
  }

  /** A trigger over the fakes, and what it logged. */
  static final class Run {
    final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    final Keys keys = new Keys();
    final Rules rules;
    final Queue queue = new Queue();
    final Trigger trigger;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    Run(String... ruleRegions) {
      rules = new Rules(clock, ruleRegions);
      trigger =
          new Trigger(
              new Trigger.Ports(keys, rules, queue),
              TriggerSettings.defaults(RULE),
              new StartCoalescer(clock));
    }

    TriggerReport events(JsonNode... events) {
      List<TriggerInput> inputs = new ArrayList<>();
      for (int i = 0; i < events.length; i++) {
        inputs.add(new TriggerInput.Event("event-" + i, events[i]));
      }
      return handle(inputs);
    }

    TriggerReport handle(List<TriggerInput> inputs) {
      return trigger.handle(
          inputs,
          new Trigger.Invocation(
              "request-1",
              new PrintStream(log, true, StandardCharsets.UTF_8),
              () -> Map.of("Kms.DescribeKey", 1L)));
    }

    /** Delivers every deferral due now. */
    TriggerReport dueDeferrals() {
      return handle(queue.due(clock.instant()));
    }

    List<String> logLines() {
      return log.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }
}
