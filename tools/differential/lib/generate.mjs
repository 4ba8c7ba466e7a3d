// Seeded primary/replica key-policy pairs shaped like real ones: the console's default statements,
// cross-account use, service principals (Regional and global), Region fences, key-type conditions,
// kms:ViaService, encryption-context ARNs that name a Region, Resource patterns over Regions.
// The replica is a verbatim copy, a copy rewritten for its Region, a copy with one change, or the
// KMS default key policy.

import { Rng } from './rng.mjs';
import { ACCOUNT } from './requests.mjs';

export const PRIMARY_REGION = 'us-east-1';
export const REPLICA_REGIONS = ['eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1'];
export const THIRD_REGIONS = ['us-west-1', 'sa-east-1'];
export const OTHER_ACCOUNTS = ['444455556666', '999988887777'];

const root = (account = ACCOUNT) => `arn:aws:iam::${account}:root`;
const role = (name, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;

const ADMIN_ACTIONS = [
  'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:ReplicateKey', 'kms:UpdatePrimaryRegion',
];
const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const OTHER_ACTIONS = [
  'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey',
  'kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:*', 'kms:Create*',
  'kms:Get*', 'kms:Describe*', 'kms:GenerateDataKey*', 'kms:UpdatePrimaryRegion', 'kms:ReplicateKey',
];
const APP_ROLES = ['AppRole', 'OrdersService', 'service-role/LambdaExecution', 'BatchWorker'];
const ADMIN_ROLES = ['KeyAdmin', 'Admin', 'platform/KeyAdmin'];
const VIA_SERVICES = ['ec2', 'rds', 's3', 'secretsmanager', 'dynamodb', 'lambda'];

/** The default key policy KMS gives a key created (or replicated) without a policy. */
export function defaultKeyPolicy() {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' },
    ],
  };
}

