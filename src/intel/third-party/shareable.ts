/**
 * Which domain names may leave the building. Asking a reputation vendor
 * about `db01.corp` or `build.internal` leaks the customer's naming and
 * answers nothing; a malformed value (`..`, a bare word, an address in a
 * name field) is not worth a request either.
 */

export type NameKind = 'public' | 'private' | 'malformed';

/**
 * Top-level names that only resolve inside a network (RFC 6762, RFC 8375,
 * ICANN's .internal, common private habits), plus RFC 2606's `.test` (a
 * favourite for local development) and `.invalid`. `.example` is left
 * shareable: it is reserved for documentation, so it names nobody's network.
 */
const PRIVATE_TLDS = ['internal', 'local', 'localhost', 'localdomain', 'lan', 'corp', 'home', 'intranet', 'private', 'arpa', 'test', 'invalid'];

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function domainKind(raw: string): NameKind {
  const name = raw.trim().toLowerCase().replace(/\.$/, '');
  if (name === '' || name.length > 253) return 'malformed';
  const labels = name.split('.');
  if (!labels.every((l) => LABEL.test(l))) return 'malformed';
  if (labels.length < 2) return 'private';
  const tld = labels.at(-1) ?? '';
  if (!TLD.test(tld)) return 'malformed';
  return PRIVATE_TLDS.includes(tld) ? 'private' : 'public';
}
