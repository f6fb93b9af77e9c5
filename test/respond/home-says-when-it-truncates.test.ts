/**
 * App Home lists the newest few of each kind; when there are more it says how many more, rather than
 * letting a tenant with 40 open alerts look like one with 10.
 */
import { describe, expect, it } from 'vitest';
import { homeView } from '../../blocks/app-home.js';
import type { AlertRecord } from '../../src/respond/types.js';
import { alertDecision, keySignal } from '../fixtures/respond/signals.js';

function alert(i: number): AlertRecord {
  const id = `home${String(i).padStart(8, '0')}`;
  return { id, kind: 'alert', cardKey: id, tenantId: 'acme', findingIds: [id], channel: 'C0', ts: '1.1', signal: keySignal({ id }), decision: alertDecision(), state: 'open', createdAt: '2026-12-01T09:00:00.000Z' };
}

function text(view: ReturnType<typeof homeView>): string {
  return JSON.stringify(view.blocks);
}

describe('App Home truncation', () => {
  it('shows the true totals and "+N more" for alerts, suppressions and rules', () => {
    const open = Array.from({ length: 10 }, (_, i) => alert(i));
    const suppressions = Array.from({ length: 23 }, (_, i) => ({
      item: { id: `sup-${i}`, tenant: 'acme', ruleId: 'r', match: { 'actor.userName': 'dana' }, owner: 'U0', reason: 'x', expiresAt: '2027-01-01T00:00:00.000Z' },
      canRevoke: false,
    }));
    const rules = Array.from({ length: 61 }, (_, i) => ({ id: `rule-${i}`, title: 't', route: 'soc' }));
    const view = homeView({ tenants: [{ id: 'acme', name: 'Acme', open, openTotal: 42, waiting: [], waitingTotal: 0 }], recent: [], suppressions, rules, roleSummary: 'analyst' });

    expect(text(view)).toContain('*Acme*: 42 open alert(s), 0 DUET(s) awaiting an answer');
    expect(text(view)).toContain('_+32 more (newest shown)_');
    expect(text(view)).toContain('_+3 more (use `/picket suppressions`)_');
    expect(text(view)).toContain('_+1 more (use /detections)_');
  });

  it('says nothing about more when everything is shown', () => {
    const view = homeView({ tenants: [{ id: 'acme', name: 'Acme', open: [alert(1)], openTotal: 1, waiting: [], waitingTotal: 0 }], recent: [], suppressions: [], rules: [], roleSummary: 'analyst' });
    expect(text(view)).not.toContain('more');
  });

  it('keeps under 100 blocks and says how many were left out', () => {
    const tenants = Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, name: `Tenant ${i}`, open: [alert(i)], openTotal: 1, waiting: [], waitingTotal: 0 }));
    const view = homeView({ tenants, recent: [], suppressions: [], rules: [], roleSummary: 'analyst' });
    expect(view.blocks).toHaveLength(100);
    // 3 heading blocks, 3 per tenant, 3 per later section: 132 blocks, 99 kept.
    expect(JSON.stringify(view.blocks.at(-1))).toContain('_+33 more blocks not shown');
  });
});
