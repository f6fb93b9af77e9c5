/**
 * Checks Picket against the real-world corpus, through the CLI exactly as a
 * reviewer would run it. Prints one line per check and writes
 * "passed failed" to .ci-corpus-result for .ci/run to add up.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const corpus = process.argv[2] ?? '../shared/corpus';
const results: { name: string; ok: boolean; detail: string }[] = [];

function picket(args: string[]): { code: number; stdout: string } {
  try {
    const stdout = execFileSync('node', ['bin/picket.mjs', ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { status?: number; stdout?: string };
    return { code: e.status ?? 1, stdout: e.stdout ?? '' };
  }
}

interface Line { file: string; outcome: string; reason: string | null; rules: string[]; card: unknown }

function triage(path: string): { code: number; lines: Line[] } {
  const run = picket(['triage', '--json', path]);
  const lines = run.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line);
  return { code: run.code, lines };
}

function check(name: string, fn: () => string): void {
  try {
    results.push({ name, ok: true, detail: fn() });
  } catch (err) {
    results.push({ name, ok: false, detail: (err as Error).message });
  }
}

const OUTCOMES = new Set(['alert', 'duet', 'suppressed', 'ignored', 'rejected']);

check('guardduty corpus: every item has an outcome, reasons given, cards clean', () => {
  const { code, lines } = triage(join(corpus, 'guardduty'));
  if (code !== 0) throw new Error(`triage exited ${code}`);
  const bad = lines.filter((l) => !OUTCOMES.has(l.outcome) || ((l.outcome === 'ignored' || l.outcome === 'rejected') && !l.reason));
  if (bad.length > 0) throw new Error(`${bad.length} items without a proper outcome: ${bad.map((l) => l.file).join(', ')}`);
  const dirty = lines.filter((l) => l.card && /undefined|NaN|\[object Object\]/.test(JSON.stringify(l.card)));
  if (dirty.length > 0) throw new Error(`cards with undefined/NaN/[object Object]: ${dirty.map((l) => l.file).join(', ')}`);
  const files = new Set(lines.map((l) => l.file)).size;
  const counts = [...OUTCOMES].map((o) => `${lines.filter((l) => l.outcome === o).length} ${o}`).join(', ');
  return `${lines.length} items from ${files} files: ${counts}`;
});

check('sigma corpus: every SigmaHQ CloudTrail rule loads and evaluates', () => {
  const run = picket(['rules', 'check', join(corpus, 'sigma', 'cloudtrail')]);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.code !== 0) throw new Error(`rules check exited ${run.code}: ${last}`);
  return last;
});

check('stratus red team: at least 95% of technique files raise an alert or a DUET', () => {
  const dir = join(corpus, 'cloudtrail', 'stratus-red-team');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const { code, lines } = triage(dir);
  if (code !== 0) throw new Error(`triage exited ${code}`);
  const raised = new Set(lines.filter((l) => l.outcome === 'alert' || l.outcome === 'duet').map((l) => l.file.split('/').pop()));
  const missed = files.filter((f) => !raised.has(f));
  const share = (files.length - missed.length) / files.length;
  const detail = `${files.length - missed.length}/${files.length} (${(share * 100).toFixed(1)}%)${missed.length ? `; missed: ${missed.join(', ')}` : ''}`;
  if (share < 0.95) throw new Error(detail);
  return detail;
});

check('sekoia CloudTrail records: every record has an outcome', () => {
  const { code, lines } = triage(join(corpus, 'cloudtrail', 'sekoia'));
  if (code !== 0) throw new Error(`triage exited ${code}`);
  const bad = lines.filter((l) => !OUTCOMES.has(l.outcome));
  if (bad.length > 0) throw new Error(`${bad.length} records without an outcome`);
  return `${lines.length} records`;
});

check('finding-type list: every GuardDuty type gets a deliberate route', () => {
  const rows = readFileSync(join(corpus, 'guardduty_finding_types.tsv'), 'utf8').split('\n').slice(1).filter((r) => r.trim());
  const types = rows.map((r) => r.split('\t')[0] as string);
  const dir = mkdtempSync(join(tmpdir(), 'picket-types-'));
  const findings = types.map((type, i) => ({
    schemaVersion: '2.0', accountId: '123456789012', region: 'us-east-1', partition: 'aws',
    id: `type${String(i).padStart(28, '0')}`, type, title: type, severity: 5,
    resource: { resourceType: 'Instance' }, service: { serviceName: 'guardduty', count: 1 },
  }));
  writeFileSync(join(dir, 'types.json'), JSON.stringify({ findings }));
  const { code, lines } = triage(dir);
  if (code !== 0) throw new Error(`triage exited ${code}`);
  const undecided = lines.filter((l) => l.rules.length === 0 || l.rules[0] === 'guardduty:unknown-type' || l.rules[0]?.startsWith('guardduty:family:'));
  if (lines.length !== types.length) throw new Error(`${lines.length} results for ${types.length} types`);
  if (undecided.length > 0) throw new Error(`${undecided.length} types without their own decision`);
  return `${types.length} types, each with a catalogue entry or a rule`;
});

check('rules: every inline rule test passes', () => {
  const run = picket(['rules', 'test']);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.code !== 0) throw new Error(last);
  return last;
});

for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}\n      ${r.detail}`);
const passed = results.filter((r) => r.ok).length;
writeFileSync('.ci-corpus-result', `${passed} ${results.length - passed}\n`);
