// Runs the product's `compare` on one pair, as a user would: one JVM per call, JSON output.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const jar = resolve(repo, process.env.DIFF_JAR ?? 'rule-lambda/target/rule-lambda.jar');
const java = process.env.DIFF_JAVA ?? 'java';

/** Runs `work(dir)` with a fresh scratch directory, removed afterwards. */
export async function withScratchDir(work) {
  const dir = mkdtempSync(join(tmpdir(), 'mrk-differential-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `compare --format json` on `pair`; resolves to {exitCode, json, stderr}. */
export function compare(pair, dir) {
  const primaryFile = join(dir, `${pair.index}-primary.json`);
  const replicaFile = join(dir, `${pair.index}-replica.json`);
  writeFileSync(primaryFile, JSON.stringify(pair.primary, null, 2));
  writeFileSync(replicaFile, JSON.stringify(pair.replica, null, 2));
  // C1 only and the serial collector: a short-lived JVM starts faster, the answer is the same.
  const args = [
    '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', jar, 'compare',
    '--primary', primaryFile, '--replica', replicaFile,
    '--primary-arn', pair.primaryArn, '--replica-region', pair.replicaRegion, '--format', 'json',
  ];
  return new Promise((done) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => done({ exitCode: -1, stderr: String(e) }));
    child.on('close', (exitCode) => {
      let json;
      try {
        json = JSON.parse(stdout);
      } catch {
        stderr = `${stderr}\nstdout was not JSON: ${stdout.slice(0, 300)}`;
      }
      done({ exitCode, json, stderr });
    });
  });
}
