import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `GET /healthz` for load balancers and process managers: 200 while Redis
 * answers (so the intake can queue), 503 otherwise. It says nothing else:
 * no versions, no configuration.
 */
export const HEALTH_PATH = '/healthz';

export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createHealthHandler(ready: () => boolean): HealthHandler {
  return (_req, res) => {
    const up = ready();
    const body = JSON.stringify({ status: up ? 'ok' : 'degraded', redis: up ? 'up' : 'down' });
    res.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  };
}
