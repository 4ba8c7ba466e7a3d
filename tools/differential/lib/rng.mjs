// Seeded pseudo-random numbers: every pair is derived from (seed, index) alone, so one pair can be
// regenerated without the ones before it (DIFF_ONLY).

/** 32-bit FNV-1a of a string, used to derive a pair's own seed. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A small deterministic generator (mulberry32) with the helpers the generators need. */
export class Rng {
  constructor(seed) {
    this.state = seed >>> 0;
  }

  /** The generator for item `index` of run `seed`, independent of every other item. */
  static forItem(seed, index, purpose = '') {
    return new Rng(fnv1a(`${seed}/${index}/${purpose}`));
  }

  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n) {
    return Math.floor(this.next() * n);
  }

  chance(p) {
    return this.next() < p;
  }

  pick(items) {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)];
  }

  /** One of `choices`, an array of [weight, value]. */
  weighted(choices) {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [w, value] of choices) {
      x -= w;
      if (x < 0) return value;
    }
    return choices[choices.length - 1][1];
  }

  /** `k` distinct items of `items` (fewer if there are fewer), in their original order. */
  some(items, k) {
    const chosen = new Set();
    while (chosen.size < Math.min(k, items.length)) chosen.add(this.int(items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }

  hex(length) {
    let s = '';
    for (let i = 0; i < length; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
}
