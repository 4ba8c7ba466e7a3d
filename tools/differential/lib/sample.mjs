// Sampled pairs of corresponding requests for one policy pair: callers, actions and context values
// drawn from what the two policies name (in either key's terms) plus fresh ones, built on one key
// and moved to the other.

import { ACCOUNT, IAM_DERIVED_KEYS, KEY_FACT_KEYS, parseCaller } from './requests.mjs';
import { OTHER_ACCOUNTS, THIRD_REGIONS } from './generate.mjs';
import { actionFacts, keyAvailable } from './oracle.mjs';
import { moveBody, moveValue } from './regions.mjs';

/**
 * Actions sampled: those that use the key and that a symmetric encryption key (what `compare`
 * assumes) can perform on both sides. Left out: Sign/Verify/GenerateMac/VerifyMac/
 * DeriveSharedSecret/GetPublicKey (other key types), the import operations (EXTERNAL origin only),
 * ReplicateKey (only a primary can be replicated: no corresponding request on the replica) and
 * SynchronizeMultiRegionKey (KMS's own).
 */
export const SAMPLED_ACTIONS = [
  'CancelKeyDeletion', 'CreateGrant', 'Decrypt', 'DescribeKey', 'DisableKey', 'DisableKeyRotation',
  'EnableKey', 'EnableKeyRotation', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GetKeyLastUsage',
  'GetKeyPolicy', 'GetKeyRotationStatus', 'ListGrants', 'ListKeyPolicies', 'ListKeyRotations',
  'ListResourceTags', 'PutKeyPolicy', 'ReEncryptFrom', 'ReEncryptTo', 'RetireGrant', 'RevokeGrant',
  'RotateKeyOnDemand', 'ScheduleKeyDeletion', 'TagResource', 'UntagResource', 'UpdateKeyDescription',
  'UpdatePrimaryRegion',
].map((a) => `kms:${a}`);

const list = (x) => (x === undefined ? [] : [x].flat());

/** Principals, condition values by key and action patterns named in a policy. */
export function policyValues(policy) {
  const principals = [];
  const conditions = new Map();
  const actions = [];
  for (const s of list(policy.Statement)) {
    for (const element of [s.Principal, s.NotPrincipal]) {
      if (element === undefined) continue;
      if (element === '*') principals.push('*');
      else for (const v of Object.values(element).flatMap(list)) principals.push(String(v));
    }
    actions.push(...list(s.Action), ...list(s.NotAction));
    for (const block of Object.values(s.Condition ?? {})) {
      for (const [key, values] of Object.entries(block ?? {})) {
        const lower = key.toLowerCase();
        if (!conditions.has(lower)) conditions.set(lower, { name: key, values: [] });
        conditions.get(lower).values.push(...list(values).map(String));
      }
    }
  }
  return { principals, conditions, actions };
}

