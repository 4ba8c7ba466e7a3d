// The check's own machinery (correspondence, side requests, oracle adaptations, sampler) must find
// no difference where there is none: a policy and its copy rewritten for the replica's Region agree
// on every sampled corresponding pair when the policy names no Region other than the primary's and
// tests nothing that differs between the keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../lib/rng.mjs';
import { generatePair, rewriteForRegion, THIRD_REGIONS, REPLICA_REGIONS, PRIMARY_REGION } from '../lib/generate.mjs';
import { pairSides } from '../lib/check.mjs';
import { OraclePolicy, decide } from '../lib/oracle.mjs';
import { sideRequest } from '../lib/requests.mjs';
import { drawCorrespondingBodies, pairPools } from '../lib/sample.mjs';

function regionNeutral(policy) {
  const text = JSON.stringify(policy);
  return ![...THIRD_REGIONS, ...REPLICA_REGIONS].some((r) => text.includes(r)) && !/MultiRegionKeyType|us-\*|:\*:/.test(text);
}

test('samples_rewrittenCopy_neverDisagree', async () => {
  let pairs = 0;
  for (let index = 0; pairs < 25 && index < 400; index++) {
    const generated = generatePair(7, index);
    if (!regionNeutral(generated.primary)) continue;
    const pair = { ...generated, replica: rewriteForRegion(generated.primary, PRIMARY_REGION, generated.replicaRegion) };
    pairs++;
    const sides = pairSides(pair);
    const policies = { primary: new OraclePolicy(pair.primary), replica: new OraclePolicy(pair.replica) };
    const pools = await pairPools(pair.primary, pair.replica);
    const rng = Rng.forItem(7, index, 'test');
    for (let i = 0; i < 30; i++) {
      const bodies = await drawCorrespondingBodies(rng, pools, sides);
      const d = {};
      for (const name of ['primary', 'replica']) d[name] = await decide(policies[name], sides[name], sideRequest(sides[name], bodies[name]));
      if (d.primary.excluded || d.replica.excluded) continue;
      assert.equal(d.primary.decision, d.replica.decision, `pair ${index}: ${JSON.stringify(bodies)} ${JSON.stringify(pair.primary)}`);
    }
  }
  assert.ok(pairs >= 10, `only ${pairs} region-neutral pairs`);
});

test('generatePair_sameSeedAndIndex_sameValue', () => {
  assert.deepEqual(generatePair(3, 17), generatePair(3, 17));
  assert.notDeepEqual(generatePair(3, 17).primary, generatePair(4, 17).primary);
});
