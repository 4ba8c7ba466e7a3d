package dev.mrkpolicyguard.engine.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Partitions the set of all strings by a list of predicates (each a union of {@link Glob}s) and
 * returns one shortest witness string for every combination of predicate outcomes that some string
 * realises. The search runs breadth-first over the product automaton; from each state it tries
 * every character that a live pattern position names, plus one representative of each class of
 * characters that no live position tells apart, so it is exact: a truth vector is reported if and
 * only if a string produces it.
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
    return partition(predicates, domain, List.of(), "", maxStates);
  }

  /**
   * Partitions the strings accepted by {@code domain} (all strings when null) and by none of {@code
   * excluded}, trying the characters of {@code extra} (such as the Region placeholders of {@link
   * Glob#SELF_REGION}) from every state as well.
   */
  public static Partition partition(
      List<List<Glob>> predicates,
      List<Glob> domain,
      List<Glob> excluded,
      String extra,
      int maxStates) {
    // Equal predicates (the same principal named in many statements) are solved once.
    Map<List<Glob>, Integer> unique = new LinkedHashMap<>();
    int[] uniqueOf = new int[predicates.size()];
    for (int i = 0; i < predicates.size(); i++) {
      List<Glob> key = List.copyOf(predicates.get(i));
      uniqueOf[i] = unique.computeIfAbsent(key, k -> unique.size());
    }
    List<Glob> globs = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    int u = 0;
    for (List<Glob> predicate : unique.keySet()) {
      for (Glob glob : predicate) {
        globs.add(glob);
        owners.add(u);
      }
      u++;
    }
    int domainIndex = -1;
    if (domain != null) {
      domainIndex = unique.size();
      for (Glob glob : domain) {
        globs.add(glob);
        owners.add(domainIndex);
      }
    }
    int excludedIndex = -1;
    if (!excluded.isEmpty()) {
      excludedIndex = unique.size() + 1;
      for (Glob glob : excluded) {
        globs.add(glob);
        owners.add(excludedIndex);
      }
    }
    Product product = new Product(globs, owners, extra);
    Map<BitSet, Cell> cells = new LinkedHashMap<>();
    // Each state reached is numbered; its shortest string is kept as (parent, last character)
    // and spelled out only for the states that become a cell's witness.
    Map<State, Integer> seen = new HashMap<>();
    List<State> states = new ArrayList<>();
    int[] parent = new int[16];
    char[] last = new char[16];
    State start = product.start();
    seen.put(start, 0);
    states.add(start);
    parent[0] = -1;
    boolean complete = true;
    for (int head = 0; head < states.size() && complete; head++) {
      State state = states.get(head);
      BitSet truths = product.truths(state);
      if ((domainIndex < 0 || truths.get(domainIndex))
          && (excludedIndex < 0 || !truths.get(excludedIndex))) {
        BitSet expanded = new BitSet(predicates.size());
        for (int i = 0; i < predicates.size(); i++) {
          expanded.set(i, truths.get(uniqueOf[i]));
        }
        if (!cells.containsKey(expanded)) {
          cells.put(expanded, new Cell(expanded, spell(head, parent, last)));
        }
      }
      if (state.positions.length == 0) {
        continue;
      }
      for (char c : product.alphabet(state)) {
        State next = product.step(state, c);
        if (!seen.containsKey(next)) {
          if (seen.size() >= maxStates) {
            complete = false;
            break;
          }
          int id = states.size();
          if (id == parent.length) {
            parent = Arrays.copyOf(parent, id * 2);
            last = Arrays.copyOf(last, id * 2);
          }
          parent[id] = head;
          last[id] = c;
          seen.put(next, id);
          states.add(next);
        }
      }
    }
    return new Partition(new ArrayList<>(cells.values()), complete);
  }

  private static String spell(int id, int[] parent, char[] last) {
    StringBuilder out = new StringBuilder();
    for (int i = id; parent[i] >= 0; i = parent[i]) {
      out.append(last[i]);
    }
    return out.reverse().toString();
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

  /** A product state: the sorted live positions of all automata. */
  private static final class State {
    final int[] positions;
    private final int hash;

    State(int[] positions) {
      this.positions = positions;
      this.hash = Arrays.hashCode(positions);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof State s && s.hash == hash && Arrays.equals(s.positions, positions);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The product of all glob automata over global position numbers. */
  private static final class Product {
    private final List<Glob> globs;
    private final int[] offsets;
    private final int[] globOf;
    private final int[] owner;
    private final String extra;

    /** Positions reached by spelling a placeholder from a global position, computed once. */
    private final Map<Long, int[]> spelledFrom = new HashMap<>();

    Product(List<Glob> globs, List<Integer> owners, String extra) {
      this.globs = globs;
      this.extra = extra;
      this.offsets = new int[globs.size()];
      this.owner = new int[globs.size()];
      int total = 0;
      for (int i = 0; i < globs.size(); i++) {
        offsets[i] = total;
        owner[i] = owners.get(i);
        total += globs.get(i).positions();
      }
      this.globOf = new int[total];
      for (int i = 0; i < globs.size(); i++) {
        Arrays.fill(globOf, offsets[i], offsets[i] + globs.get(i).positions(), i);
      }
    }

    State start() {
      int[] positions = new int[globs.size()];
      for (int g = 0; g < globs.size(); g++) {
        positions[g] = offsets[g];
      }
      return close(positions, positions.length);
    }

    /**
     * The characters worth trying from {@code state}: each literal at a live position (both cases
     * where its pattern ignores case), colon and slash, and one fresh digit, letter and other
     * character that no live position names.
     */
    char[] alphabet(State state) {
      StringBuilder chars = new StringBuilder(":/");
      chars.append(extra);
      for (int p : state.positions) {
        Glob glob = globs.get(globOf[p]);
        int local = p - offsets[globOf[p]];
        if (local < glob.kinds.length && glob.kinds[local] == Glob.LITERAL) {
          char c = glob.literals[local];
          add(chars, c);
          if (glob.ignoreCase) {
            add(chars, Character.toUpperCase(c));
          }
        }
      }
      String literals = chars.toString();
      fresh(FRESH_LETTERS, literals, chars);
      fresh(FRESH_DIGITS, literals, chars);
      fresh(FRESH_OTHERS, literals, chars);
      return chars.toString().toCharArray();
    }

    private static void add(StringBuilder chars, char c) {
      for (int i = 0; i < chars.length(); i++) {
        if (chars.charAt(i) == c) {
          return;
        }
      }
      chars.append(c);
    }

    private static void fresh(String candidates, String literals, StringBuilder out) {
      for (char c : candidates.toCharArray()) {
        if (literals.indexOf(Character.toLowerCase(c)) < 0
            && literals.indexOf(Character.toUpperCase(c)) < 0) {
          out.append(c);
          return;
        }
      }
    }

    State step(State state, char c) {
      int[] next = new int[state.positions.length * 2 + 2];
      int n = 0;
      for (int p : state.positions) {
        int g = globOf[p];
        Glob glob = globs.get(g);
        int local = p - offsets[g];
        if (local == glob.kinds.length) {
          continue;
        }
        String expansion = glob.expansion(c);
        if (expansion != null) {
          long memoKey = ((long) p << 1) | (c == Glob.SELF_REGION ? 0 : 1);
          int[] spelled = spelledFrom.get(memoKey);
          if (spelled == null) {
            spelled = spellFrom(glob, local, expansion);
            spelledFrom.put(memoKey, spelled);
          }
          for (int reached : spelled) {
            if (n == next.length) {
              next = Arrays.copyOf(next, n * 2);
            }
            next[n++] = offsets[g] + reached;
          }
          continue;
        }
        char folded = glob.ignoreCase ? Character.toLowerCase(c) : c;
        if (glob.accepts(local, folded)) {
          if (n == next.length) {
            next = Arrays.copyOf(next, n * 2);
          }
          next[n++] = glob.isRun(local) ? p : p + 1;
        }
      }
      return close(next, n);
    }

    /** The positions of {@code glob} reached from {@code start} by reading {@code text}. */
    private static int[] spellFrom(Glob glob, int start, String text) {
      int size = glob.kinds.length;
      boolean[] current = new boolean[size + 1];
      current[start] = true;
      for (int i = 0; i < text.length(); i++) {
        closeLocal(glob, current);
        char c = glob.ignoreCase ? Character.toLowerCase(text.charAt(i)) : text.charAt(i);
        boolean[] next = new boolean[size + 1];
        for (int p = 0; p < size; p++) {
          if (current[p] && glob.accepts(p, c)) {
            next[glob.isRun(p) ? p : p + 1] = true;
          }
        }
        current = next;
      }
      int count = 0;
      for (boolean b : current) {
        count += b ? 1 : 0;
      }
      int[] out = new int[count];
      int k = 0;
      for (int p = 0; p <= size; p++) {
        if (current[p]) {
          out[k++] = p;
        }
      }
      return out;
    }

    private static void closeLocal(Glob glob, boolean[] states) {
      for (int p = 0; p < glob.kinds.length; p++) {
        if (states[p] && glob.isRun(p)) {
          states[p + 1] = true;
        }
      }
    }

    /** Sorts, removes duplicates and adds the positions reachable by skipping runs. */
    private State close(int[] positions, int n) {
      int[] out = Arrays.copyOf(positions, Math.max(n * 2, 1));
      int size = n;
      for (int i = 0; i < size; i++) {
        int p = out[i];
        int g = globOf[p];
        int local = p - offsets[g];
        Glob glob = globs.get(g);
        if (local < glob.kinds.length && glob.isRun(local)) {
          if (size == out.length) {
            out = Arrays.copyOf(out, size * 2);
          }
          out[size++] = p + 1;
        }
      }
      Arrays.sort(out, 0, size);
      int unique = 0;
      for (int i = 0; i < size; i++) {
        if (unique == 0 || out[unique - 1] != out[i]) {
          out[unique++] = out[i];
        }
      }
      return new State(Arrays.copyOf(out, unique));
    }

    BitSet truths(State state) {
      BitSet truths = new BitSet();
      for (int p : state.positions) {
        int g = globOf[p];
        if (p - offsets[g] == globs.get(g).kinds.length) {
          truths.set(owner[g]);
        }
      }
      return truths;
    }
  }
}
