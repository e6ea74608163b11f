import type { TestIssuer } from '@warren/testing';

/** The token variables both collections read (the `vars:secret` of the Bruno environments). */
export interface CollectionTokens {
  catalogToken: string;
  inventoryToken: string;
  auditToken: string;
  /** `catalog:read` only: a write with it is the 403 case. */
  catalogReadOnlyToken: string;
  /** Expired an hour ago, well past the services' clock tolerance. */
  expiredToken: string;
  /** Valid, with catalog scopes, but for an audience no Warren service accepts. */
  wrongAudienceToken: string;
  /** `warren:read warren:operate` for `warren-console`. */
  consoleToken: string;
}

/**
 * Mints every token the collections need from `issuer`: per service, read and write scopes with
 * the audience `warren-<service>` the services expect by default (audit has no writes, so
 * `audit:read` only), plus the three deliberately wrong ones of the auth folder.
 */
export async function mintTokens(issuer: TestIssuer, { subject = 'warren-collections', lifetimeSeconds = 600 } = {}): Promise<CollectionTokens> {
  const sign = (scope: string, audience: string, expiresIn = lifetimeSeconds) => issuer.sign({ subject, scope, audience, expiresIn });
  const [catalogToken, inventoryToken, auditToken, catalogReadOnlyToken, expiredToken, wrongAudienceToken] = await Promise.all([
    sign('catalog:read catalog:write', 'warren-catalog'),
    sign('inventory:read inventory:write', 'warren-inventory'),
    sign('audit:read', 'warren-audit'),
    sign('catalog:read', 'warren-catalog'),
    sign('catalog:read catalog:write', 'warren-catalog', -3_600),
    sign('catalog:read catalog:write', 'warren-elsewhere'),
  ]);
  return { catalogToken, inventoryToken, auditToken, catalogReadOnlyToken, expiredToken, wrongAudienceToken, consoleToken: await sign('warren:read warren:operate', 'warren-console') };
}
