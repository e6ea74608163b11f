import { createServer } from 'node:http';
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

/** An OIDC issuer for tests: discovery document, JWKS and a token signer, on a loopback port. */
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
export async function startTestIssuer({ defaultAudience = 'warren-catalog' }: { defaultAudience?: string | string[] } = {}): Promise<TestIssuer> {
  let key = await newKey();
  let jwksFetches = 0;
  const server = createServer((request, response) => {
    if (request.url === '/.well-known/openid-configuration') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json` }));
    } else if (request.url === '/jwks.json') {
      jwksFetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.jwk] }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks.json`,
    get publicKeyPem() {
      return key.pem;
    },
    get jwksFetches() {
      return jwksFetches;
    },
    async sign({ subject = 'tester', scope = '', audience = defaultAudience, expiresIn = 300, notBefore, issuer: claimedIssuer = issuer, unknownKey = false, extra = {} } = {}) {
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
    },
    async rotate() {
      key = await newKey();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
