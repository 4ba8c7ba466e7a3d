// Differential check of `compare` against an independent IAM evaluator.
//
// For seeded random primary/replica key-policy pairs, runs `compare --format json`, then, with
// @cloud-copilot/iam-simulate judging the primary's policy on the primary key and the replica's
// on the replica key: re-checks every witness, and checks the verdict over sampled pairs of
// corresponding requests. See README.md beside this file.
//
// Environment: DIFF_SEED (default 20261201), DIFF_PAIRS (200), DIFF_SAMPLES per pair (40),
// DIFF_JOBS parallel compare calls (2), DIFF_ONLY (comma-separated pair indices), DIFF_SHOW
// (failing pairs printed in full, all), DIFF_REPORT (file for a JSON report of every failure),
// DIFF_JAR (the rule-lambda jar), DIFF_JAVA (java).

import { writeFileSync } from 'node:fs';
import { CALIBRATION_CASES, calibrate } from './lib/calibration.mjs';
import { VERDICTS, checkPair } from './lib/check.mjs';
import { generatePair } from './lib/generate.mjs';
import { compare, withScratchDir } from './lib/engine.mjs';
import { LIMITS } from './lib/oracle.mjs';

function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`differential: ${name} must be a non-negative integer, not '${raw}'`);
    process.exit(2);
  }
  return n;
}

const seed = envInt('DIFF_SEED', 20261201);
const pairCount = envInt('DIFF_PAIRS', 200);
const samples = envInt('DIFF_SAMPLES', 40);
const jobs = Math.max(1, envInt('DIFF_JOBS', 2));
const show = envInt('DIFF_SHOW', Number.MAX_SAFE_INTEGER);
const only = (process.env.DIFF_ONLY ?? '')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map(Number);
const indices = only.length > 0 ? only : [...Array(pairCount).keys()];

async function pool(items, width, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

const compact = (x) => JSON.stringify(x);

function printFailure(pair, tally, full) {
  console.log(`\nFAIL pair #${pair.index} (seed ${seed}; ${pair.kind}${pair.what ? `: ${pair.what}` : ''}; replica in ${pair.replicaRegion}; compare says ${tally.verdict ?? '?'})`);
  for (const f of tally.failures) {
    console.log(`  [${f.class}] ${f.message}`);
    if (!full) continue;
    if (f.difference) console.log(`    difference: ${compact(f.difference)}`);
    if (f.requests) {
      console.log(`    primary-side request (${pair.primaryArn}): ${compact(f.requests.primary)}`);
      console.log(`    replica-side request (${pair.replicaArn}): ${compact(f.requests.replica)}`);
    }
  }
  if (full) {
    console.log(`  primary policy: ${compact(pair.primary)}`);
    console.log(`  replica policy: ${compact(pair.replica)}`);
  } else {
    console.log(`  (DIFF_SEED=${seed} DIFF_ONLY=${pair.index} shows it in full)`);
  }
}

async function main() {
  const mismatches = await calibrate();
  if (mismatches.length > 0) {
    console.log('differential: the oracle no longer behaves as this check assumes:');
    for (const m of mismatches) console.log(`  ${m}`);
    process.exit(1);
  }
  console.log(`differential: oracle calibrated on ${CALIBRATION_CASES} cases; seed ${seed}, ${indices.length} pairs, ${samples} samples each, ${jobs} parallel`);
  console.log('differential: oracle limits (adapted or excluded, never asserted):');
  for (const [name, { limit, handling }] of Object.entries(LIMITS)) console.log(`  ${name}: ${limit}; ${handling}`);

  const started = Date.now();
  // The JVMs stay busy while the oracle checks answers already in: a check is started, not
  // awaited, before the next compare.
  const results = await withScratchDir(async (dir) => {
    const checks = [];
    await pool(indices, jobs, async (index, i) => {
      const pair = generatePair(seed, index);
      const answer = await compare(pair, dir);
      checks[i] = checkPair(pair, answer, { seed, samples }).then((tally) => ({ pair, tally }));
    });
    return Promise.all(checks);
  });

  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, 0]));
  const excluded = {};
  const classes = {};
  let witnesses = 0;
  let sampleCount = 0;
  let failingPairs = 0;
  let disagreements = 0;
  for (const { pair, tally } of results) {
    if (tally.verdict in verdicts) verdicts[tally.verdict]++;
    witnesses += tally.witnesses;
    sampleCount += tally.samples;
    for (const [k, n] of Object.entries(tally.excluded)) excluded[k] = (excluded[k] ?? 0) + n;
    if (tally.failures.length > 0) {
      printFailure(pair, tally, failingPairs < show || only.length > 0);
      failingPairs++;
      disagreements += tally.failures.length;
      for (const f of tally.failures) {
        const key = `${f.class} (${pair.kind})`;
        classes[key] = (classes[key] ?? 0) + 1;
      }
    }
  }
  if (process.env.DIFF_REPORT) {
    const report = results
      .filter(({ tally }) => tally.failures.length > 0)
      .map(({ pair, tally }) => ({ pair, verdict: tally.verdict, failures: tally.failures }));
    writeFileSync(process.env.DIFF_REPORT, JSON.stringify({ seed, report }, null, 2));
  }
  const excludedTotal = Object.values(excluded).reduce((a, b) => a + b, 0);
  const verdictText = Object.entries(verdicts).map(([v, n]) => `${v} ${n}`).join(', ');
  const excludedText = Object.entries(excluded).map(([k, n]) => `${k} ${n}`).join(', ');
  if (failingPairs > 0) {
    console.log('\ndifferential: disagreements by class (failure, replica kind):');
    for (const [k, n] of Object.entries(classes).sort((a, b) => b[1] - a[1])) console.log(`  ${n} ${k}`);
  }
  console.log(
    `\ndifferential: ${results.length} pairs (verdicts: ${verdictText}), ${disagreements} disagreements in ${failingPairs} pairs, ` +
      `${witnesses} witnesses re-checked, ${sampleCount} samples, ${excludedTotal} excluded (oracle limits${excludedText ? `: ${excludedText}` : ''}); ` +
      `seed ${seed}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(`differential: ${results.length - failingPairs} passed, ${failingPairs} failed`);
  process.exit(failingPairs > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(`differential: crashed: ${e.stack ?? e}`);
  process.exit(2);
});
