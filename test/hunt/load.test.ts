import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileHunt, compileHuntText, loadHunts } from '../../src/hunt/load.js';
import { RuleLoadFailure } from '../../src/detect/ruleset.js';
import { huntText } from './hunt-text.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-hunts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorsOf(text: string, file = 'hunts/sample-hunt.yml') {
  const result = compileHuntText(text, file);
  return result.ok ? [] : result.errors.map((e) => `${e.file}: ${e.where}: ${e.message}`);
}

describe('loading hunts', () => {
  it('compiles a valid hunt with its id taken from the file name', () => {
    const hunt = compileHunt(huntText(), 'hunts/sample-hunt.yml');
    expect(hunt.id).toBe('sample-hunt');
    expect(hunt.spec.lookup).toEqual({ attribute: 'EventName', values: ['GetSecretValue'] });
    expect(hunt.spec.aggregate.more_than).toBe(0);
    expect(hunt.match({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue' })).toBe(true);
  });

  it('names the file, the field and its line for a wrong hunt section', () => {
    const text = huntText({ lookup: '{ attribute: SourceIPAddress, values: [x] }', window: '7 days' });
    expect(errorsOf(text)).toEqual([
      expect.stringMatching(/^hunts\/sample-hunt\.yml: hunt\.lookup\.attribute \(line \d+\): Invalid option/),
      'hunts/sample-hunt.yml: hunt.window (line 23): expected a number and a unit s, m, h or d (e.g. 1h)',
    ]);
  });

  it('refuses a picket: section, a file name that is not kebab-case and a technique missing from the tags', () => {
    const text = `${huntText({ technique: 'T1552.005' })}picket:\n  route: soc\n`;
    expect(errorsOf(text, 'hunts/Sample_Hunt.yml')).toEqual([
      expect.stringMatching(/picket \(line \d+\): a hunt raises no alert/),
      'hunts/Sample_Hunt.yml: (root) (line 1): the file name is the hunt id: use kebab-case, e.g. root-activity.yml',
      'hunts/Sample_Hunt.yml: tags (line 4): hunt.technique is T1552.005 but tags lack attack.t1552.005',
    ]);
    expect(errorsOf(huntText({ technique: 'T1552.005' }))).toEqual([
      'hunts/sample-hunt.yml: tags (line 4): hunt.technique is T1552.005 but tags lack attack.t1552.005',
    ]);
  });

  it('reports Sigma errors through the rule compiler', () => {
    const text = huntText().replace('eventName: GetSecretValue', 'eventName|nope: GetSecretValue');
    expect(errorsOf(text)).toEqual(['hunts/sample-hunt.yml: detection.selection.eventName|nope (line 12): unknown modifier "nope"']);
  });

  it('asks for a hunt: section and a baseline with a parent field', () => {
    const noHunt = huntText().slice(0, huntText().indexOf('hunt:'));
    expect(errorsOf(noHunt)).toEqual(['hunts/sample-hunt.yml: (root) (line 1): a hunt file needs a hunt: section']);
    const baseline = huntText({ aggregate: '{ by: [userIdentity.arn], baseline: { at_least: 5 } }' });
    expect(errorsOf(baseline)).toEqual([expect.stringContaining('hunt.aggregate.baseline (line 24): baseline compares a group with its parent')]);
  });

  it('throws a ConfigError naming every problem, and the loader lists duplicates by file', () => {
    expect(() => compileHunt(huntText({ window: 'soon' }), 'hunts/x.yml')).toThrow(RuleLoadFailure);
    writeFileSync(join(dir, 'one-hunt.yml'), huntText());
    writeFileSync(join(dir, 'two-hunt.yml'), huntText());
    const set = loadHunts([dir]);
    expect(set.hunts.map((h) => h.id)).toEqual(['one-hunt']);
    expect(set.errors).toEqual([{ file: join(dir, 'two-hunt.yml'), where: 'id', message: `id 6b0f5a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b is already used by ${join(dir, 'one-hunt.yml')}` }]);
  });

  it('reports a folder that cannot be read', () => {
    const set = loadHunts([join(dir, 'missing')]);
    expect(set.errors).toEqual([{ file: join(dir, 'missing'), where: '(root)', message: expect.stringContaining('cannot read: ENOENT') }]);
  });
});
