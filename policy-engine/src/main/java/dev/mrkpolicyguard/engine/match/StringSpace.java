package dev.mrkpolicyguard.engine.match;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Partitions the set of all strings by a list of predicates (each a union of {@link Glob}s) and
 * returns one shortest witness string for every combination of predicate outcomes that some string
 * realises. The search runs breadth-first over the product automaton, with one representative
 * character for each class of characters that no pattern tells apart, so it is exact: a truth
 * vector is reported if and only if a string produces it.
 */
public final class StringSpace {
  private static final String FRESH_LETTERS = "xqzjkvwy";
  private static final String FRESH_DIGITS = "0123456789";
  private static final String FRESH_OTHERS = "#~!%^&";

  private StringSpace() {}

  /** One realisable outcome vector and the shortest string that realises it. */
  public record Cell(BitSet truths, String witness) {
    public Cell {
      truths = (BitSet) truths.clone();
      Objects.requireNonNull(witness, "witness");
    }

    /** Whether predicate {@code index} holds for the strings of this cell. */
    public boolean holds(int index) {
      return truths.get(index);
    }
  }

  /**
   * The result of a partition.
   *
   * @param cells the realisable outcome vectors, shortest witness first
   * @param complete false if the search stopped at the state limit (cells may then be missing)
   */
  public record Partition(List<Cell> cells, boolean complete) {
    public Partition {
      cells = List.copyOf(cells);
    }
  }

  /**
   * Partitions all strings (or only those accepted by {@code domain}, when not null) by {@code
   * predicates}.
   */
  public static Partition partition(List<List<Glob>> predicates, List<Glob> domain, int maxStates) {
    List<Glob> globs = new ArrayList<>();
    List<int[]> owners = new ArrayList<>();
    for (int i = 0; i < predicates.size(); i++) {
      for (Glob glob : predicates.get(i)) {
        globs.add(glob);
        owners.add(new int[] {i});
      }
    }
    int domainIndex = -1;
    if (domain != null) {
      domainIndex = predicates.size();
      for (Glob glob : domain) {
        globs.add(glob);
        owners.add(new int[] {domainIndex});
      }
    }
    Product product = new Product(globs, owners, predicates.size() + (domain != null ? 1 : 0));
    char[] alphabet = alphabet(globs);
    Map<BitSet, Cell> cells = new LinkedHashMap<>();
    Map<BitSet, String> seen = new HashMap<>();
    ArrayDeque<BitSet> queue = new ArrayDeque<>();
    BitSet start = product.start();
    seen.put(start, "");
    queue.add(start);
    boolean complete = true;
    while (!queue.isEmpty()) {
      BitSet state = queue.poll();
      String text = seen.get(state);
      BitSet truths = product.truths(state);
      if (domainIndex < 0 || truths.get(domainIndex)) {
        if (domainIndex >= 0) {
          truths.clear(domainIndex);
        }
        cells.putIfAbsent(truths, new Cell(truths, text));
      }
      if (state.isEmpty()) {
        continue;
      }
      for (char c : alphabet) {
        BitSet next = product.step(state, c);
        if (!seen.containsKey(next)) {
          if (seen.size() >= maxStates) {
            complete = false;
            break;
          }
          seen.put(next, text + c);
          queue.add(next);
        }
      }
      if (!complete) {
        break;
      }
    }
    return new Partition(new ArrayList<>(cells.values()), complete);
  }

  /** Whether {@code a} and {@code b} fall in the same cell (and both in the domain). */
  public static boolean sameCell(
      List<List<Glob>> predicates, List<Glob> domain, String a, String b) {
    if (domain != null && !(anyMatches(domain, a) && anyMatches(domain, b))) {
      return false;
    }
    for (List<Glob> predicate : predicates) {
      if (anyMatches(predicate, a) != anyMatches(predicate, b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyMatches(List<Glob> globs, String text) {
    for (Glob glob : globs) {
      if (glob.matches(text)) {
        return true;
      }
    }
    return false;
  }

  private static char[] alphabet(List<Glob> globs) {
    StringBuilder literals = new StringBuilder(":/");
    for (Glob glob : globs) {
      glob.addLiterals(literals);
    }
    String lits = literals.toString();
    StringBuilder out = new StringBuilder();
    lits.chars().distinct().forEach(c -> out.append((char) c));
    fresh(FRESH_LETTERS, lits, out);
    fresh(FRESH_DIGITS, lits, out);
    fresh(FRESH_OTHERS, lits, out);
    return out.toString().toCharArray();
  }

  private static void fresh(String candidates, String literals, StringBuilder out) {
    for (char c : candidates.toCharArray()) {
      String lower = String.valueOf(Character.toLowerCase(c));
      String upper = String.valueOf(Character.toUpperCase(c));
      if (!literals.contains(lower) && !literals.contains(upper)) {
        out.append(c);
        return;
      }
    }
  }

  /** The product of all glob automata, as one automaton over a bit set of positions. */
  private static final class Product {
    private final List<Glob> globs;
    private final int[] offsets;
    private final int[] owner;
    private final int outcomes;
    private final int size;
    private final int[] globOf;

    Product(List<Glob> globs, List<int[]> owners, int outcomes) {
      this.globs = globs;
      this.outcomes = outcomes;
      this.offsets = new int[globs.size()];
      this.owner = new int[globs.size()];
      int total = 0;
      for (int i = 0; i < globs.size(); i++) {
        offsets[i] = total;
        owner[i] = owners.get(i)[0];
        total += globs.get(i).positions();
      }
      this.size = total;
      this.globOf = new int[total];
      for (int i = 0; i < globs.size(); i++) {
        java.util.Arrays.fill(globOf, offsets[i], offsets[i] + globs.get(i).positions(), i);
      }
    }

    BitSet start() {
      BitSet state = new BitSet(size);
      for (int g = 0; g < globs.size(); g++) {
        state.set(offsets[g]);
      }
      close(state);
      return state;
    }

    BitSet step(BitSet state, char c) {
      BitSet next = new BitSet(size);
      for (int p = state.nextSetBit(0); p >= 0; p = state.nextSetBit(p + 1)) {
        int g = globOf[p];
        Glob glob = globs.get(g);
        int local = p - offsets[g];
        if (local == glob.kinds.length) {
          continue;
        }
        char folded = glob.ignoreCase ? Character.toLowerCase(c) : c;
        if (glob.accepts(local, folded)) {
          next.set(glob.isRun(local) ? p : p + 1);
        }
      }
      close(next);
      return next;
    }

    /** Adds the positions reachable by skipping runs; only live positions are visited. */
    private void close(BitSet state) {
      for (int p = state.nextSetBit(0); p >= 0; p = state.nextSetBit(p + 1)) {
        int g = globOf[p];
        int local = p - offsets[g];
        Glob glob = globs.get(g);
        if (local < glob.kinds.length && glob.isRun(local)) {
          state.set(p + 1);
        }
      }
    }

    BitSet truths(BitSet state) {
      BitSet truths = new BitSet(outcomes);
      for (int g = 0; g < globs.size(); g++) {
        if (state.get(offsets[g] + globs.get(g).kinds.length)) {
          truths.set(owner[g]);
        }
      }
      return truths;
    }
  }
}
