import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moveBody, moveValue, regionOf } from '../lib/regions.mjs';

const P = 'us-east-1';
const R = 'eu-west-1';

test('moveValue_keyArn_movesRegionField', () => {
  assert.equal(moveValue('arn:aws:kms:us-east-1:111122223333:key/mrk-1', P, R), 'arn:aws:kms:eu-west-1:111122223333:key/mrk-1');
});

test('moveValue_valueNamingTheOtherRegion_swaps', () => {
  assert.equal(moveValue('arn:aws:logs:eu-west-1:111122223333:log-group:/a', P, R), 'arn:aws:logs:us-east-1:111122223333:log-group:/a');
});

test('moveValue_thirdRegion_unchanged', () => {
  assert.equal(moveValue('arn:aws:logs:sa-east-1:111122223333:log-group:/a', P, R), 'arn:aws:logs:sa-east-1:111122223333:log-group:/a');
  assert.equal(moveValue('ec2.sa-east-1.amazonaws.com', P, R), 'ec2.sa-east-1.amazonaws.com');
});

test('moveValue_regionalServiceNames_move', () => {
  assert.equal(moveValue('ec2.us-east-1.amazonaws.com', P, R), 'ec2.eu-west-1.amazonaws.com');
  assert.equal(moveValue('logs.us-east-1.amazonaws.com', P, R), 'logs.eu-west-1.amazonaws.com');
});

test('moveValue_noRegion_unchanged', () => {
  for (const v of ['arn:aws:s3:::orders-data', 'cloudtrail.amazonaws.com', '111122223333', 'us-east-1', 'PRIMARY']) {
    assert.equal(moveValue(v, P, R), v);
  }
});

test('moveValue_twice_isIdentity', () => {
  const v = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main';
  assert.equal(moveValue(moveValue(v, P, R), P, R), v);
});

test('moveBody_movesPrincipalAndEveryContextValue', () => {
  const body = {
    principal: 'logs.us-east-1.amazonaws.com',
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111122223333:log-group:/a', 'kms:EncryptionContextKeys': ['aws:logs:arn'] },
  };
  assert.deepEqual(moveBody(body, P, R), {
    principal: 'logs.eu-west-1.amazonaws.com',
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111122223333:log-group:/a', 'kms:EncryptionContextKeys': ['aws:logs:arn'] },
  });
});

test('regionOf_readsArnsAndServiceNames', () => {
  assert.equal(regionOf('s3.eu-west-1.amazonaws.com'), 'eu-west-1');
  assert.equal(regionOf('arn:aws:s3:::b'), undefined);
});
