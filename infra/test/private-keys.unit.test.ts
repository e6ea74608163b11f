import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath, repoRoot } from './repo-files.ts';

/** A PEM private key of any kind: PKCS#8 (`PRIVATE KEY`), `EC`/`RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`. */
const privateKeyPem = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/** Every file git would take into a commit: tracked ones, and untracked ones no .gitignore excludes. */
function committableFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(repoPath(file)));
}

function ignoredByGit(path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', path], { cwd: repoRoot });
    return true;
  } catch {
    return false;
  }
}

describe('private keys', () => {
  it('recognises the keys OpenSSL and the certificate script write (the check is live)', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(ec.privateKey.export({ type: 'pkcs8', format: 'pem' })).toMatch(privateKeyPem);
    expect(ec.privateKey.export({ type: 'sec1', format: 'pem' })).toMatch(privateKeyPem);
    expect(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' })).toMatch(privateKeyPem);
    expect(ec.publicKey.export({ type: 'spki', format: 'pem' })).not.toMatch(privateKeyPem);
  });

  it('are in no file of the repository that git would commit', () => {
    const files = committableFiles();
    expect(files).toContain('docker-compose.yml');
    const withKeys = files.filter((file) => privateKeyPem.test(readFileSync(repoPath(file), 'latin1')));
    expect(withKeys).toEqual([]);
  });

  it('stay out of git even when the certificate script writes into infra/traefik', () => {
    for (const file of ['ca.key', 'warren.key', 'warren.crt', 'acme.json', 'certs/warren.key']) expect(ignoredByGit(`infra/traefik/${file}`), file).toBe(true);
    expect(ignoredByGit('infra/traefik/traefik.yml')).toBe(false);
  });
});
