import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { loadCatalogue, type CatalogueEntry } from '../../src/detect/catalogue.js';

const catalogue = loadCatalogue();
const types = [...catalogue.entries.values()].filter((e) => !e.family);
const families = [...catalogue.entries.values()].filter((e) => e.family);
const CORPUS_TSV = join(process.cwd(), '../shared/corpus/guardduty_finding_types.tsv');

/** Weakening the password policy is Stealth by name but not blinding: it is a DUET on purpose. */
function isBlinding(entry: CatalogueEntry): boolean {
  if (entry.type === 'Stealth:IAMUser/PasswordPolicyChange') return false;
  if (/^(Stealth|DefenseEvasion|DefenseImpairment):/.test(entry.type)) return true;
  return /Logging(Disabled|ConfigurationModified)|DisableOrModifyTools/.test(entry.type);
}

describe('finding-type catalogue invariants', () => {
  it('holds the whole reference list and a family for every threat purpose', () => {
    expect(types.length).toBe(245);
    expect(families.map((f) => f.type)).toContain('Policy:S3/');
    expect(families.length).toBe(27);
  });

  it('gives every entry a route, a level, a fallback band and an ATT&CK tactic', () => {
    const offenders = [...catalogue.entries.values()]
      .filter((e) => !e.route || !e.level || !e.fallbackLevel || !/^[a-z]+(-[a-z]+)*$/.test(e.tactic))
      .map((e) => e.type);
    expect(offenders).toEqual([]);
  });

  it('says why for every entry that is not routed to the SOC', () => {
    const offenders = [...catalogue.entries.values()]
      .filter((e) => e.route !== 'soc' && !e.why?.trim())
      .map((e) => e.type);
    expect(offenders).toEqual([]);
  });

  it('never routes an attempt to blind GuardDuty or logging anywhere but the SOC', () => {
    const blinding = [...catalogue.entries.values()].filter(isBlinding);
    const offenders = blinding.filter((e) => e.route !== 'soc').map((e) => `${e.type} -> ${e.route}`);
    expect(offenders).toEqual([]);
    expect(blinding.length).toBeGreaterThan(20);
  });

  it('routes the policy-risk types to a DUET', () => {
    const duets = [
      'Policy:IAMUser/RootCredentialUsage',
      'Policy:IAMUser/ShortTermRootCredentialUsage',
      'Policy:IAMUser/S3BlockPublicAccessDisabled',
      'Policy:S3/BucketBlockPublicAccessDisabled',
      'Policy:S3/BucketAnonymousAccessGranted',
      'Policy:S3/BucketPublicAccessGranted',
      'Policy:S3/AccountBlockPublicAccessDisabled',
      'Policy:Kubernetes/AdminAccessToDefaultServiceAccount',
      'Policy:Kubernetes/AnonymousAccessGranted',
      'Policy:Kubernetes/ExposedDashboard',
      'Policy:Kubernetes/KubeflowDashboardExposed',
      'Stealth:IAMUser/PasswordPolicyChange',
    ];
    const offenders = duets.filter((t) => catalogue.entries.get(t)?.route !== 'duet');
    expect(offenders).toEqual([]);
  });

  it('keeps the named blinding types on the SOC route', () => {
    for (const t of ['Stealth:IAMUser/CloudTrailLoggingDisabled', 'Stealth:S3/ServerAccessLoggingDisabled']) {
      expect(catalogue.lookup(t)?.route).toBe('soc');
    }
  });

  it.skipIf(!existsSync(CORPUS_TSV))('contains every type of the corpus reference list, by exact name', () => {
    const names = readFileSync(CORPUS_TSV, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[0]?.trim() ?? '')
      .filter((name) => name.length > 0);
    const missing = names.filter((n) => {
      const entry = catalogue.entries.get(n);
      return !entry || entry.family === true;
    });
    expect(missing).toEqual([]);
    expect(names.length).toBe(244);
  });
});

