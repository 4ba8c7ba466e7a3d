import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keySide, parseCaller, sideRequest } from '../lib/requests.mjs';

const replica = keySide('arn:aws:kms:eu-west-1:111122223333:key/mrk-1', 'REPLICA', 'us-east-1');

test('parseCaller_roleArn_standsForASession', () => {
  const c = parseCaller('arn:aws:iam::111122223333:role/team/AppRole');
  assert.equal(c.oraclePrincipal, 'arn:aws:sts::111122223333:assumed-role/AppRole/differential');
  assert.equal(c.principalArn, 'arn:aws:iam::111122223333:role/team/AppRole');
});

test('parseCaller_anonymous_isNoCaller', () => {
  assert.equal(parseCaller('anonymous').kind, 'invalid');
});

test('sideRequest_addsKeyFactsAndCallerKeys', () => {
  const r = sideRequest(replica, { principal: 'arn:aws:iam::444455556666:role/Partner', identityPolicyAllows: true, action: 'kms:Decrypt', context: {} });
  assert.deepEqual(r.problems, []);
  assert.equal(r.context['aws:RequestedRegion'], 'eu-west-1');
  assert.equal(r.context['kms:MultiRegionKeyType'], 'REPLICA');
  assert.equal(r.context['kms:PrimaryRegion'], 'us-east-1');
  assert.equal(r.context['kms:CallerAccount'], '444455556666');
  assert.equal(r.context['aws:PrincipalArn'], 'arn:aws:iam::444455556666:role/Partner');
});

test('sideRequest_contextContradictingTheKey_isAProblem', () => {
  const r = sideRequest(replica, { principal: 'arn:aws:iam::111122223333:role/A', action: 'kms:Decrypt', context: { 'kms:MultiRegionKeyType': 'PRIMARY' } });
  assert.equal(r.problems.length, 1);
});

test('sideRequest_contextContradictingTheCaller_isAProblem', () => {
  const r = sideRequest(replica, { principal: 'arn:aws:iam::111122223333:role/A', action: 'kms:Decrypt', context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223330:role/A' } });
  assert.equal(r.problems.length, 1);
});

test('sideRequest_encryptionContext_listsItsKeys', () => {
  const r = sideRequest(replica, { principal: 'logs.eu-west-1.amazonaws.com', action: 'kms:Decrypt', context: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111122223333:log-group:/a' } });
  assert.deepEqual(r.context['kms:EncryptionContextKeys'], ['aws:logs:arn']);
  assert.equal(r.context['aws:PrincipalServiceName'], 'logs.eu-west-1.amazonaws.com');
});

test('sideRequest_rootUser_hasItsIamPermission', () => {
  const r = sideRequest(replica, { principal: 'arn:aws:iam::111122223333:root', identityPolicyAllows: false, action: 'kms:Decrypt', context: {} });
  assert.equal(r.identityPolicyAllows, true);
});
