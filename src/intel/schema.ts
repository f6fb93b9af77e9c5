/**
 * The first-party intel file format (YAML or JSON), validated on load:
 *
 *   source: incident-2024-17        # where the list came from
 *   label: attacker infrastructure  # default label for entries
 *   verdict: bad                    # bad | suspicious | info, default suspicious
 *   entries:
 *     - 203.0.113.7                 # type inferred: ip, cidr, domain, asn, access-key
 *     - { value: 198.51.100.0/24, label: scanner range }
 *
 * Plain `.txt`/`.list` files hold one value per line; `# label: …`,
 * `# source: …` and `# verdict: …` header comments set the defaults.
 */
import { z } from 'zod';

export const VerdictSchema = z.enum(['bad', 'suspicious', 'info']);

const EntrySchema = z.union([
  z.string().min(1),
  z.strictObject({
    value: z.string().min(1),
    type: z.enum(['ip', 'cidr', 'domain', 'asn', 'access-key']).optional(),
    label: z.string().min(1).max(200).optional(),
    verdict: VerdictSchema.optional(),
  }),
]);

export const IntelFileSchema = z.strictObject({
  source: z.string().min(1).max(200),
  label: z.string().min(1).max(200).optional(),
  verdict: VerdictSchema.optional(),
  entries: z.array(EntrySchema),
});

export type IntelFile = z.infer<typeof IntelFileSchema>;
export type IntelEntryInput = z.infer<typeof EntrySchema>;
