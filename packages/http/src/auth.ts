import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { MiddlewareHandler } from 'hono';
import { actorSchema, maxActorLength } from '@warren/contracts';
import type { EdgeEnv } from './context.ts';
import { AppError } from './errors.ts';
import { RateLimitedError, clientAddress, tokenBuckets } from './rate-limit.ts';

export interface TokenVerifierOptions {
  /** The OIDC issuer (`iss`); its discovery document names the key set unless `jwksUrl` is given. */
  issuer: string;
  /** Accepted `aud` values. */
  audience: string | string[];
  jwksUrl?: string;
  /** Pinned signature algorithms: `none` and HMAC can never verify. */
  algorithms?: string[];
  clockToleranceSeconds?: number;
  /** Bound on each discovery or key set request. */
  fetchTimeoutMs?: number;
  /** After a key set fetch, no other for this long (an unknown `kid` cannot make it hammer the issuer). */
  keySetCooldownMs?: number;
}

/** Who a verified token speaks for. */
export interface Principal {
  subject: string;
  scopes: ReadonlySet<string>;
}

/** 401: no usable bearer token. The challenge follows RFC 6750. */
export class UnauthenticatedError extends AppError {
  constructor(detail: string, options: { error?: 'invalid_token' | 'invalid_request'; cause?: unknown } = {}) {
    const challenge = options.error ? `Bearer error="${options.error}", error_description="${detail.replaceAll('"', "'")}"` : 'Bearer';
    super('unauthenticated', 401, 'Unauthenticated', { detail, cause: options.cause, headers: { 'www-authenticate': challenge } });
  }
}

/** 403: a valid token without the scope the operation needs. */
export class ForbiddenError extends AppError {
  constructor(scope: string) {
    super('insufficient_scope', 403, 'Forbidden', {
      detail: `This operation needs the scope ${scope}.`,
      headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    });
  }
}

const defaultAlgorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not acceptable (${error.reason}).`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm that is not accepted.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature does not verify.';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'The token was signed with a key the issuer does not publish.';
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || error instanceof TypeError) {
    return "The issuer's signing keys cannot be fetched right now.";
  }
  if (error instanceof joseErrors.JOSEError) return 'The token is malformed.';
  return 'The token cannot be verified.';
}

/**
 * Verifies bearer JWTs against an OIDC issuer with jose: issuer and audience checked, `exp` and
 * `sub` required, algorithms pinned, a small clock tolerance (30 s by default). The key set is
 * discovered from the issuer when no URL is given, cached, and refetched when a token names an
 * unknown `kid`. Every failure, an unreachable issuer included, throws UnauthenticatedError.
 */
export function createTokenVerifier(options: TokenVerifierOptions): { verify(token: string): Promise<Principal> } {
  const { issuer, audience, algorithms = defaultAlgorithms, clockToleranceSeconds = 30, fetchTimeoutMs = 5_000, keySetCooldownMs = 10_000 } = options;
  let keySet: Promise<JWTVerifyGetKey> | undefined;

  async function discover(): Promise<JWTVerifyGetKey> {
    let url = options.jwksUrl;
    if (!url) {
      const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(fetchTimeoutMs) });
      if (!response.ok) throw new TypeError(`discovery answered ${response.status}`);
      url = ((await response.json()) as { jwks_uri?: string }).jwks_uri;
      if (!url) throw new TypeError('discovery document has no jwks_uri');
    }
    return createRemoteJWKSet(new URL(url), { timeoutDuration: fetchTimeoutMs, cooldownDuration: keySetCooldownMs });
  }

  return {
    async verify(token) {
      try {
        keySet ??= discover().catch((error: unknown) => {
          keySet = undefined;
          throw error;
        });
        const { payload } = await jwtVerify(token, await keySet, { issuer, audience, algorithms, clockTolerance: clockToleranceSeconds, requiredClaims: ['exp', 'sub'] });
        const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter(Boolean) : [];
        return { subject: String(payload.sub), scopes: new Set(scopes) };
      } catch (error) {
        throw new UnauthenticatedError(describe(error), { error: 'invalid_token', cause: error });
      }
    },
  };
}

export interface AuthenticateOptions {
  service: string;
  verifier: { verify(token: string): Promise<Principal> };
  /** Failed attempts (401s) allowed per client address a minute, bursts included; 0 or absent: unlimited. */
  failuresPerMinute?: number;
  now?: () => number;
}

/**
 * Requires a bearer token on every request it guards and the scope `<service>:read` for GET and
 * HEAD, `<service>:write` for anything else. Sets `caller` to the token's subject, which scopes
 * idempotency keys and becomes the `actor` of the events the request causes, so it must be what
 * an event's `metadata.actor` can carry (1–255 characters as OpenID Connect bounds `sub`, no
 * control characters, storable text): any other subject is a 401. Each 401 spends one
 * of the client address's `failuresPerMinute`; once they are spent, a failing attempt from that
 * address is a 429 with `Retry-After` instead. A valid token is never refused for its address's
 * failures, so one prober behind a shared proxy cannot lock the others out.
 */
export function authenticate({ service, verifier, failuresPerMinute = 0, now }: AuthenticateOptions): MiddlewareHandler<EdgeEnv> {
  const failures = failuresPerMinute > 0 ? tokenBuckets({ perMinute: failuresPerMinute, ...(now ? { now } : {}) }) : undefined;
  return async function requireToken(c, next) {
    if (c.req.method === 'OPTIONS') return next();
    let principal: Principal;
    try {
      principal = await verifiedPrincipal(c.req.header('authorization'), verifier);
    } catch (error) {
      const took = error instanceof UnauthenticatedError ? failures?.take(`ip:${clientAddress(c)}`) : undefined;
      if (took?.taken === false) throw new RateLimitedError(took.retryAfterSeconds, 'Too many failed authentication attempts from this address.');
      throw error;
    }
    const scope = `${service}:${c.req.method === 'GET' || c.req.method === 'HEAD' ? 'read' : 'write'}`;
    if (!principal.scopes.has(scope)) throw new ForbiddenError(scope);
    c.set('caller', principal.subject);
    await next();
  };
}

async function verifiedPrincipal(header: string | undefined, verifier: AuthenticateOptions['verifier']): Promise<Principal> {
  const match = header === undefined ? null : /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new UnauthenticatedError(header === undefined ? 'A bearer token is required.' : 'The Authorization header is not a bearer token.', header === undefined ? {} : { error: 'invalid_request' });
  }
  const principal = await verifier.verify(match[1]);
  if (!actorSchema.safeParse(principal.subject).success) {
    throw new UnauthenticatedError(`The token's sub claim is not acceptable: it must be 1 to ${maxActorLength} characters, none of them control characters.`, {
      error: 'invalid_token',
    });
  }
  return principal;
}
