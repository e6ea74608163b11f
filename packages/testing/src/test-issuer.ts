import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload, type CryptoKey } from 'jose';

export interface TokenRequest {
  subject?: string;
  /** Space-separated scopes, e.g. `catalog:read catalog:write`. */
  scope?: string;
  audience?: string | string[];
  /** Seconds until `exp`; negative for an already expired token. Omit `exp` with `null`. */
  expiresIn?: number | null;
  /** Seconds until `nbf`, for a token not valid yet. */
  notBefore?: number;
  issuer?: string;
  /** Sign with a key the issuer does not publish. */
  unknownKey?: boolean;
  extra?: JWTPayload;
}

/** Who the authorization endpoint logs in, without asking anyone. */
export interface TestLogin {
  subject: string;
  /** Space-separated scopes granted to the access token. */
  scope: string;
  /** `name` claim of the ID token. */
  name?: string;
}

/**
 * An OIDC issuer for tests: discovery document, JWKS and a token signer, on a loopback port. It
 * also runs the authorization-code flow with PKCE (S256): `/authorize` approves at once, as the
 * identity `login` last set, and `/token` exchanges the code for an access token (audience
 * `accessAudience` of that login) and an ID token (audience: the client id, with the nonce).
 */
export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  sign(request?: TokenRequest): Promise<string>;
  /** The public key as a PEM string (for the HS256-with-the-public-key attack). */
  publicKeyPem: string;
  /** Replaces the signing key; the old one disappears from the JWKS. */
  rotate(): Promise<void>;
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number;
  /** Sets who the next authorization requests log in (default subject `tester`, no scopes). */
  login(identity: TestLogin): void;
  /** Authorization codes exchanged at `/token`. */
  readonly tokenExchanges: number;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
  pem: string;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = crypto.randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const spki = Buffer.from(await crypto.subtle.exportKey('spki', publicKey)).toString('base64');
  const pem = `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END PUBLIC KEY-----\n`;
  return { kid, privateKey, jwk, pem };
}

/** Starts an issuer whose tokens are RS256 JWTs with `iss`, `sub`, `aud`, `exp`, `iat` and `scope`. */
export async function startTestIssuer({ defaultAudience = 'warren-catalog', accessAudience = 'warren-console' }: { defaultAudience?: string | string[]; accessAudience?: string } = {}): Promise<TestIssuer> {
  let key = await newKey();
  let jwksFetches = 0;
  let tokenExchanges = 0;
  let identity: TestLogin = { subject: 'tester', scope: '' };
  const codes = new Map<string, { identity: TestLogin; clientId: string; redirectUri: string; challenge: string; nonce: string | undefined }>();

  function authorize(url: URL, response: ServerResponse): void {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri');
    const challenge = query.get('code_challenge');
    if (!redirectUri || query.get('response_type') !== 'code' || !challenge || query.get('code_challenge_method') !== 'S256') {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('authorization request needs response_type=code, redirect_uri and an S256 code_challenge');
      return;
    }
    const code = randomBytes(16).toString('base64url');
    codes.set(code, { identity, clientId: query.get('client_id') ?? '', redirectUri, challenge, nonce: query.get('nonce') ?? undefined });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('iss', issuer);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    response.writeHead(302, { location: target.toString() }).end();
  }

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (form.get('grant_type') !== 'authorization_code' || !grant || grant.redirectUri !== form.get('redirect_uri') || grant.challenge !== challenge) {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
      return;
    }
    tokenExchanges += 1;
    const now = Math.floor(Date.now() / 1_000);
    const accessToken = await sign({ subject: grant.identity.subject, scope: grant.identity.scope, audience: accessAudience });
    const idToken = await new SignJWT({ ...(grant.nonce ? { nonce: grant.nonce } : {}), ...(grant.identity.name ? { name: grant.identity.name } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(grant.identity.subject)
      .setAudience(grant.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(key.privateKey);
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 300, scope: grant.identity.scope }));
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/jwks.json`,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
          authorization_response_iss_parameter_supported: true,
        }),
      );
    } else if (url.pathname === '/authorize' && request.method === 'GET') {
      authorize(url, response);
    } else if (url.pathname === '/token' && request.method === 'POST') {
      token(request, response).catch(() => response.writeHead(500).end());
    } else if (request.url === '/jwks.json') {
      jwksFetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.jwk] }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  async function sign({ subject = 'tester', scope = '', audience = defaultAudience, expiresIn = 300, notBefore, issuer: claimedIssuer = issuer, unknownKey = false, extra = {} }: TokenRequest = {}): Promise<string> {
    const signer = unknownKey ? await newKey() : key;
    const now = Math.floor(Date.now() / 1_000);
    let jwt = new SignJWT({ scope, ...extra })
      .setProtectedHeader({ alg: 'RS256', kid: signer.kid, typ: 'JWT' })
      .setIssuer(claimedIssuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt(now);
    if (expiresIn !== null) jwt = jwt.setExpirationTime(now + expiresIn);
    if (notBefore !== undefined) jwt = jwt.setNotBefore(now + notBefore);
    return jwt.sign(signer.privateKey);
  }
  return {
    issuer,
    jwksUrl: `${issuer}/jwks.json`,
    get publicKeyPem() {
      return key.pem;
    },
    get jwksFetches() {
      return jwksFetches;
    },
    sign,
    login(next) {
      identity = next;
    },
    get tokenExchanges() {
      return tokenExchanges;
    },
    async rotate() {
      key = await newKey();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
