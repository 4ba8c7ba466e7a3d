// Requests to one key, built here from the semantics notes ("Only requests KMS can receive"):
// a body (caller, identityPolicyAllows, action, the context keys the caller chose) plus what KMS
// adds itself: the key's facts and the keys derived from the caller.

export const ACCOUNT = '111122223333';
export const SESSION_NAME = 'differential';

/** Keys whose value is a fact of the key called, never of the caller's choosing (lower case). */
export const KEY_FACT_KEYS = [
  'aws:requestedregion',
  'kms:multiregionkeytype',
  'kms:multiregion',
  'kms:primaryregion',
  'aws:securetransport',
];

/** Keys that follow from an IAM caller (lower case). */
export const IAM_DERIVED_KEYS = [
  'aws:principalarn',
  'aws:principalaccount',
  'kms:calleraccount',
  'aws:principaltype',
  'aws:username',
  'aws:principalisawsservice',
  'aws:principalservicename',
];

/** The facts of one key: its ARN, its Region, PRIMARY or REPLICA, and the primary's Region. */
export function keySide(keyArn, type, primaryRegion) {
  return { arn: keyArn, region: keyArn.split(':')[3], type, primaryRegion };
}

export function keyFactContext(side) {
  return {
    'aws:RequestedRegion': side.region,
    'kms:MultiRegionKeyType': side.type,
    'kms:MultiRegion': 'true',
    'kms:PrimaryRegion': side.primaryRegion,
    'aws:SecureTransport': 'true',
  };
}

const IAM = /^arn:aws:iam::(\d{12}):(root|role\/(?:[^/]+\/)*([^/]+)|user\/(?:[^/]+\/)*([^/]+))$/;
const STS = /^arn:aws:sts::(\d{12}):(?:assumed-role\/([^/]+)\/(.+)|federated-user\/(.+))$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

/**
 * The caller a principal text names, as KMS would see it: `{kind, oraclePrincipal, account,
 * principalArn, ...}`, or `{kind: 'invalid', reason}` for a text that no signed request has.
 * A role ARN stands for a session of that role (the `compare` contract).
 */
export function parseCaller(text) {
  if (text === 'anonymous' || text === '*') {
    return { kind: 'invalid', reason: 'anonymous callers do not exist for KMS (every request is signed)' };
  }
  let m = IAM.exec(text);
  if (m) {
    const [, account, resource, roleName, userName] = m;
    if (resource === 'root') {
      return { kind: 'root', account, oraclePrincipal: text, principalArn: text, principalType: 'Account' };
    }
    if (roleName !== undefined) {
      return {
        kind: 'role',
        account,
        oraclePrincipal: `arn:aws:sts::${account}:assumed-role/${roleName}/${SESSION_NAME}`,
        principalArn: text,
        principalType: 'AssumedRole',
      };
    }
    return { kind: 'user', account, oraclePrincipal: text, principalArn: text, principalType: 'User', userName };
  }
  m = STS.exec(text);
  if (m) {
    const [, account, roleName, , federated] = m;
    if (roleName !== undefined) {
      return {
        kind: 'role',
        account,
        oraclePrincipal: text,
        principalArn: `arn:aws:iam::${account}:role/${roleName}`,
        principalType: 'AssumedRole',
      };
    }
    return { kind: 'federated', account, oraclePrincipal: text, principalArn: text, principalType: 'FederatedUser', userName: federated };
  }
  if (SERVICE.test(text)) return { kind: 'service', oraclePrincipal: text, serviceName: text };
  return { kind: 'invalid', reason: `'${text}' is no principal KMS can receive a request from` };
}

/** The keys KMS derives from the caller. */
export function callerContext(caller) {
  if (caller.kind === 'service') {
    return { 'aws:PrincipalServiceName': caller.serviceName, 'aws:PrincipalIsAWSService': 'true' };
  }
  const context = {
    'aws:PrincipalArn': caller.principalArn,
    'aws:PrincipalAccount': caller.account,
    'kms:CallerAccount': caller.account,
    'aws:PrincipalType': caller.principalType,
    'aws:PrincipalIsAWSService': 'false',
  };
  if (caller.kind === 'user') context['aws:username'] = caller.userName;
  return context;
}

function lowerKeys(context) {
  return new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), [k, v]]));
}

function sameValue(a, b) {
  const x = [a].flat().map(String).sort();
  const y = [b].flat().map(String).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * The full request to `side` for `body`, or `{problems}` when the body's context contradicts what
 * KMS itself puts there for this key and caller (a witness must be the request evaluated).
 */
export function sideRequest(side, body) {
  const caller = parseCaller(body.principal);
  if (caller.kind === 'invalid') return { problems: [caller.reason] };
  const derived = { ...keyFactContext(side), ...callerContext(caller) };
  const derivedByLower = lowerKeys(derived);
  const problems = [];
  const factKeys =
    caller.kind === 'service'
      ? [...KEY_FACT_KEYS, 'aws:principalservicename', 'aws:principalisawsservice']
      : [...KEY_FACT_KEYS, ...IAM_DERIVED_KEYS];
  const context = { ...derived };
  for (const [key, value] of Object.entries(body.context ?? {})) {
    const lower = key.toLowerCase();
    const fixed = derivedByLower.get(lower);
    const fact = factKeys.includes(lower);
    if (fixed !== undefined && fact) {
      if (!sameValue(fixed[1], value)) {
        problems.push(`${key}=${JSON.stringify(value)} but KMS sets ${fixed[0]}=${JSON.stringify(fixed[1])} for this key and caller`);
      }
      continue;
    }
    if (fact) {
      // A derived key the caller does not have (aws:username for a role session, say).
      problems.push(`${key} is present but KMS does not set it for ${body.principal}`);
      continue;
    }
    context[key] = value;
  }
  const contextKeys = Object.keys(context)
    .filter((k) => k.toLowerCase().startsWith('kms:encryptioncontext:'))
    .map((k) => k.slice('kms:encryptioncontext:'.length));
  const listed = Object.keys(context).find((k) => k.toLowerCase() === 'kms:encryptioncontextkeys');
  if (listed === undefined && contextKeys.length > 0) {
    context['kms:EncryptionContextKeys'] = contextKeys;
  } else if (listed !== undefined && !sameValue(context[listed], contextKeys)) {
    problems.push(`kms:EncryptionContextKeys=${JSON.stringify(context[listed])} does not list the encryption context keys ${JSON.stringify(contextKeys)}`);
  }
  // The root user's own IAM permissions are implicit: it always "has" an identity policy.
  const identityPolicyAllows = caller.kind === 'root' ? true : Boolean(body.identityPolicyAllows);
  return { caller, principal: caller.oraclePrincipal, action: body.action, identityPolicyAllows, context, problems };
}
