package dev.mrkpolicyguard.engine.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparisonCacheTest {
  private static final KeyContext KEY =
      new KeyContext("arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");
  private static final Comparison EQUIVALENT = new Comparison(Verdict.EQUIVALENT, List.of(), null);

  private final AtomicInteger computed = new AtomicInteger();

  private Comparison compute() {
    computed.incrementAndGet();
    return new Comparison(Verdict.EQUIVALENT, List.of(), null);
  }

  private static List<Object> key(String text) {
    return List.of("compare", text, "aws:eu-west-1:111122223333");
  }

  @Test
  void get_sameKeyTwice_computesOnceAndReturnsTheSameComparison() {
    ComparisonCache cache = new ComparisonCache(1 << 20);

    Comparison first = cache.get(key("a"), this::compute);
    Comparison second = cache.get(key("a"), this::compute);

    assertSame(first, second);
    assertEquals(1, computed.get());
    assertEquals(1, cache.hits());
  }

  @Test
  void get_pastTheBound_evictsTheLeastRecentlyUsedAndStaysWithinIt() {
    long entry =
        ComparisonCache.ENTRY_OVERHEAD
            + 2L * ("compare" + "a" + "aws:eu-west-1:111122223333").length();
    ComparisonCache cache = new ComparisonCache(2 * entry);
    cache.get(key("a"), this::compute);
    cache.get(key("b"), this::compute);
    cache.get(key("a"), this::compute);

    cache.get(key("c"), this::compute);
    cache.get(key("a"), this::compute);
    cache.get(key("b"), this::compute);

    assertEquals(4, computed.get(), "a was used last, so b went first and was computed again");
    assertTrue(cache.bytes() <= 2 * entry, "held " + cache.bytes());
    assertEquals(2, cache.size());
  }

  @Test
  void get_entryLargerThanTheBound_computedButNotHeld() {
    ComparisonCache cache = new ComparisonCache(10);

    cache.get(key("a".repeat(100)), this::compute);

    assertEquals(0, cache.size());
    assertEquals(0, cache.bytes());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // policy text                                                          | shareable
        "{\"Resource\":\"*\"}                                                     | true",
        "{\"Resource\":\"arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab\"} | false",
        "{\"Resource\":\"arn:aws:kms:*:111122223333:key/mrk-12*\"}                | false",
        "{\"Resource\":\"ARN:AWS:KMS:*:111122223333:KEY/*\"}                      | false",
        "{\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"s3.eu-west-1.amazonaws.com\"}}} | true",
        "{\"Sid\":\"about MRK-1234ABCD12AB34CD56EF1234567890AB\"}                 | false"
      })
  void shareable_policyText_onlyWhenItCannotSingleOutTheKey(String text, boolean shareable) {
    assertEquals(shareable, ComparisonCache.shareable(text, KEY));
  }

  @Test
  void constructor_nonPositiveBound_refused() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new ComparisonCache(0));
  }
}
