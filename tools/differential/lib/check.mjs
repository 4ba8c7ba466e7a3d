// Judges one `compare` answer for one pair against the oracle: the verdict's shape, every witness,
// and sampled corresponding requests.

import { Rng } from './rng.mjs';
import { PRIMARY_REGION } from './generate.mjs';
import { OraclePolicy, actionFacts, decide, keyAvailable } from './oracle.mjs';
import { moveBody, regionOf } from './regions.mjs';
import { KEY_FACT_KEYS, keySide, sideRequest } from './requests.mjs';
import { drawCorrespondingBodies, pairPools } from './sample.mjs';

export const VERDICTS = ['EQUIVALENT', 'REPLICA_BROADER', 'REPLICA_NARROWER', 'DIVERGENT', 'UNDECIDED'];
const EXIT_FOR = { EQUIVALENT: 0, REPLICA_BROADER: 1, REPLICA_NARROWER: 1, DIVERGENT: 1, UNDECIDED: 3 };

/** The two keys of a pair. */
export function pairSides(pair) {
  return {
    primary: keySide(pair.primaryArn, 'PRIMARY', PRIMARY_REGION),
    replica: keySide(pair.replicaArn, 'REPLICA', PRIMARY_REGION),
  };
}

/** The ways a request shown as a witness can fail to be one KMS receives (beyond sideRequest's). */
async function notARequest(body, side) {
  const problems = [];
  for (const key of Object.keys(body.context ?? {})) {
    // Key facts are judged by sideRequest against the key itself, whatever the catalogue lists.
    const fact = KEY_FACT_KEYS.includes(key.toLowerCase());
    if (!fact && !(await keyAvailable(key, body.action))) problems.push(`${key} is never sent with ${body.action}`);
    if (key.toLowerCase() === 'kms:viaservice') {
      for (const v of [body.context[key]].flat()) {
        const region = regionOf(v);
        if (region !== undefined && region !== side.region) {
          problems.push(`kms:ViaService ${v} is not an endpoint of the called key's Region ${side.region}`);
        }
      }
    }
  }
  return problems;
}

class Tally {
  constructor() {
    this.failures = [];
    this.witnesses = 0;
    this.samples = 0;
    this.excluded = {};
  }

  exclude(limit) {
    this.excluded[limit] = (this.excluded[limit] ?? 0) + 1;
  }
}

/** Both sides' oracle decisions for corresponding bodies, or the limit that excludes them. */
async function judgeBoth(policies, sides, bodies) {
  const requests = {};
  const decisions = {};
  for (const name of ['primary', 'replica']) {
    const request = sideRequest(sides[name], bodies[name]);
    if (request.problems?.length > 0 && !request.caller) return { invalid: request.problems, requests };
    requests[name] = request;
  }
  for (const name of ['primary', 'replica']) {
    const d = await decide(policies[name], sides[name], requests[name]);
    if (d.excluded) return { excluded: d.excluded, detail: d.detail, requests };
    if (d.keyless) return { keyless: true, requests };
    decisions[name] = d.decision;
  }
  return { requests, decisions };
}

function shown(request) {
  if (!request) return undefined;
  return {
    principal: request.principal,
    identityPolicyAllows: request.identityPolicyAllows,
    action: request.action,
    context: request.context,
  };
}

function verdictShape(verdict, differences) {
  const directions = new Set(differences.map((d) => d.direction));
  switch (verdict) {
    case 'EQUIVALENT':
      return differences.length === 0 ? undefined : 'EQUIVALENT with differences';
    case 'REPLICA_BROADER':
      return directions.size === 1 && directions.has('REPLICA_ONLY') ? undefined : `REPLICA_BROADER with directions ${[...directions]}`;
    case 'REPLICA_NARROWER':
      return directions.size === 1 && directions.has('PRIMARY_ONLY') ? undefined : `REPLICA_NARROWER with directions ${[...directions]}`;
    case 'DIVERGENT':
      return directions.size === 2 ? undefined : `DIVERGENT with directions ${[...directions]}`;
    default:
      return undefined;
  }
}

/** Which sampled outcome contradicts a verdict: 'primary' (only the primary allows), 'replica', or none. */
function contradicts(verdict, decisions) {
  const p = decisions.primary === 'ALLOW';
  const r = decisions.replica === 'ALLOW';
  if (p === r) return undefined;
  const only = p ? 'primary' : 'replica';
  if (verdict === 'EQUIVALENT') return only;
  if (verdict === 'REPLICA_BROADER' && only === 'primary') return only;
  if (verdict === 'REPLICA_NARROWER' && only === 'replica') return only;
  return undefined;
}

