import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { capRaw, rawForReplay, type DeadLetter } from '../../src/queue/dead-letter.js';

/**
 * Gzip raw input is stored as the text "base64-gzip:<base64>", and replay
 * decodes any stored raw that starts with that marker. Text input that
 * happens to start with the marker (a sender's non-JSON body, a rejected
 * JSON line) is therefore replayed as different bytes from the ones that
 * arrived: here a rejected line of text becomes a gzip finding on replay.
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
});
