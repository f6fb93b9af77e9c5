import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSlackStandIn, type RecordedCall, type SlackStandIn, type StandInOptions } from './slack-stand-in.js';

/**
 * The shared Slack stand-in, fronted on loopback by a small server that adds
 * what the response side needs and the stand-in lacks: user-group members
 * (`usergroups.users.list`), `views.update`, and response_url endpoints
 * (`/response/<id>`).
 * Everything else is forwarded to the stand-in unchanged, so its recording,
 * auth and limits still apply.
 */

export interface RespondStandIn extends SlackStandIn {
  /** Base of the response URLs the tests hand to commands. */
  responseUrl(id: string): string;
  responses: { id: string; body: unknown }[];
  setGroup(groupId: string, users: string[]): void;
}

export async function startRespondStandIn(options: StandInOptions = {}): Promise<RespondStandIn> {
  const inner = await startSlackStandIn(options);
  const groups = new Map<string, string[]>();
  const responses: { id: string; body: unknown }[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path.startsWith('/response/')) {
        responses.push({ id: path.slice('/response/'.length), body: JSON.parse(body || '{}') as unknown });
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('ok');
      }
      if (path === '/api/views.update') {
        const args = Object.fromEntries(new URLSearchParams(body));
        inner.calls.push({ method: 'views.update', args } satisfies RecordedCall);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ ok: true, view: { id: args.view_id } }));
      }
      if (path === '/api/usergroups.users.list') {
        const group = new URLSearchParams(body).get('usergroup') ?? '';
        inner.calls.push({ method: 'usergroups.users.list', args: { usergroup: group } } satisfies RecordedCall);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ ok: true, users: groups.get(group) ?? [] }));
      }
      const forwarded = await fetch(`${inner.url}${req.url ?? '/'}`, {
        method: req.method,
        headers: pick(req, ['content-type', 'authorization']),
        ...(req.method === 'POST' ? { body } : {}),
      });
      res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
      res.end(await forwarded.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...inner,
    url: base,
    apiUrl: `${base}/api/`,
    responses,
    responseUrl: (id) => `${base}/response/${id}`,
    setGroup: (groupId, users) => groups.set(groupId, users),
    close: async () => {
      await closeServer(server);
      await inner.close();
    },
  };
}

function pick(req: IncomingMessage, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