/**
 * Checks `answer` ({exitCode, json, stderr}) for `pair`; returns the tally: failures (each with
 * class, message and the requests), witnesses re-checked, samples, exclusions by limit.
 */
export async function checkPair(pair, answer, { seed, samples }) {
  const tally = new Tally();
  const fail = (klass, message, extra = {}) => tally.failures.push({ class: klass, message, ...extra });
  if (answer.exitCode === 2 || answer.json === undefined) {
    fail('compare-refused', `compare exited ${answer.exitCode}: ${answer.stderr.trim().slice(0, 500)}`);
    return tally;
  }
  const { verdict } = answer.json;
  const differences = answer.json.differences ?? [];
  tally.verdict = verdict;
  if (!VERDICTS.includes(verdict)) {
    fail('verdict-shape', `unknown verdict ${verdict}`);
    return tally;
  }
  if (EXIT_FOR[verdict] !== answer.exitCode) fail('verdict-shape', `verdict ${verdict} with exit code ${answer.exitCode}`);
  const shape = verdictShape(verdict, differences);
  if (shape) fail('verdict-shape', shape);
  if (verdict === 'UNDECIDED') return tally;

  const sides = pairSides(pair);
  const policies = { primary: new OraclePolicy(pair.primary), replica: new OraclePolicy(pair.replica) };

  // (1) Every witness, in the replica's terms, moved to the primary by our own correspondence.
  for (const difference of differences) {
    const w = difference.witness ?? {};
    const body = { principal: w.principal, identityPolicyAllows: w.identityPolicyAllows, action: w.action, context: w.context ?? {} };
    const expected = difference.direction === 'REPLICA_ONLY' ? { primary: 'DENY', replica: 'ALLOW' } : { primary: 'ALLOW', replica: 'DENY' };
    const replicaRequest = sideRequest(sides.replica, body);
    const problems = [...(replicaRequest.problems ?? []), ...(replicaRequest.caller ? await notARequest(body, sides.replica) : [])];
    const facts = await actionFacts(body.action ?? '');
    if (facts.exists && facts.keyless) problems.push(`${body.action} uses no key: a key policy cannot grant it`);
    if (problems.length > 0) {
      fail('witness-not-a-request', `${difference.direction} witness is not a request KMS can receive: ${problems.join('; ')}`, { witness: w, difference });
      continue;
    }
    const bodies = { replica: body, primary: moveBody(body, sides.replica.region, sides.primary.region) };
    const judged = await judgeBoth(policies, sides, bodies);
    if (judged.excluded) {
      tally.exclude(judged.excluded);
      continue;
    }
    tally.witnesses++;
    const { decisions } = judged;
    if (decisions.primary !== expected.primary || decisions.replica !== expected.replica) {
      fail('witness-wrong', `${difference.direction} witness: the oracle says primary ${decisions.primary}, replica ${decisions.replica}`, {
        difference,
        requests: { primary: shown(judged.requests.primary), replica: shown(judged.requests.replica) },
      });
    }
  }

  // (2) Sampled corresponding requests against the verdict.
  const rng = Rng.forItem(seed, pair.index, 'samples');
  const pools = await pairPools(pair.primary, pair.replica);
  let drawn = 0;
  let contradiction;
  for (let attempt = 0; drawn < samples && attempt < samples * 4; attempt++) {
    const bodies = await drawCorrespondingBodies(rng, pools, sides);
    const judged = await judgeBoth(policies, sides, bodies);
    if (judged.invalid || judged.keyless) continue;
    drawn++;
    if (judged.excluded) {
      tally.exclude(judged.excluded);
      continue;
    }
    tally.samples++;
    const only = contradicts(verdict, judged.decisions);
    if (only && contradiction === undefined) {
      contradiction = {
        only,
        requests: { primary: shown(judged.requests.primary), replica: shown(judged.requests.replica) },
        decisions: judged.decisions,
      };
    }
  }
  if (contradiction) {
    fail('sample-contradicts-verdict', `verdict ${verdict}, but this corresponding pair is allowed only on the ${contradiction.only}`, {
      requests: contradiction.requests,
      decisions: contradiction.decisions,
    });
  }
  return tally;
}
