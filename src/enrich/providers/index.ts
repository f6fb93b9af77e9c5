/** The provider set, in card order: intel first, then who and what, then history. */
import type { EnrichDeps, Provider } from '../types.js';
import { accessKeyProvider } from './access-key.js';
import { activityProvider } from './activity.js';
import { ec2Provider } from './ec2.js';
import { firstPartyProvider } from './first-party.js';
import { geoProvider } from './geo.js';
import { iamRoleProvider } from './iam-role.js';
import { iamUserProvider } from './iam-user.js';
import { rdsProvider } from './rds.js';
import { s3Provider } from './s3.js';
import { similarProvider } from './similar.js';
import { thirdPartyProvider } from './third-party.js';
import { timelineProvider } from './timeline.js';

export function allProviders(deps: EnrichDeps): Provider[] {
  return [
    firstPartyProvider,
    ...(deps.thirdParty ?? []).map((a) => thirdPartyProvider(a)),
    geoProvider,
    accessKeyProvider,
    iamUserProvider,
    iamRoleProvider,
    ec2Provider,
    rdsProvider,
    s3Provider,
    activityProvider,
    similarProvider,
    timelineProvider,
  ];
}
