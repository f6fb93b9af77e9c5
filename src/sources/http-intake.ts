import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEALTH_PATH, type HealthHandler } from '../slack/health.js';
import type { IntakeHandler } from '../slack/intake-route.js';

/**
 * The intake on a plain HTTP listener, for local mode and the demo where no
 * Bolt app runs. Only POST <path> is served.
 */

/**
 * A sender that trickles its body holds a connection; these bound how long
 * (EventBridge sends a whole body at once and retries on failure).
 */
export const SERVER_LIMITS = { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 } as const;
export const MAX_CONNECTIONS = 512;

export interface IntakeServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listenIntake(handler: IntakeHandler, path: string, listen: { port: number; host: string }, health?: HealthHandler): Promise<IntakeServer> {
  const server = createServer(SERVER_LIMITS, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://intake');
    if (health && url.pathname === HEALTH_PATH && req.method === 'GET') return health(req, res);
    if (url.pathname !== path) return void res.writeHead(404).end();
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    handler(req, res);
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
