import { readRepoYaml } from './repo-files.ts';
import { files } from './stack.ts';

/**
 * Scrape-config keys that Prometheus 3 knows and 2.42 (Debian's promtool) rejects as unknown
 * fields. prometheus.unit.test.ts checks their values; everything else is checked by promtool.
 */
export const prometheus3OnlyKeys = ['fallback_scrape_protocol'] as const;

/** The scrape protocols Prometheus 3.5 accepts in `fallback_scrape_protocol`. */
export const scrapeProtocols = ['PrometheusProto', 'OpenMetricsText0.0.1', 'OpenMetricsText1.0.0', 'PrometheusText0.0.4', 'PrometheusText1.0.0'];

type Job = Record<string, unknown>;

/**
 * prometheus.yml as Prometheus 2.42 can load it: the 3.x-only keys taken out of every scrape job
 * (the names taken out are returned) and `rule_files` pointing at `alertsPath`.
 */
export function prometheusConfigFor242(alertsPath: string): { config: Record<string, unknown>; removed: string[] } {
  const config = readRepoYaml<{ rule_files?: string[]; scrape_configs: Job[] } & Record<string, unknown>>(files.prometheus);
  const removed = new Set<string>();
  const jobs = config.scrape_configs.map((job) =>
    Object.fromEntries(
      Object.entries(job).filter(([key]) => {
        const known = !(prometheus3OnlyKeys as readonly string[]).includes(key);
        if (!known) removed.add(key);
        return known;
      }),
    ),
  );
  return { config: { ...config, rule_files: [alertsPath], scrape_configs: jobs }, removed: [...removed] };
}