/** Statement makers, each in the primary's terms (`r` is the primary's Region). */
const STATEMENTS = {
  admins(rng, k) {
    return {
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: rng.some(ADMIN_ROLES, 1 + rng.int(2)).map((n) => role(n)) },
      Action: rng.chance(0.3) ? 'kms:*' : ADMIN_ACTIONS,
      Resource: '*',
    };
  },
  use(rng, k) {
    return {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: rng.some(APP_ROLES, 1 + rng.int(2)).map((n) => role(n)) },
      Action: rng.some(USE_ACTIONS, 2 + rng.int(4)),
      Resource: rng.chance(0.2) ? k.arn : '*',
    };
  },
  grants(rng, k) {
    return {
      Sid: 'Allow attachment of persistent resources',
      Effect: 'Allow',
      Principal: { AWS: role(rng.pick(APP_ROLES)) },
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    };
  },
  crossAccount(rng, k) {
    const account = rng.pick(OTHER_ACCOUNTS);
    const principal = rng.weighted([[2, account], [2, root(account)], [2, role('Partner', account)]]);
    const s = {
      Sid: 'Allow partner account',
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: rng.some(['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Encrypt'], 1 + rng.int(3)),
      Resource: '*',
    };
    if (rng.chance(0.3)) s.Condition = { StringEquals: { 'kms:ViaService': `s3.${k.region}.amazonaws.com` } };
    return s;
  },
  callerAccountViaService(rng, k) {
    const via = rng.weighted([
      [3, rng.some(VIA_SERVICES, 1 + rng.int(2)).map((s) => `${s}.${k.region}.amazonaws.com`)],
      [1, `${rng.pick(VIA_SERVICES)}.${rng.pick(THIRD_REGIONS)}.amazonaws.com`],
    ]);
    const like = rng.chance(0.25);
    return {
      Sid: 'Allow use through AWS services',
      Effect: 'Allow',
      Principal: rng.chance(0.5) ? { AWS: '*' } : '*',
      Action: rng.some(USE_ACTIONS, 2 + rng.int(3)),
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': ACCOUNT, ...(like ? {} : { 'kms:ViaService': via }) },
        ...(like ? { StringLike: { 'kms:ViaService': rng.pick([`*.${k.region}.amazonaws.com`, 'ec2.*.amazonaws.com']) } } : {}),
      },
    };
  },
  regionFence(rng, k) {
    const value = rng.weighted([
      [3, ['StringEquals', k.region]],
      [1, ['StringEquals', [k.region, 'us-west-2']]],
      [1, ['StringLike', 'us-*']],
    ]);
    return {
      Sid: 'Use only in the home Region',
      Effect: 'Allow',
      Principal: rng.chance(0.5) ? { AWS: role(rng.pick(APP_ROLES)) } : '*',
      Action: rng.some(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], 1 + rng.int(3)),
      Resource: '*',
      Condition:
        value[0] === 'StringEquals'
          ? { StringEquals: { 'aws:RequestedRegion': value[1], 'kms:CallerAccount': ACCOUNT } }
          : { StringLike: { 'aws:RequestedRegion': value[1] }, StringEquals: { 'kms:CallerAccount': ACCOUNT } },
    };
  },
  denyOutsideRegion(rng, k) {
    return {
      Sid: 'Deny outside approved Regions',
      Effect: 'Deny',
      Principal: '*',
      Action: rng.pick(['kms:*', 'kms:Decrypt', ['kms:Encrypt', 'kms:GenerateDataKey*']]),
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': rng.chance(0.5) ? k.region : [k.region, rng.pick(REPLICA_REGIONS)] } },
    };
  },
  keyType(rng, k) {
    const type = rng.pick(['PRIMARY', 'REPLICA']);
    return rng.weighted([
      [2, {
        Sid: `Allow ${type.toLowerCase()} administration`,
        Effect: 'Allow',
        Principal: { AWS: role(rng.pick(ADMIN_ROLES)) },
        Action: rng.pick([['kms:UpdatePrimaryRegion', 'kms:ReplicateKey'], 'kms:ScheduleKeyDeletion', 'kms:Decrypt']),
        Resource: '*',
        Condition: { StringEquals: { 'kms:MultiRegionKeyType': type } },
      }],
      [2, {
        Sid: 'Protect the primary',
        Effect: 'Deny',
        Principal: '*',
        Action: ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:MultiRegionKeyType': type } },
      }],
      [1, {
        Sid: 'Multi-Region use',
        Effect: 'Allow',
        Principal: { AWS: role(rng.pick(APP_ROLES)) },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { Bool: { 'kms:MultiRegion': 'true' }, StringLike: { 'kms:MultiRegionKeyType': rng.pick(['PRIM*', '*', 'REPLICA']) } },
      }],
    ]);
  },
  logs(rng, k) {
    const region = rng.weighted([[4, k.region], [1, rng.pick(THIRD_REGIONS)]]);
    return {
      Sid: 'Allow CloudWatch Logs',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': rng.pick([
            `arn:aws:logs:${region}:${ACCOUNT}:*`,
            `arn:aws:logs:${region}:${ACCOUNT}:log-group:/app/*`,
            `arn:aws:logs:*:${ACCOUNT}:*`,
          ]),
        },
      },
    };
  },
  cloudTrail(rng, k) {
    return {
      Sid: 'Allow CloudTrail to encrypt logs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
        StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:${k.region}:${ACCOUNT}:trail/${rng.pick(['main', 'org'])}` },
      },
    };
  },
  principalArn(rng, k) {
    return {
      Sid: 'Allow application roles',
      Effect: 'Allow',
      Principal: '*',
      Action: rng.some(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'], 1 + rng.int(2)),
      Resource: '*',
      Condition: {
        ArnLike: { 'aws:PrincipalArn': rng.pick([role('App*'), role('*Service'), `arn:aws:iam::*:role/Partner`]) },
      },
    };
  },
  regionResource(rng, k) {
    return {
      Sid: 'Allow by key ARN',
      Effect: 'Allow',
      Principal: { AWS: role(rng.pick([...APP_ROLES, ...ADMIN_ROLES])) },
      Action: rng.some(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GetKeyPolicy'], 1 + rng.int(2)),
      Resource: rng.pick([
        k.arn,
        `arn:aws:kms:us-*:${ACCOUNT}:key/*`,
        `arn:aws:kms:*:${ACCOUNT}:key/${k.keyId}`,
        `arn:aws:kms:${k.region}:${ACCOUNT}:key/*`,
      ]),
    };
  },
  encryptionContextVia(rng, k) {
    return {
      Sid: 'Allow S3 bucket encryption',
      Effect: 'Allow',
      Principal: { AWS: role(rng.pick(APP_ROLES)) },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:ViaService': `s3.${k.region}.amazonaws.com`,
          'kms:EncryptionContext:aws:s3:arn': rng.pick(['arn:aws:s3:::orders-data', 'arn:aws:s3:::orders-data/reports']),
        },
      },
    };
  },
  notPrincipalDeny(rng, k) {
    return {
      Sid: 'Only the key administrator may delete',
      Effect: 'Deny',
      NotPrincipal: { AWS: [root(), role('KeyAdmin')] },
      Action: ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'],
      Resource: '*',
    };
  },
};

const STATEMENT_WEIGHTS = [
  [3, 'admins'], [4, 'use'], [2, 'grants'], [3, 'crossAccount'], [3, 'callerAccountViaService'],
  [3, 'regionFence'], [2, 'denyOutsideRegion'], [3, 'keyType'], [3, 'logs'], [1, 'cloudTrail'],
  [2, 'principalArn'], [3, 'regionResource'], [2, 'encryptionContextVia'], [1, 'notPrincipalDeny'],
];

function primaryPolicy(rng, k) {
  const statements = [];
  if (rng.chance(0.8)) statements.push(defaultKeyPolicy().Statement[0]);
  const names = new Set();
  const count = 1 + rng.int(4);
  while (names.size < count) names.add(rng.weighted(STATEMENT_WEIGHTS));
  for (const name of names) statements.push(STATEMENTS[name](rng, k));
  return { Version: '2012-10-17', Id: 'key-consolepolicy-3', Statement: statements };
}

/**
 * The primary's policy rewritten for the replica's Region as a person would: every ARN Region
 * field, Regional service name and aws:RequestedRegion value naming the primary's Region now names
 * the replica's. Patterns (`us-*`) and key types are left as they are.
 */
export function rewriteForRegion(policy, from, to) {
  const text = (s) =>
    s
      .replace(new RegExp(`^(arn:[^:]*:[^:]*:)${from}(:)`), `$1${to}$2`)
      .replace(new RegExp(`^([A-Za-z0-9*?-]+\\.)${from}(\\.amazonaws\\.com(?:\\.cn)?)$`), `$1${to}$2`)
      .replace(new RegExp(`^${from}$`), to);
  const walk = (x) => {
    if (typeof x === 'string') return text(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([key, v]) => [key, walk(v)]));
    return x;
  };
  return walk(policy);
}

const clone = (x) => JSON.parse(JSON.stringify(x));
const asList = (x) => [x].flat();

/** One change to a copy: `{policy, what}`. */
function mutate(rng, policy, k) {
  const p = clone(policy);
  const statements = p.Statement;
  const choices = ['addPrincipal', 'changeAction', 'changeCondition'];
  if (statements.length > 1) choices.push('dropStatement');
  const allows = statements.filter((s) => s.Effect === 'Allow' && s.Principal !== undefined);
  const conditioned = statements.filter((s) => s.Condition !== undefined);
  let kind = rng.pick(choices);
  if (kind === 'changeCondition' && conditioned.length === 0) kind = 'changeAction';
  if (kind === 'addPrincipal' && allows.length === 0) kind = 'changeAction';
  switch (kind) {
    case 'dropStatement': {
      const i = rng.int(statements.length);
      const [gone] = statements.splice(i, 1);
      return { policy: p, what: `dropped statement '${gone.Sid ?? i}'` };
    }
    case 'addPrincipal': {
      const s = rng.pick(allows);
      const added = rng.pick([role('AuditRole'), root(rng.pick(OTHER_ACCOUNTS)), role('Partner', rng.pick(OTHER_ACCOUNTS)), '*']);
      if (added === '*') s.Principal = '*';
      else if (s.Principal === '*') s.Principal = { AWS: added };
      else s.Principal = { ...s.Principal, AWS: [...asList(s.Principal.AWS ?? []), added] };
      return { policy: p, what: `added principal ${added} to '${s.Sid}'` };
    }
    case 'changeAction': {
      const s = rng.pick(statements);
      const actions = asList(s.Action ?? []);
      const replacement = rng.pick(OTHER_ACTIONS);
      if (actions.length > 0) actions[rng.int(actions.length)] = replacement;
      else actions.push(replacement);
      s.Action = actions.length === 1 ? actions[0] : actions;
      return { policy: p, what: `action changed to ${replacement} in '${s.Sid}'` };
    }
    default: {
      const s = rng.pick(conditioned);
      const operator = rng.pick(Object.keys(s.Condition));
      const key = rng.pick(Object.keys(s.Condition[operator]));
      const old = asList(s.Condition[operator][key]);
      const region = rng.pick([...THIRD_REGIONS, PRIMARY_REGION, k.replicaRegion]);
      const changed = old.map((v) => {
        const value = String(v);
        if (value === 'PRIMARY') return 'REPLICA';
        if (value === 'REPLICA') return 'PRIMARY';
        if (/^\d{12}$/.test(value)) return rng.pick(OTHER_ACCOUNTS);
        if (/[a-z]{2}-[a-z]+-\d/.test(value)) return value.replace(/[a-z]{2}-[a-z]+-\d/, region);
        if (value === 'true') return 'false';
        if (value.includes('*')) return value.replace('*', 'x*');
        return `${value}x`;
      });
      s.Condition[operator][key] = changed.length === 1 ? changed[0] : changed;
      return { policy: p, what: `${operator} ${key} changed to ${JSON.stringify(changed)} in '${s.Sid}'` };
    }
  }
}

/**
 * Pair `index` of run `seed`: `{index, kind, what, primaryArn, replicaArn, replicaRegion, primary,
 * replica}`.
 */
export function generatePair(seed, index) {
  const rng = Rng.forItem(seed, index, 'pair');
  const keyId = `mrk-${rng.hex(32)}`;
  const replicaRegion = rng.pick(REPLICA_REGIONS);
  const primaryArn = `arn:aws:kms:${PRIMARY_REGION}:${ACCOUNT}:key/${keyId}`;
  const replicaArn = `arn:aws:kms:${replicaRegion}:${ACCOUNT}:key/${keyId}`;
  const k = { arn: primaryArn, region: PRIMARY_REGION, keyId, replicaRegion };
  const primary = primaryPolicy(rng, k);
  const kind = rng.weighted([[25, 'verbatim'], [30, 'rewritten'], [35, 'mutated'], [10, 'default']]);
  let replica;
  let what = '';
  switch (kind) {
    case 'verbatim':
      replica = clone(primary);
      break;
    case 'rewritten':
      replica = rewriteForRegion(primary, PRIMARY_REGION, replicaRegion);
      break;
    case 'mutated': {
      const base = rng.chance(0.5) ? clone(primary) : rewriteForRegion(primary, PRIMARY_REGION, replicaRegion);
      ({ policy: replica, what } = mutate(rng, base, { ...k, replicaRegion }));
      break;
    }
    default:
      replica = defaultKeyPolicy();
  }
  return { index, kind, what, keyId, primaryArn, replicaArn, replicaRegion, primary, replica };
}
