import { execFileSync, spawnSync } from 'node:child_process';

/** Where the Prometheus server and promtool were found. */
export interface PrometheusTools {
  prometheus: string;
  promtool: string;
}

const installHint = "promtool and prometheus are missing: install Debian's `prometheus` package (apt-get install prometheus) or put both on PATH";

function which(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
}

function find(): PrometheusTools | undefined {
  const prometheus = which('prometheus');
  const promtool = which('promtool');
  return prometheus && promtool ? { prometheus, promtool } : undefined;
}

/**
 * Finds `prometheus` and `promtool` on PATH. When they are missing and this process runs as root
 * on a Debian-like machine with apt, installs Debian's `prometheus` package once, quietly, without
 * letting its init scripts start a daemon (policy-rc.d answers 101) — nothing may hold port 9090
 * or 9100 after a test run. Throws one line saying what to install when that is not possible.
 */
export function ensurePrometheusTools(): PrometheusTools {
  const found = find();
  if (found) return found;
  if (process.getuid?.() !== 0 || !which('apt-get')) throw new Error(installHint);
  process.stderr.write("installing Debian's prometheus package for the Prometheus tests\n");
  const script = [
    'set -e',
    // Keep the package's init scripts from starting the prometheus and node-exporter daemons.
    'restore=""; if [ ! -e /usr/sbin/policy-rc.d ]; then printf "#!/bin/sh\\nexit 101\\n" > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; restore=1; fi',
    'trap \'[ -n "$restore" ] && rm -f /usr/sbin/policy-rc.d\' EXIT',
    'apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1; }',
  ].join('\n');
  try {
    execFileSync('sh', ['-c', script], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    throw new Error(`${installHint} (apt-get install failed)`);
  }
  const installed = find();
  if (!installed) throw new Error(installHint);
  return installed;
}
