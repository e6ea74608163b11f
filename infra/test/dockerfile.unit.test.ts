import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execForm, parseStages, type Instruction, type Stage } from './parse-dockerfile.ts';
import { loadCompose, readRepoFile, repoFileExists } from './repo-files.ts';

const stages = parseStages(readRepoFile('Dockerfile'));
const final = stages.at(-1) as Stage;
const compose = loadCompose();
const builtServices = Object.values(compose.services).flatMap((service) => (service.build?.args?.['SERVICE'] ? [service.build.args['SERVICE']] : []));

function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

function last(stage: Stage, keyword: string): Instruction {
  const found = all(stage, keyword).at(-1);
  if (!found) throw new Error(`the final stage has no ${keyword}`);
  return found;
}

/** The stage an image is built from, following `FROM <earlier stage>` back to a registry image. */
function rootImage(stage: Stage): string {
  const earlier = stages.find((candidate) => candidate.name === stage.base);
  return earlier ? rootImage(earlier) : stage.base;
}

/** The working directory at the end of a stage, WORKDIRs resolved against each other. */
function workdir(stage: Stage): string {
  const own = all(stage, 'WORKDIR').map(({ args }) => args);
  const earlier = stages.find((candidate) => candidate.name === stage.base);
  return own.reduce((directory, next) => posix.resolve(directory, next), earlier ? workdir(earlier) : '/');
}

describe('Dockerfile', () => {
  it('is multi-stage, every stage rooted in a pinned Node 24 bookworm-slim image', () => {
    expect(stages.length).toBeGreaterThan(1);
    for (const stage of stages) expect(rootImage(stage)).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
  });

  it('installs the workspaces from the lockfile with npm ci, without dev dependencies', () => {
    const installs = stages.flatMap((stage) => all(stage, 'RUN')).filter(({ args }) => /\bnpm (ci|install)\b/.test(args));
    expect(installs.length).toBeGreaterThan(0);
    for (const { args } of installs) {
      expect(args).toMatch(/\bnpm ci\b/);
      expect(args).toContain('--omit=dev');
    }
  });

  it('applies the dependency patches right after the install, failing the build when one does not apply', () => {
    const install = stages.flatMap((stage) => all(stage, 'RUN')).find(({ args }) => /\bnpm ci\b/.test(args));
    expect(install?.args).toMatch(/npm ci[^&]*&&\s*node_modules\/\.bin\/patch-package --error-on-fail/);
    const manifests = stages.flatMap((stage) => all(stage, 'RUN')).find(({ args }) => args.includes('package-lock.json'));
    expect(manifests?.args).toContain('cp -r patches /app/');
  });

  it('runs the final image as a non-root user', () => {
    const user = last(final, 'USER').args.split(':')[0];
    expect(['', 'root', '0']).not.toContain(user);
  });

  it('starts apps/$SERVICE/src/main.ts with node and the preloads npm start uses, SERVICE being a build argument', () => {
    expect(all(final, 'ARG').map(({ args }) => args.split('=')[0])).toContain('SERVICE');
    const command = execForm(last(final, 'CMD').args);
    const [program] = command;
    const script = command.at(-1) ?? '';
    expect(program).toBe('node');
    expect(posix.resolve(workdir(final), script)).toBe('/app/apps/${SERVICE}/src/main.ts');
    // The environment is completed before OpenTelemetry reads its OTEL_* settings.
    const preloads = command.flatMap((word, index) => (command[index - 1] === '--import' ? [word] : []));
    expect(preloads).toEqual(['@warren/service/register', '@warren/telemetry/register']);
  });

  it('copies only sources that exist, for every service compose builds', () => {
    const copies = stages.flatMap((stage) => all(stage, 'COPY')).filter(({ args }) => !args.includes('--from='));
    expect(builtServices.length).toBeGreaterThan(0);
    for (const service of builtServices) {
      for (const { args } of copies) {
        const sources = args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1);
        for (const source of sources) {
          expect(repoFileExists(source.replaceAll('${SERVICE}', service)), `COPY ${source} for ${service}`).toBe(true);
        }
      }
    }
  });

  it('exposes the port it is told to listen on', () => {
    expect(all(final, 'ARG').map(({ args }) => args.split('=')[0])).toContain('PORT');
    expect(last(final, 'ENV').args).toMatch(/\bPORT=\$\{PORT\}/);
    expect(last(final, 'EXPOSE').args).toBe('${PORT}');
  });

  it("checks health on /health at the service's port with node's fetch (slim images have no curl)", () => {
    const [program, flag, code = ''] = execForm(last(final, 'HEALTHCHECK').args);
    expect([program, flag]).toEqual(['node', '-e']);
    expect(code).toMatch(/\bfetch\(/);
    expect(code).toMatch(/process\.env\.PORT \+ '\/health'/);
    expect(code).toMatch(/process\.exit\(r\.ok \? 0 : 1\)/);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, git history, turbo caches and coverage out of the build context', () => {
    const patterns = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.replace(/^\*\*\//, ''));
    expect(patterns).toEqual(expect.arrayContaining(['node_modules', '.git', '.turbo', 'coverage']));
    expect(readRepoFile('.dockerignore')).toMatch(/^\*\*\/node_modules$/m);
  });
});
