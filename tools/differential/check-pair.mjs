// Checks one hand-written pair the way run.mjs checks a generated one:
//   node tools/differential/check-pair.mjs PRIMARY.json REPLICA.json [REPLICA_REGION] [PRIMARY_ARN]
// (defaults: eu-west-1, arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab).
// Prints compare's answer, each witness with the oracle's decision on both keys, and the first
// sampled corresponding pair that contradicts the verdict. Exit code 1 on any failure.

import { readFileSync } from 'node:fs';
import { checkPair } from './lib/check.mjs';
import { compare, withScratchDir } from './lib/engine.mjs';

const [primaryFile, replicaFile, replicaRegion = 'eu-west-1', primaryArn = 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab'] =
  process.argv.slice(2);
if (!primaryFile || !replicaFile) {
  console.error('usage: check-pair.mjs PRIMARY.json REPLICA.json [REPLICA_REGION] [PRIMARY_ARN]');
  process.exit(2);
}
const pair = {
  index: 0,
  kind: 'given',
  what: '',
  primaryArn,
  replicaArn: primaryArn.replace(/^(arn:[^:]*:kms:)[^:]*/, `$1${replicaRegion}`),
  replicaRegion,
  primary: JSON.parse(readFileSync(primaryFile, 'utf8')),
  replica: JSON.parse(readFileSync(replicaFile, 'utf8')),
};
const samples = Number(process.env.DIFF_SAMPLES ?? 200);
const answer = await withScratchDir((dir) => compare(pair, dir));
console.log(`compare: exit ${answer.exitCode}, ${JSON.stringify(answer.json)}`);
const tally = await checkPair(pair, answer, { seed: Number(process.env.DIFF_SEED ?? 1), samples });
for (const f of tally.failures) {
  console.log(`[${f.class}] ${f.message}`);
  if (f.difference) console.log(`  difference: ${JSON.stringify(f.difference)}`);
  if (f.requests) {
    console.log(`  primary-side request: ${JSON.stringify(f.requests.primary)}`);
    console.log(`  replica-side request: ${JSON.stringify(f.requests.replica)}`);
  }
}
console.log(`${tally.witnesses} witnesses re-checked, ${tally.samples} samples, excluded ${JSON.stringify(tally.excluded)}: ${tally.failures.length === 0 ? 'agrees' : 'DISAGREES'}`);
process.exit(tally.failures.length === 0 ? 0 : 1);
