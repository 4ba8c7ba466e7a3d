package dev.mrkpolicyguard.engine.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StringSpaceTest {

  private static Set<BitSet> vectors(StringSpace.Partition partition) {
    Set<BitSet> out = new HashSet<>();
    partition.cells().forEach(c -> out.add(c.truths()));
    return out;
  }

  private static BitSet bits(int... set) {
    BitSet b = new BitSet();
    for (int i : set) {
      b.set(i);
    }
    return b;
  }

  @Test
  void partition_twoOverlappingPatterns_findsAllFourCells() {
    var partition =
        StringSpace.partition(
            List.of(List.of(Glob.like("a*", false)), List.of(Glob.like("*b", false))), null, 1000);
    assertTrue(partition.complete());
    assertEquals(Set.of(bits(), bits(0), bits(1), bits(0, 1)), vectors(partition));
  }

  @Test
  void partition_patternInsideEquality_hasNoCellForEqualityAlone() {
    var partition =
        StringSpace.partition(
            List.of(List.of(Glob.literal("abc", false)), List.of(Glob.like("a*", false))),
            null,
            1000);
    assertEquals(Set.of(bits(), bits(1), bits(0, 1)), vectors(partition));
  }

  @Test
  void partition_everyWitness_realisesItsCell() {
    List<List<Glob>> predicates =
        List.of(
            List.of(Glob.like("ec2.*.amazonaws.com", false)),
            List.of(Glob.literal("ec2.us-east-1.amazonaws.com", false)),
            List.of(Glob.literal("EC2.US-EAST-1.AMAZONAWS.COM", true)));
    for (StringSpace.Cell cell : StringSpace.partition(predicates, null, 10_000).cells()) {
      for (int i = 0; i < predicates.size(); i++) {
        assertEquals(
            cell.holds(i), predicates.get(i).get(0).matches(cell.witness()), cell.witness());
      }
    }
  }

  @Test
  void partition_withDomain_onlyReportsStringsInTheDomain() {
    var partition =
        StringSpace.partition(
            List.of(List.of(Glob.literal("111122223333", false))),
            List.of(Glob.shape("\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d")),
            10_000);
    assertEquals(Set.of(bits(), bits(0)), vectors(partition));
    partition.cells().forEach(c -> assertEquals(12, c.witness().length()));
  }

  @Test
  void partition_tinyStateLimit_saysIncomplete() {
    var partition =
        StringSpace.partition(
            List.of(List.of(Glob.like("*a*b*c*", false)), List.of(Glob.like("*c*b*a*", false))),
            null,
            3);
    assertEquals(false, partition.complete());
  }
}
