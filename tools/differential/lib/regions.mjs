// Correspondence between a request to one key and the same request moved to the other key's Region
// (semantics notes, "Each policy is judged on its own key"): Region-bearing values that name one of
// the two Regions are moved to the other one; values naming a third Region stay as they are.
// Written here from the notes, not taken from the engine.

const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
// <service>.<region>.amazonaws.com[.cn]: Regional service endpoints (kms:ViaService) and Regional
// service principals (logs.<region>.amazonaws.com). The service part may be a pattern (`*`).
const REGIONAL_NAME = /^([A-Za-z0-9*?-]+)\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)\.(amazonaws\.com(?:\.cn)?)$/;

export function isRegion(text) {
  return REGION.test(text);
}

/** `region` moved between `a` and `b` (either way); any other Region unchanged. */
export function swapRegion(region, a, b) {
  if (region === a) return b;
  if (region === b) return a;
  return region;
}

/**
 * One value moved between Regions `a` and `b`: the Region field of an ARN, or the Region of a
 * Regional service name. Anything else (account ids, names, bare Regions, patterns without a
 * concrete Region) is unchanged. The move is its own inverse.
 */
export function moveValue(value, a, b) {
  if (typeof value !== 'string') return value;
  if (value.startsWith('arn:')) {
    const fields = value.split(':');
    if (fields.length >= 6) {
      fields[3] = swapRegion(fields[3], a, b);
      return fields.join(':');
    }
    return value;
  }
  const m = REGIONAL_NAME.exec(value);
  if (m) return `${m[1]}.${swapRegion(m[2], a, b)}.${m[3]}`;
  return value;
}

/** The Region a Regional service name or ARN names, or undefined. */
export function regionOf(value) {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('arn:')) {
    const region = value.split(':')[3];
    return region && isRegion(region) ? region : undefined;
  }
  const m = REGIONAL_NAME.exec(value);
  return m ? m[2] : undefined;
}

/**
 * A request body moved between the two Regions: the caller (a Regional service principal moves)
 * and every context value. Key facts (`aws:RequestedRegion`, `kms:MultiRegionKeyType`, ...) are
 * not part of a body: each side adds its own.
 */
export function moveBody(body, a, b) {
  const context = {};
  for (const [key, value] of Object.entries(body.context)) {
    context[key] = Array.isArray(value) ? value.map((v) => moveValue(v, a, b)) : moveValue(value, a, b);
  }
  return { ...body, principal: moveValue(body.principal, a, b), context };
}
