package dev.mrkpolicyguard.engine.properties;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * A finite run of choices drawn by jqwik, read in order by a {@link Cursor}. Shrinking shortens the
 * run and lowers its values toward 0, so whatever a run decides (which edit, which statement, which
 * spelling) shrinks toward fewer steps and the first option; once used up, every choice is the
 * first option.
 */
record Choices(List<Integer> values) {
  static final Choices NONE = new Choices(List.of());

  Choices {
    values = List.copyOf(values);
  }

  /** Runs of up to {@code maxSize} choices. */
  static Arbitrary<Choices> upTo(int maxSize) {
    return Arbitraries.integers().between(0, 9999).list().ofMaxSize(maxSize).map(Choices::new);
  }

  /** A fresh reader from the first choice. */
  Cursor cursor() {
    return new Cursor(values);
  }

  @Override
  public String toString() {
    return "Choices" + values;
  }

  /** Reads the choices of a run one by one. */
  static final class Cursor {
    private final List<Integer> values;
    private int next;

    private Cursor(List<Integer> values) {
      this.values = values;
    }

    /** A choice in {@code [0, bound)}. */
    int nextInt(int bound) {
      if (bound <= 1 || next >= values.size()) {
        next++;
        return 0;
      }
      return values.get(next++) % bound;
    }

    boolean nextBoolean() {
      return nextInt(2) == 1;
    }

    <T> T pick(List<T> options) {
      return options.get(nextInt(options.size()));
    }
  }
}
