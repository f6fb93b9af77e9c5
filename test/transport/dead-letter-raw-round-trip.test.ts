import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { capRaw, rawForReplay, type DeadLetter } from '../../src/queue/dead-letter.js';

/**
 * Replay must read the bytes that arrived. Text that merely looks like an
 * encoding marker stays text; gzip and UTF-16 bodies come back byte for byte.
 */
describe('dead-letter raw round trip', () => {
  it('replays text input as the same text, whatever it starts with', () => {
    const smuggled = gzipSync(JSON.stringify({ id: 'never-sent', type: 'Recon:EC2/PortProbeUnprotectedPort' }));
    const text = `base64-gzip:${smuggled.toString('base64')}`;
    const stored = capRaw(text, 256 * 1024);
    const entry: DeadLetter = { id: 'dl-1', at: '2026-01-01T00:00:00.000Z', reason: 'not JSON', stage: 'read', source: 'http', ...stored };

    const replayed = rawForReplay(entry);
    expect(Buffer.isBuffer(replayed) ? replayed.toString('utf8') : replayed).toBe(text);
  });

  it('replays gzip and UTF-16 input byte for byte', () => {
    for (const bytes of [gzipSync('{"id":"g"}'), Buffer.from('\ufeff{"id":"u"}', 'utf16le')]) {
      const entry: DeadLetter = { id: 'dl-2', at: '2026-01-01T00:00:00.000Z', reason: 'x', stage: 'read', source: 'http', ...capRaw(bytes, 256 * 1024) };
      expect(entry.encoding).toBe('base64');
      expect(Buffer.compare(Buffer.from(rawForReplay(entry)), bytes)).toBe(0);
    }
  });
});
