/**
 * The protect list as responders write it: names in any case, user, role and assumed-role ARNs, key ids.
 * An assumed-role ARN protects its role (not a principal named after its session).
 */
import { describe, expect, it } from 'vitest';
import { arnNames, isProtected, type PrincipalRef } from '../../src/respond/remediation/protect.js';
import { responseSettings } from './harness.js';

const A = '210987654321';
const cases: [string, string[], PrincipalRef, boolean][] = [
  ['a user name in another case', ['Build-Bot'], { userName: 'build-bot', keyId: 'AKIAZZTESTRESPOND001' }, true],
  ['a user ARN with a path, other case', [`arn:aws:iam::${A}:user/ci/BUILD-BOT`], { userName: 'build-bot' }, true],
  ['a role name', ['deploy-runner'], { roleName: 'Deploy-Runner' }, true],
  ['an assumed-role ARN protects its role', [`arn:aws:sts::${A}:assumed-role/deploy-runner/ci-4411`], { roleName: 'deploy-runner' }, true],
  ['an assumed-role ARN protects other sessions of the role', [`arn:aws:sts::${A}:assumed-role/deploy-runner/ci-4411`], { arn: `arn:aws:sts::${A}:assumed-role/deploy-runner/other-session` }, true],
  ['an assumed-role ARN does not protect a user named like the session', [`arn:aws:sts::${A}:assumed-role/deploy-runner/ci-4411`], { userName: 'ci-4411' }, false],
  ['a role ARN with a path', [`arn:aws:iam::${A}:role/service-role/Deployer`], { roleName: 'deployer' }, true],
  ['a key id, lower-cased on the list', ['akiazztestrespond001'], { userName: 'someone', keyId: 'AKIAZZTESTRESPOND001' }, true],
  ['an unrelated principal', ['build-bot', `arn:aws:iam::${A}:role/admin`], { userName: 'dana', keyId: 'AKIAZZTESTRESPOND009' }, false],
  ['an empty list', [], { userName: 'build-bot' }, false],
];

describe('protect list', () => {
  it.each(cases)('%s', (_name, protect, principal, expected) => {
    expect(isProtected(responseSettings({ protect }), principal)).toBe(expected);
  });

  it('reads the name an ARN stands for', () => {
    expect([
      arnNames(`arn:aws:iam::${A}:user/alice`),
      arnNames(`arn:aws-us-gov:iam::${A}:user/path/to/bob`),
      arnNames(`arn:aws:sts::${A}:assumed-role/deploy-runner/ci-4411`),
      arnNames(`arn:aws:iam::${A}:group/admins`),
      arnNames('not-an-arn'),
    ]).toEqual([['alice'], ['bob'], ['deploy-runner'], [], []]);
  });
});
