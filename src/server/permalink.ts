import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';

/**
 * Message links for the similar-alert index. Slack's permalinks have a fixed
 * shape under the workspace URL (`<url>archives/<channel>/p<ts without the
 * dot>`), so one auth.test per process replaces a chat.getPermalink per card.
 */

export interface Permalinks {
  of(channel: string, ts: string): Promise<string | undefined>;
}

export function createPermalinks(slack: WebClient, log: Logger): Permalinks {
  let workspace: Promise<string | undefined> | undefined;
  const base = () => {
    workspace ??= slack.auth.test().then(
      (r) => (typeof r.url === 'string' && r.url.startsWith('https://') ? r.url.replace(/\/?$/, '/') : undefined),
      (err: unknown) => {
        // Try again on the next card rather than never linking.
        workspace = undefined;
        log.warn('auth.test failed; alerts are indexed without a link', { error: errorMessage(err) });
        return undefined;
      },
    );
    return workspace;
  };
  return {
    of: async (channel, ts) => {
      const url = await base();
      return url ? `${url}archives/${encodeURIComponent(channel)}/p${ts.replace('.', '')}` : undefined;
    },
  };
}
