import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';

const MINIMAL = 'soc_channel: C0SOC\n';

function errorOf(text: string): string {
  try {
    parseConfig(text, 'picket.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return 'no error';
}

describe('picket.yml', () => {
  it('loads the documented example, every field of it', () => {
    const config = loadConfig('picket.example.yml');
    expect(config.tenants.map((t) => t.id)).toEqual(['acme', 'globex']);
    expect(config.tenants[0]?.accounts[0]?.remediation_role_arn).toBe('arn:aws:iam::111122223333:role/PicketRemediation');
    expect(config.tenants[0]?.response?.two_person).toEqual({ enabled: true, window_minutes: 30 });
  });

  it('fills defaults for a minimal file', () => {
    const config = parseConfig(MINIMAL, 'picket.yml');
    expect({ samples: config.samples, intake: config.intake, rules: config.rules }).toEqual({
      samples: 'post', intake: { path: '/intake/eventbridge', max_body_bytes: 1048576 }, rules: ['rules'],
    });
  });

  it.each([
    ['a bad account id', `${MINIMAL}tenants:\n  - id: acme\n    name: Acme\n    accounts:\n      - id: "12345"\n`, 'picket.yml: tenants[0].accounts[0].id: a 12-digit AWS account id'],
    ['a misspelt region', `${MINIMAL}tenants:\n  - id: acme\n    name: Acme\n    accounts:\n      - { id: "111122223333", regions: [us-east-1, eu-wst-1] }\n`, 'picket.yml: tenants[0].accounts[0].regions[1]: an AWS region such as us-east-1'],
    ['a bad channel id', 'soc_channel: general\n', 'picket.yml: soc_channel: a Slack channel id such as C0123ABCD'],
    ['an unknown key', `${MINIMAL}sampels: post\n`, 'picket.yml: (root): Unrecognized key: "sampels"'],
    ['a tenant id used twice', `${MINIMAL}tenants:\n  - { id: acme, name: A }\n  - { id: acme, name: B }\n`, 'picket.yml: tenants[1].id: a tenant id not already used by tenants[0]'],
    ['an account owned twice', `${MINIMAL}tenants:\n  - { id: a, name: A, accounts: [{ id: "111122223333" }] }\n  - { id: b, name: B, accounts: [{ id: "111122223333" }] }\n`, 'picket.yml: tenants[1].accounts[0].id: an account not already owned by tenant a'],
  ])('names the file, the field and what was expected for %s', (_what, text, message) => {
    expect(errorOf(text)).toBe(message);
  });
});

describe('rule ids the configuration names', () => {
  const tenantWith = (field: string, id: string) =>
    `soc_channel: C0SOC\ntenants:\n  - id: acme\n    name: Acme\n    ${field}: ["${id}"]\n`;

  it.each(['opt_in', 'dry_run'])('must exist: a typo in %s is an error at start', async (field) => {
    const { createTriageContext } = await import('../../src/pipeline/triage.js');
    const config = parseConfig(tenantWith(field, 'f2e70cfa-0000-0000-0000-000000000000'), 'picket.yml');
    await expect(createTriageContext(config, undefined, 'picket.yml')).rejects.toThrow(`picket.yml: tenants[0].${field}[0]: a rule id that exists (no rule f2e70cfa-0000-0000-0000-000000000000; see picket rules list)`);
  });

  it('accepts real rule ids and catalogue decisions', async () => {
    const { createTriageContext } = await import('../../src/pipeline/triage.js');
    const config = parseConfig(`soc_channel: C0SOC\ntenants:\n  - id: acme\n    name: Acme\n    dry_run: ["f2e70cfa-6fd5-40c8-88cf-f99dba9bf3b2", "guardduty:Recon:EC2/PortProbeUnprotectedPort"]\n`, 'picket.yml');
    await expect(createTriageContext(config)).resolves.toBeDefined();
  });
});

describe('error wording for the usual slips', () => {
  it.each([
    ['an unquoted account id', `soc_channel: C0SOC\ntenants:\n  - id: acme\n    name: Acme\n    accounts:\n      - id: 111122223333\n`, 'picket.yml: tenants[0].accounts[0].id: a 12-digit AWS account id in quotes, e.g. "111122223333"'],
    ['an empty file', '', 'picket.yml: soc_channel: required: a Slack channel id such as C0123ABCD'],
  ])('%s', (_what, text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('gives the YAML parser message and line for broken YAML', () => {
    expect(errorOf('soc_channel: C0SOC\ntenants:\n  - id: acme\n   name: Acme\n')).toMatch(/^picket\.yml: line \d+: valid YAML: \S/);
  });
});
