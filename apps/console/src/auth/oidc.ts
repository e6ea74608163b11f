import { eq, lt } from 'drizzle-orm';
import * as client from 'openid-client';
import type { Database } from '@warren/outbox';
import { logins } from '../db/schema.ts';

export interface OidcOptions {
  issuer: string;
  clientId: string;
  /** Empty for a public client (PKCE only). */
  clientSecret: string;
}

/** The authorization-code flow with PKCE of the backend-for-frontend: tokens never reach the browser. */
export interface OidcLogin {
  /** Stores a new login's verifier, state and nonce; returns the issuer's authorization URL. */
  begin(redirectUri: string, returnTo: string): Promise<URL>;
  /**
   * Completes a login from the callback URL: checks state, PKCE and nonce, exchanges the code.
   * Throws when any check fails or the login is unknown or older than ten minutes.
   */
  complete(callbackUrl: URL): Promise<{ accessToken: string; idToken: string | undefined; name: string | undefined; returnTo: string }>;
}

const loginLifetimeMs = 10 * 60_000;

export function createOidcLogin(db: Database, { issuer, clientId, clientSecret }: OidcOptions): OidcLogin {
  let configuration: Promise<client.Configuration> | undefined;
  const configure = () =>
    (configuration ??= client
      .discovery(new URL(issuer), clientId, undefined, clientSecret ? client.ClientSecretPost(clientSecret) : client.None(), {
        // Plain HTTP only for an issuer on this machine (development and tests).
        ...(new URL(issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        configuration = undefined;
        throw new Error(`cannot discover the OIDC issuer ${issuer}`, { cause: error });
      }));

  return {
    async begin(redirectUri, returnTo) {
      const config = await configure();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      await db.delete(logins).where(lt(logins.createdAt, new Date(Date.now() - loginLifetimeMs)));
      await db.insert(logins).values({ state, codeVerifier, nonce, returnTo });
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile warren:read warren:operate',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
    },
    async complete(callbackUrl) {
      const config = await configure();
      const state = callbackUrl.searchParams.get('state') ?? '';
      const [login] = await db.delete(logins).where(eq(logins.state, state)).returning();
      if (!login || login.createdAt.getTime() < Date.now() - loginLifetimeMs) throw new Error('unknown or expired login');
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: login.codeVerifier, expectedState: login.state, expectedNonce: login.nonce });
      const claims = tokens.claims();
      return { accessToken: tokens.access_token, idToken: tokens.id_token, name: typeof claims?.['name'] === 'string' ? claims['name'] : undefined, returnTo: login.returnTo };
    },
  };
}
