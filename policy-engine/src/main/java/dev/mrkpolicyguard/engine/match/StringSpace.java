package dev.mrkpolicyguard.engine.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
    StateTable seen = new StateTable();
    int[] parent = new int[16];
    char[] last = new char[16];
    int n = product.start();
    seen.add(product.buffer, n, StateTable.hash(product.buffer, n));
    parent[0] = -1;
    boolean complete = true;
    BitSet truths = new BitSet();
    for (int head = 0; head < seen.size() && complete; head++) {
      int[] state = seen.get(head);
      product.truths(state, truths);
      // Cells are told apart by the truths of the distinct predicates (a function of the
      // expanded vector and back), so the expanded vector is made only for a new cell.
      if ((domainIndex < 0 || truths.get(domainIndex))
          && (excludedIndex < 0 || !truths.get(excludedIndex))
          && !cells.containsKey(truths)) {
        BitSet expanded = new BitSet(predicates.size());
        for (int i = 0; i < predicates.size(); i++) {
          expanded.set(i, truths.get(uniqueOf[i]));
        }
        cells.put((BitSet) truths.clone(), new Cell(expanded, spell(head, parent, last)));
      }
      if (state.length == 0) {
        continue;
      }
      char[] alphabet = product.alphabet(state);
      int letters = product.alphabetSize;
      for (int i = 0; i < letters; i++) {
        char c = alphabet[i];
        n = product.step(state, c);
        int hash = StateTable.hash(product.buffer, n);
        if (seen.find(product.buffer, n, hash) < 0) {
          if (seen.size() >= maxStates) {
            complete = false;
            break;
          }
          int id = seen.add(product.buffer, n, hash);
          if (id == parent.length) {
            parent = Arrays.copyOf(parent, id * 2);
            last = Arrays.copyOf(last, id * 2);
          }
          parent[id] = head;
          last[id] = c;
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

  /**
   * The product states reached, numbered in order of discovery: each the sorted live positions of
   * all automata. An open-addressing table over the position arrays, so that looking up a state
   * already seen allocates nothing.
   */
  private static final class StateTable {
    private int[][] states = new int[64][];
    private int[] hashes = new int[64];
    private int size;
    private int[] slots = new int[256];

    int size() {
      return size;
    }

    int[] get(int id) {
      return states[id];
    }

    static int hash(int[] positions, int n) {
      int h = 1;
      for (int i = 0; i < n; i++) {
        h = 31 * h + positions[i];
      }
      return h ^ (h >>> 16);
    }

    /** The number of the state with these positions, or -1. */
    int find(int[] positions, int n, int hash) {
      int mask = slots.length - 1;
      for (int i = hash & mask; ; i = (i + 1) & mask) {
        int slot = slots[i];
        if (slot == 0) {
          return -1;
        }
        int id = slot - 1;
        if (hashes[id] == hash
            && Arrays.equals(states[id], 0, states[id].length, positions, 0, n)) {
          return id;
        }
      }
    }

    /** Adds a state not seen before and returns its number. */
    int add(int[] positions, int n, int hash) {
      if (size == states.length) {
        states = Arrays.copyOf(states, size * 2);
        hashes = Arrays.copyOf(hashes, size * 2);
      }
      int id = size++;
      states[id] = Arrays.copyOf(positions, n);
      hashes[id] = hash;
      if (size * 2 > slots.length) {
        slots = new int[slots.length * 2];
        for (int j = 0; j < size; j++) {
          insert(j);
        }
      } else {
        insert(id);
      }
      return id;
    }

    private void insert(int id) {
      int mask = slots.length - 1;
      int i = hashes[id] & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = id + 1;
    }
  }

  /**
   * The product of all glob automata over global position numbers, with each position's token laid
   * out in flat arrays. The positions of a step are written into {@link #buffer}.
   */
  private static final class Product {
    /** The token kind of each position; {@link #ACCEPT} for a glob's accepting position. */
    private static final byte ACCEPT = -1;

    private final List<Glob> globs;
    private final int[] offsets;
    private final int[] globOf;
    private final byte[] kind;
    private final char[] literal;
    private final boolean[] run;
    private final boolean[] ignoreCase;
    private final boolean[] placeholders;
    private final int[] ownerAt;
    private final String extra;

    /** Positions reached by spelling a placeholder from a global position, computed once. */
    private final int[][] spelledSelf;

    private final int[][] spelledOther;

    int[] buffer = new int[64];
    private int size;
    private boolean sorted;

    /** Positions already in the buffer are stamped with the current generation. */
    private final int[] stamp;

    private int generation;
    private char[] alphabet = new char[64];
    int alphabetSize;

    Product(List<Glob> globs, List<Integer> owners, String extra) {
      this.globs = globs;
      this.extra = extra;
      this.offsets = new int[globs.size()];
      int total = 0;
      for (int i = 0; i < globs.size(); i++) {
        offsets[i] = total;
        total += globs.get(i).positions();
      }
      this.globOf = new int[total];
      this.kind = new byte[total];
      this.literal = new char[total];
      this.run = new boolean[total];
      this.ignoreCase = new boolean[total];
      this.placeholders = new boolean[total];
      this.ownerAt = new int[total];
      this.spelledSelf = new int[total][];
      this.spelledOther = new int[total][];
      this.stamp = new int[total];
      for (int g = 0; g < globs.size(); g++) {
        Glob glob = globs.get(g);
        for (int local = 0; local <= glob.kinds.length; local++) {
          int p = offsets[g] + local;
          globOf[p] = g;
          ownerAt[p] = owners.get(g);
          ignoreCase[p] = glob.ignoreCase;
          placeholders[p] = glob.regions != null;
          if (local == glob.kinds.length) {
            kind[p] = ACCEPT;
          } else {
            kind[p] = glob.kinds[local];
            literal[p] = glob.literals[local];
            run[p] = glob.isRun(local);
          }
        }
      }
    }

    /** Writes the start state into {@link #buffer}; returns its length. */
    int start() {
      clear();
      for (int g = 0; g < globs.size(); g++) {
        addClosed(offsets[g]);
      }
      return normalize();
    }

    /**
     * The characters worth trying from {@code state}: colon and slash, the characters of {@code
     * extra}, each literal at a live position (both cases where its pattern ignores case), and one
     * fresh letter, digit and other character that no live position names. The first {@link
     * #alphabetSize} characters of the array returned.
     */
    char[] alphabet(int[] state) {
      int needed = 5 + extra.length() + 2 * state.length;
      if (alphabet.length < needed) {
        alphabet = new char[needed];
      }
      int n = 0;
      alphabet[n++] = ':';
      alphabet[n++] = '/';
      for (int i = 0; i < extra.length(); i++) {
        alphabet[n++] = extra.charAt(i);
      }
      for (int p : state) {
        if (kind[p] == Glob.LITERAL) {
          char c = literal[p];
          n = add(n, c);
          if (ignoreCase[p]) {
            n = add(n, Character.toUpperCase(c));
          }
        }
      }
      int literals = n;
      n = fresh(FRESH_LETTERS, literals, n);
      n = fresh(FRESH_DIGITS, literals, n);
      n = fresh(FRESH_OTHERS, literals, n);
      alphabetSize = n;
      return alphabet;
    }

    private int add(int n, char c) {
      for (int i = 0; i < n; i++) {
        if (alphabet[i] == c) {
          return n;
        }
      }
      alphabet[n] = c;
      return n + 1;
    }

    private int fresh(String candidates, int literals, int n) {
      for (int k = 0; k < candidates.length(); k++) {
        char c = candidates.charAt(k);
        char lower = Character.toLowerCase(c);
        char upper = Character.toUpperCase(c);
        boolean named = false;
        for (int i = 0; i < literals && !named; i++) {
          named = alphabet[i] == lower || alphabet[i] == upper;
        }
        if (!named) {
          alphabet[n] = c;
          return n + 1;
        }
      }
      return n;
    }

    /** Writes the state reached from {@code state} by {@code c} into {@link #buffer}. */
    int step(int[] state, char c) {
      clear();
      boolean placeholder = c == Glob.SELF_REGION || c == Glob.OTHER_REGION;
      for (int p : state) {
        if (kind[p] == ACCEPT) {
          continue;
        }
        if (placeholder && placeholders[p]) {
          int g = globOf[p];
          int[][] memo = c == Glob.SELF_REGION ? spelledSelf : spelledOther;
          int[] spelled = memo[p];
          if (spelled == null) {
            Glob glob = globs.get(g);
            spelled = spellFrom(glob, p - offsets[g], glob.expansion(c));
            memo[p] = spelled;
          }
          for (int reached : spelled) {
            addClosed(offsets[g] + reached);
          }
          continue;
        }
        char folded = ignoreCase[p] ? Character.toLowerCase(c) : c;
        if (Glob.accepts(kind[p], literal[p], folded)) {
          addClosed(run[p] ? p : p + 1);
        }
      }
      return normalize();
    }

    /** Adds {@code p} and the positions reachable from it by skipping runs, each once. */
    private void addClosed(int p) {
      while (stamp[p] != generation) {
        stamp[p] = generation;
        if (size == buffer.length) {
          buffer = Arrays.copyOf(buffer, size * 2);
        }
        if (size > 0 && buffer[size - 1] > p) {
          sorted = false;
        }
        buffer[size++] = p;
        if (!run[p]) {
          return;
        }
        p++;
      }
    }

    /** Starts a new set of positions in the buffer. */
    private void clear() {
      size = 0;
      sorted = true;
      if (++generation == 0) {
        Arrays.fill(stamp, 0);
        generation = 1;
      }
    }

    /**
     * Sorts the buffer, which holds no duplicates; it is usually sorted already, as positions are
     * visited in order and most steps move each one by at most one.
     */
    private int normalize() {
      if (!sorted) {
        Arrays.sort(buffer, 0, size);
      }
      return size;
    }

    /**
     * The positions of {@code glob} reached from {@code start} by reading {@code text}, in order.
     * Only the span of positions between the lowest and the highest live one is scanned.
     */
    private static int[] spellFrom(Glob glob, int start, String text) {
      int size = glob.kinds.length;
      boolean[] current = new boolean[size + 1];
      boolean[] next = new boolean[size + 1];
      current[start] = true;
      int low = start;
      int high = start;
      for (int i = 0; i < text.length() && low <= high; i++) {
        // Skipping runs: a run position also makes the next one live, transitively.
        for (int p = low; p < size && p <= high; p++) {
          if (current[p] && glob.isRun(p)) {
            current[p + 1] = true;
            high = Math.max(high, p + 1);
          }
        }
        char c = glob.ignoreCase ? Character.toLowerCase(text.charAt(i)) : text.charAt(i);
        int nextLow = Integer.MAX_VALUE;
        int nextHigh = -1;
        for (int p = low; p <= high; p++) {
          if (current[p] && p < size && glob.accepts(p, c)) {
            int q = glob.isRun(p) ? p : p + 1;
            next[q] = true;
            nextLow = Math.min(nextLow, q);
            nextHigh = Math.max(nextHigh, q);
          }
          current[p] = false;
        }
        boolean[] swap = current;
        current = next;
        next = swap;
        low = nextLow;
        high = nextHigh;
      }
      if (low > high) {
        return new int[0];
      }
      int count = 0;
      for (int p = low; p <= high; p++) {
        count += current[p] ? 1 : 0;
      }
      int[] out = new int[count];
      int k = 0;
      for (int p = low; p <= high; p++) {
        if (current[p]) {
          out[k++] = p;
        }
      }
      return out;
    }

    /** Sets in {@code truths} the owner of every glob whose accepting position is live. */
    void truths(int[] state, BitSet truths) {
      truths.clear();
      for (int p : state) {
        if (kind[p] == ACCEPT) {
          truths.set(ownerAt[p]);
        }
      }
    }
  }
}