function globToRegex(pattern) {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

const FILLERS = ['', 'x', 'App', 'orders'];
const SERVICES = ['ec2', 'rds', 's3', 'lambda', 'secretsmanager'];

/**
 * `value` with its wildcards filled in: an ARN's Region field with a Region, its account field
 * with an account, a Regional service name's parts with a service and a Region.
 */
function instantiate(rng, value, regions) {
  if (!/[*?]/.test(value)) return value;
  const fill = (part, choices) => {
    if (!/[*?]/.test(part)) return part;
    const pattern = globToRegex(part);
    const fitting = choices.filter((c) => pattern.test(c));
    if (fitting.length > 0 && rng.chance(0.85)) return rng.pick(fitting);
    return part.replace(/\*/g, () => rng.pick(FILLERS)).replace(/\?/g, 'a');
  };
  if (value.startsWith('arn:')) {
    const fields = value.split(':');
    if (fields.length >= 6) {
      fields[3] = fill(fields[3], regions);
      fields[4] = fill(fields[4], [ACCOUNT, ...OTHER_ACCOUNTS]);
      const rest = fields.slice(5).join(':');
      const filled = rest.replace(/\*/g, () => rng.pick([...FILLERS, 'log-group:/app/orders', 'trail/main'])).replace(/\?/g, 'a');
      return [...fields.slice(0, 5), filled].join(':');
    }
  }
  const m = /^([^.]+)\.([^.]+)\.(amazonaws\.com(?:\.cn)?)$/.exec(value);
  if (m) return `${fill(m[1], SERVICES)}.${fill(m[2], regions)}.${m[3]}`;
  return value.replace(/\*/g, () => rng.pick(FILLERS)).replace(/\?/g, 'a');
}

const FRESH_CALLERS = (rng, regions) => [
  `arn:aws:iam::${ACCOUNT}:role/AppRole`,
  `arn:aws:iam::${ACCOUNT}:role/FreshRole`,
  `arn:aws:sts::${ACCOUNT}:assumed-role/KeyAdmin/admin-session`,
  `arn:aws:iam::${ACCOUNT}:user/alice`,
  `arn:aws:iam::${rng.pick(OTHER_ACCOUNTS)}:role/Partner`,
  `arn:aws:iam::${rng.pick(OTHER_ACCOUNTS)}:role/Other`,
  `logs.${rng.pick(regions)}.amazonaws.com`,
  'cloudtrail.amazonaws.com',
];

function callerFrom(rng, principal, regions) {
  if (principal === '*') return rng.pick(FRESH_CALLERS(rng, regions));
  if (/^\d{12}$/.test(principal)) principal = `arn:aws:iam::${principal}:root`;
  const m = /^arn:aws:iam::(\d{12}):root$/.exec(principal);
  if (m) return rng.pick([`arn:aws:iam::${m[1]}:role/Fresh${rng.int(3)}`, `arn:aws:iam::${m[1]}:user/bob`]);
  const filled = instantiate(rng, principal, regions);
  return parseCaller(filled).kind === 'invalid' ? rng.pick(FRESH_CALLERS(rng, regions)) : filled;
}

function freshValue(rng, lower, pool, side, regions) {
  if (lower === 'kms:viaservice') return `${rng.pick(['ec2', 'rds', 's3', 'lambda'])}.${side.region}.amazonaws.com`;
  if (lower === 'kms:grantisforawsresource') return rng.pick(['true', 'false']);
  const arn = pool.find((v) => v.startsWith('arn:'));
  if (arn !== undefined) {
    const fields = instantiate(rng, arn, regions).split(':');
    // Another Region for ARNs that have one (S3 ARNs have none).
    if (fields.length >= 6 && fields[3] !== '') fields[3] = rng.pick(regions);
    return fields.join(':');
  }
  return rng.pick(['x', 'true', ACCOUNT, `${rng.pick(OTHER_ACCOUNTS)}`]);
}

/**
 * Values from the policies, per caller-chosen condition key; values of the other key's policy are
 * moved to this key's terms half the time (the move is its own inverse).
 */
function drawValue(rng, lower, entry, side, other, regions) {
  let value;
  if (entry.values.length > 0 && rng.chance(0.7)) {
    value = instantiate(rng, rng.pick(entry.values), regions);
    if (rng.chance(0.5)) value = moveValue(value, side.region, other.region);
  } else {
    value = freshValue(rng, lower, entry.values, side, regions);
  }
  if (lower === 'kms:viaservice') {
    // A service calls KMS in its own Region: the endpoint is the called key's (semantics notes).
    const m = /^([a-z0-9-]+)\.[^.]+\.(amazonaws\.com(?:\.cn)?)$/.exec(value);
    value = `${m ? m[1] : rng.pick(SERVICES)}.${side.region}.${m ? m[2] : 'amazonaws.com'}`;
  }
  return value;
}

/**
 * A Regional service principal calls KMS in its own Region only (as kms:ViaService endpoints do;
 * docs/semantics.md, "Corresponding requests"): one naming another Region is moved to the Region
 * of the key it calls, so every sampled request is one KMS can receive.
 */
function ownRegionService(principal, region) {
  const m = /^([a-z0-9.-]+)\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(amazonaws\.com(?:\.cn)?)$/.exec(principal);
  return m && m[2] !== region ? `${m[1]}.${region}.${m[3]}` : principal;
}

/**
 * Draws one request body on `origin` (a key side; `other` is the other key) and returns the
 * bodies for both sides: `{primary, replica}`.
 */
export async function drawCorrespondingBodies(rng, pools, sides) {
  const originName = rng.pick(['primary', 'replica']);
  const side = sides[originName];
  const other = sides[originName === 'primary' ? 'replica' : 'primary'];
  const regions = [side.region, other.region, ...THIRD_REGIONS];

  const drawn = rng.weighted([
    [5, () => callerFrom(rng, rng.pick(pools.principals.length > 0 ? pools.principals : ['*']), regions)],
    [2, () => {
      const arns = pools.conditions.get('aws:principalarn')?.values ?? [];
      return arns.length > 0 ? callerFrom(rng, rng.pick(arns), regions) : rng.pick(FRESH_CALLERS(rng, regions));
    }],
    [3, () => rng.pick(FRESH_CALLERS(rng, regions))],
  ])();
  const principal = ownRegionService(drawn, side.region);

  const keyActions = pools.keyActions;
  const matching = keyActions.filter((a) => pools.actionPatterns.some((p) => globToRegex(p).test(a)));
  const action = matching.length > 0 && rng.chance(0.65) ? rng.pick(matching) : rng.pick(keyActions);

  const context = {};
  for (const [lower, entry] of pools.conditions) {
    if (KEY_FACT_KEYS.includes(lower) || IAM_DERIVED_KEYS.includes(lower)) continue;
    if (!(await keyAvailable(entry.name, action))) continue;
    if (!rng.chance(0.7)) continue;
    context[entry.name] = drawValue(rng, lower, entry, side, other, regions);
  }
  const body = { principal, identityPolicyAllows: rng.chance(0.5), action, context };
  const moved = moveBody(body, side.region, other.region);
  return originName === 'primary' ? { primary: body, replica: moved } : { primary: moved, replica: body };
}

/** Everything the sampler draws from for one pair. */
export async function pairPools(primary, replica) {
  const a = policyValues(primary);
  const b = policyValues(replica);
  const conditions = new Map(a.conditions);
  for (const [lower, entry] of b.conditions) {
    if (conditions.has(lower)) conditions.set(lower, { name: conditions.get(lower).name, values: [...conditions.get(lower).values, ...entry.values] });
    else conditions.set(lower, entry);
  }
  const keyActions = [];
  for (const name of SAMPLED_ACTIONS) {
    const facts = await actionFacts(name);
    if (facts.exists && !facts.keyless) keyActions.push(facts.name);
  }
  return {
    principals: [...new Set([...a.principals, ...b.principals])],
    conditions,
    actionPatterns: [...new Set([...a.actions, ...b.actions])].map(String),
    keyActions,
  };
}
