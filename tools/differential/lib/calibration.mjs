// Before the oracle judges anything, it is checked on the rules of semantics-notes.md ("One key
// policy, one request") that this check relies on, and on its known limits, so that a different
// version of it cannot silently change what "agree" means.

import { OraclePolicy, decide } from './oracle.mjs';
import { ACCOUNT, keySide, sideRequest } from './requests.mjs';

const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-00000000000000000000000000000000`;
const REPLICA = KEY.replace('us-east-1', 'eu-west-1');
const SESSION = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const PARTNER = 'arn:aws:iam::444455556666:role/Partner';

const allow = (principal, extra = {}) => ({ Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', Resource: '*', ...extra });

/** [what, statements, caller, identityPolicyAllows, context, key, expected decision or limit] */
const CASES = [
  ['account grant needs an IAM policy', [allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` })], SESSION, false, {}, KEY, 'DENY'],
  ['account grant with an IAM policy', [allow({ AWS: ACCOUNT })], SESSION, true, {}, KEY, 'ALLOW'],
  ['a named role needs no IAM policy in its own account', [allow({ AWS: SESSION })], SESSION, false, {}, KEY, 'ALLOW'],
  ['"*" reaches the own account without IAM policy', [allow('*', { Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } })], SESSION, false, {}, KEY, 'ALLOW'],
  ['"*" cross-account needs an IAM policy', [allow('*')], PARTNER, false, {}, KEY, 'DENY'],
  ['"*" cross-account with an IAM policy', [allow('*')], PARTNER, true, {}, KEY, 'ALLOW'],
  ['a named cross-account role needs an IAM policy', [allow({ AWS: PARTNER })], PARTNER, false, {}, KEY, 'DENY'],
  ['another account grant with its IAM policy', [allow({ AWS: '444455556666' })], PARTNER, true, {}, KEY, 'ALLOW'],
  ['no grant for the own account: IAM alone is not enough', [allow({ AWS: '444455556666' })], SESSION, true, {}, KEY, 'DENY'],
  ['a service principal matches only itself', [allow({ Service: 'logs.us-east-1.amazonaws.com' })], 'logs.eu-west-1.amazonaws.com', false, {}, REPLICA, 'DENY'],
  ['{"Service": "*"} is not everyone', [allow({ Service: '*' })], 'logs.us-east-1.amazonaws.com', false, {}, KEY, 'DENY'],
  ['explicit deny wins', [allow('*'), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }], SESSION, true, {}, KEY, 'DENY'],
  ['Resource is the called key', [allow({ AWS: SESSION }, { Resource: `arn:aws:kms:us-*:${ACCOUNT}:key/*` })], SESSION, false, {}, REPLICA, 'DENY'],
  ['aws:RequestedRegion is the called key\'s Region', [allow({ AWS: SESSION }, { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } })], SESSION, false, {}, REPLICA, 'DENY'],
  ['kms:MultiRegionKeyType is the called key\'s type', [allow({ AWS: SESSION }, { Condition: { StringEquals: { 'kms:MultiRegionKeyType': 'PRIMARY' } } })], SESSION, false, {}, KEY, 'ALLOW'],
  ['a missing key fails a positive operator', [allow({ AWS: SESSION }, { Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } })], SESSION, false, {}, KEY, 'DENY'],
  ['encryption context keys are kept (renamed)', [allow({ Service: 'logs.us-east-1.amazonaws.com' }, { Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${ACCOUNT}:*` } } })],
    'logs.us-east-1.amazonaws.com', false, { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app` }, KEY, 'ALLOW'],
  ['encryption context key names are case-insensitive', [allow({ AWS: SESSION }, { Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } } })],
    SESSION, false, { 'kms:encryptioncontext:department': 'IT' }, KEY, 'ALLOW'],
  ['encryption context values are case-sensitive', [allow({ AWS: SESSION }, { Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } } })],
    SESSION, false, { 'kms:EncryptionContext:Department': 'it' }, KEY, 'DENY'],
  ['aws:PrincipalArn of a session is its role', [allow('*', { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/App*` } } })], SESSION, false, {}, KEY, 'ALLOW'],
  ['NotPrincipal naming the caller\'s account is excluded', [allow('*'), { Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`] }, Action: 'kms:*', Resource: '*' }],
    SESSION, false, {}, KEY, 'not-principal-account'],
  ['a key-less action is refused', [allow('*', { Action: 'kms:*' })], SESSION, true, {}, KEY, 'keyless', 'kms:CreateKey'],
];

/** Runs every case; returns the list of mismatches (empty when the oracle behaves as assumed). */
export async function calibrate() {
  const mismatches = [];
  for (const [what, statements, principal, identityPolicyAllows, context, key, expected, action = 'kms:Decrypt'] of CASES) {
    const side = keySide(key, key === KEY ? 'PRIMARY' : 'REPLICA', 'us-east-1');
    const request = sideRequest(side, { principal, identityPolicyAllows, action, context });
    const policy = new OraclePolicy({ Version: '2012-10-17', Statement: statements });
    const d = await decide(policy, side, request);
    const got = d.decision ?? d.excluded ?? (d.keyless ? 'keyless' : JSON.stringify(d));
    if (got !== expected) mismatches.push(`${what}: expected ${expected}, the oracle gives ${got}`);
  }
  return mismatches;
}

export const CALIBRATION_CASES = CASES.length;
