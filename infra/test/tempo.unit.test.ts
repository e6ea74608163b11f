import { describe, expect, it } from 'vitest';
import { commandFlag, parseMount, repoFileAt } from './repo-files.ts';
import { compose, files, listenPorts, service, tempo } from './stack.ts';

const tempoService = service('tempo');
const dataMount = (tempoService.volumes ?? []).map(parseMount).find((mount) => mount.target === '/var/tempo');

describe('Tempo configuration', () => {
  it('runs the pinned image with this file as its config', () => {
    expect(tempoService.image).toMatch(/^grafana\/tempo:\d+\.\d+\.\d+$/);
    const configPath = commandFlag(tempoService, '-config.file');
    expect(configPath && repoFileAt(tempoService, configPath)).toBe(files.tempo);
  });

  it('stores traces locally, in a named volume the tempo user owns', () => {
    // A named volume copies the image's /var/tempo, owned by uid 10001; a bind mount would be root's.
    expect(dataMount?.kind).toBe('volume');
    expect(tempo.storage.trace.backend).toBe('local');
    const paths = [tempo.storage.trace.wal?.path, tempo.storage.trace.local?.path, tempo.metrics_generator?.storage?.path];
    for (const path of paths) expect(path, 'a path in the data volume').toMatch(/^\/var\/tempo\//);
  });

  it('accepts OTLP gRPC from the other containers', () => {
    expect(tempo.distributor.receivers.otlp?.protocols?.grpc?.endpoint).toBe('0.0.0.0:4317');
  });

  it('generates service-graph and span metrics', () => {
    expect(tempo.overrides?.defaults?.metrics_generator?.processors?.sort()).toEqual(['service-graphs', 'span-metrics']);
  });

  it("remote-writes them, with exemplars, to the prometheus service's remote-write receiver", () => {
    const targets = tempo.metrics_generator?.storage?.remote_write ?? [];
    expect(targets.length).toBe(1);
    for (const { url, send_exemplars } of targets) {
      const parsed = new URL(url);
      expect(Object.keys(compose.services)).toContain(parsed.hostname);
      expect(parsed.hostname).toBe('prometheus');
      expect(listenPorts()['prometheus']).toContain(Number(parsed.port));
      expect(parsed.pathname).toBe('/api/v1/write');
      expect(send_exemplars).toBe(true);
    }
    expect(service('prometheus').command).toEqual(expect.arrayContaining(['--web.enable-remote-write-receiver', '--enable-feature=exemplar-storage']));
  });
});