describe('catalogue lookup', () => {
  it('answers an exact type with its own entry', () => {
    const entry = catalogue.lookup('Execution:EC2/MaliciousFile');
    expect(entry).toMatchObject({ route: 'soc', level: 'variable', fallbackLevel: 'High', tactic: 'execution' });
    expect(entry?.family).toBeUndefined();
  });

  it('marks retired types as retired', () => {
    expect(catalogue.lookup('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration')?.status).toBe('retired');
    expect(catalogue.lookup('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS')?.status).toBe(
      'active',
    );
  });

  it('falls back to the longest family prefix for an unknown type of a known family', () => {
    expect(catalogue.lookup('Policy:S3/BucketSomethingNew')?.type).toBe('Policy:S3/');
    expect(catalogue.lookup('Policy:S3/BucketSomethingNew')?.route).toBe('duet');
    expect(catalogue.lookup('Policy:Lambda/FunctionUrlPublic')?.type).toBe('Policy:');
    expect(catalogue.lookup('Stealth:EKS/AuditLogsDisabled')).toMatchObject({ type: 'Stealth:', route: 'soc' });
    expect(catalogue.lookup('Backdoor:ECS/C&CActivity.Z')).toMatchObject({ route: 'soc', fallbackLevel: 'High' });
  });

  it('knows nothing of a wholly unknown type, so the caller sends it to the SOC', () => {
    expect(catalogue.lookup('Weird:Thing/Unheard')).toBeUndefined();
    expect(catalogue.lookup('')).toBeUndefined();
    expect(catalogue.lookup('policy:s3/BucketPublicAccessGranted')).toBeUndefined();
  });
});

describe('catalogue validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-catalogue-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, body: string): string {
    const file = join(dir, name);
    writeFileSync(file, body);
    return file;
  }

  function errorOf(file: string): ConfigError {
    try {
      loadCatalogue(file);
    } catch (err: unknown) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error('expected a ConfigError');
  }

  const head = 'version: 1\nfamilies: {}\ntypes:\n';

  it('names the file and the field of a DUET without a why', () => {
    const file = write('no-why.yml', `${head}  "Policy:S3/X": { route: duet, level: Low, tactic: impact, status: active }\n`);
    const err = errorOf(file);
    expect(err.file).toBe(file);
    expect(err.field).toBe('types["Policy:S3/X"].why');
    expect(err.message).toContain('required when route is duet');
  });

  it('requires a fallback band for a variable level', () => {
    const body = `${head}  "Execution:EC2/X": { route: soc, level: variable, tactic: execution, status: active }\n`;
    expect(errorOf(write('no-fallback.yml', body)).field).toBe('types["Execution:EC2/X"].fallback');
  });

  it('rejects a tactic that is not an ATT&CK tactic', () => {
    const body = `${head}  "Execution:EC2/X": { route: soc, level: High, tactic: mischief, status: active }\n`;
    expect(errorOf(write('bad-tactic.yml', body)).field).toBe('types["Execution:EC2/X"].tactic');
  });

  it('rejects unknown keys, so a typo does not silently drop a decision', () => {
    const body = `${head}  "Execution:EC2/X": { route: soc, level: High, tactic: execution, status: active, rout: duet }\n`;
    expect(errorOf(write('typo.yml', body)).field).toBe('types["Execution:EC2/X"]');
  });

  it('reports unreadable and malformed files by name', () => {
    expect(errorOf(join(dir, 'absent.yml')).message).toContain('cannot be read');
    expect(errorOf(write('broken.yml', 'types: [unclosed\n')).message).toContain('is not valid YAML');
  });

  it('loads a minimal valid file', () => {
    const body = `${head}  "Execution:EC2/X": { route: suppress, level: Low, tactic: execution, status: retired, why: old }\n`;
    const small = loadCatalogue(write('ok.yml', body));
    expect(small.lookup('Execution:EC2/X')).toEqual({
      type: 'Execution:EC2/X',
      route: 'suppress',
      level: 'Low',
      fallbackLevel: 'Low',
      tactic: 'execution',
      status: 'retired',
      why: 'old',
    });
  });
});
