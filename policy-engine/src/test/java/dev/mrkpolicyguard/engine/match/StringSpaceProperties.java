package dev.mrkpolicyguard.engine.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The partition is exact: every string's outcome vector is one of its cells, and every cell's
 * witness has that cell's vector. Checked against every string up to a small length over an
 * alphabet that meets every class of characters the generated patterns can tell apart.
 */
class StringSpaceProperties {
  private static final String ALPHABET = "ab:/x";
  private static final int MAX_LENGTH = 5;

  @Provide
  Arbitrary<Glob> globs() {
    Arbitrary<String> pattern =
        Arbitraries.strings().withChars("ab:*?").ofMinLength(0).ofMaxLength(5);
    return Arbitraries.oneOf(
        pattern.map(p -> Glob.like(p, false)),
        pattern.map(p -> Glob.like(p.toUpperCase(java.util.Locale.ROOT), true)),
        pattern.map(Glob::arnLike),
        Arbitraries.strings().withChars("ab:").ofMaxLength(4).map(p -> Glob.literal(p, false)));
  }

  @Provide
  Arbitrary<List<List<Glob>>> predicates() {
    return globs().list().ofMinSize(1).ofMaxSize(2).list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<Glob>> domains() {
    return Combinators.combine(
            Arbitraries.of("a\\*", "\\d", "a:\\*", "\\r"), Arbitraries.integers().between(0, 1))
        .as((shape, none) -> none == 0 ? null : List.of(Glob.shape(shape)));
  }

  @Property(tries = 300)
  void partition_randomPatterns_isExactOverShortStrings(
      @ForAll("predicates") List<List<Glob>> predicates, @ForAll("domains") List<Glob> domain) {
    StringSpace.Partition partition = StringSpace.partition(predicates, domain, 10_000);
    assertTrue(partition.complete());
    Set<BitSet> cells = new HashSet<>();
    for (StringSpace.Cell cell : partition.cells()) {
      assertTrue(cells.add(cell.truths()), "each vector once: " + cell);
      assertTrue(domain == null || anyMatches(domain, cell.witness()), cell.witness());
      assertEquals(cell.truths(), vector(predicates, cell.witness()), cell.witness());
    }
    for (String text : strings()) {
      if (domain == null || anyMatches(domain, text)) {
        assertTrue(
            cells.contains(vector(predicates, text)),
            "no cell for '" + text + "' " + vector(predicates, text));
      }
    }
  }

  private static BitSet vector(List<List<Glob>> predicates, String text) {
    BitSet out = new BitSet();
    for (int i = 0; i < predicates.size(); i++) {
      out.set(i, anyMatches(predicates.get(i), text));
    }
    return out;
  }

  private static boolean anyMatches(List<Glob> globs, String text) {
    for (Glob g : globs) {
      if (g.matches(text)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> strings() {
    List<String> out = new ArrayList<>();
    out.add("");
    int from = 0;
    for (int length = 1; length <= MAX_LENGTH; length++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (char c : ALPHABET.toCharArray()) {
          out.add(out.get(i) + c);
        }
      }
      from = to;
    }
    out.add("7");
    out.add("a7");
    return out;
  }
}
