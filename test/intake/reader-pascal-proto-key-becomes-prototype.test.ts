import { describe, expect, it } from 'vitest';
import { readInput } from '../../src/intake/reader.js';

/**
 * camelizeKeys assigns `out[key] = ...` on a plain object, so a PascalCase
 * input's "__proto__" key sets the prototype of the camelized document
 * instead of copying the key. The reader's own `doc.id` / `doc.type` reads
 * then see inherited values: a document with no id or type of its own is
 * accepted as a finding with id "ghost", and the data is gone on the next
 * JSON.stringify (the queue), so the worker sees a different document.
 */
const body = '{"__proto__":{"id":"ghost","type":"Ghost:X/Y"},"SchemaVersion":"2.0","Title":"t"}';

describe('PascalCase input with a __proto__ key', () => {
  it('does not take id and type from an injected prototype', () => {
    const [item] = readInput(body, 'proto.json');
    expect(item?.status).toBe('rejected');
  });

  it('keeps the camelized document a plain object', () => {
    const [item] = readInput('{"Id":"a1","Type":"Recon:EC2/PortProbeUnprotectedPort","__proto__":{"x":1}}', 'proto.json');
    expect(item?.status).toBe('ok');
    const doc = item?.status === 'ok' ? item.doc : {};
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.hasOwn(doc, '__proto__')).toBe(true);
  });
});
