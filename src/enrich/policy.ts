/**
 * Reads IAM policy documents just far enough to flag the two things an
 * analyst must see at once: admin (`*` on `*`) and IAM write access.
 */
import { z } from 'zod';

export type PolicyRisk = 'admin' | 'iam-write';

const StringOrList = z.union([z.string(), z.array(z.string())]).optional();

const DocumentSchema = z.object({
  Statement: z.union([z.array(z.looseObject({})), z.looseObject({})]),
});

const StatementSchema = z.looseObject({
  Effect: z.string(),
  Action: StringOrList,
  NotAction: StringOrList,
  Resource: StringOrList,
});

const IAM_WRITE = /^iam:(\*|(Create|Delete|Put|Attach|Detach|Update|Add|Remove|Set|Upload|Change|Pass|Tag|Untag|Enable|Deactivate|Reset|Resync)[A-Za-z]*\*?)$/i;
const AWS_MANAGED: Record<string, PolicyRisk> = { AdministratorAccess: 'admin', IAMFullAccess: 'iam-write' };

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Policy documents arrive URL-encoded from IAM; accept either form. */
export function parsePolicyDocument(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text.trim().startsWith('{') ? text : decodeURIComponent(text));
  } catch {
    return undefined;
  }
}

export function policyRisks(document: unknown): PolicyRisk[] {
  const doc = DocumentSchema.safeParse(document);
  if (!doc.success) return [];
  const statements = Array.isArray(doc.data.Statement) ? doc.data.Statement : [doc.data.Statement];
  const risks = new Set<PolicyRisk>();
  for (const raw of statements) {
    const s = StatementSchema.safeParse(raw);
    if (!s.success || s.data.Effect !== 'Allow') continue;
    const actions = list(s.data.Action);
    const everywhere = list(s.data.Resource).includes('*');
    if (everywhere && actions.some((a) => a === '*' || a === '*:*')) risks.add('admin');
    if (s.data.NotAction !== undefined && everywhere) risks.add('admin');
    if (actions.some((a) => a === '*' || IAM_WRITE.test(a))) risks.add('iam-write');
  }
  return [...risks];
}

export function managedPolicyRisk(arn: string | undefined): PolicyRisk | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn ?? '');
  return m?.[1] ? AWS_MANAGED[m[1]] : undefined;
}

export function riskText(risks: PolicyRisk[]): string {
  return risks.map((r) => (r === 'admin' ? 'grants admin' : 'grants IAM write')).join(', ');
}
