/**
 * A named point on a failure path where a crash test may end the process: relay, inbox, consumer
 * and HTTP factories take one as an option (`failpoint`) and call it at each point; production
 * code passes none.
 */
export type Failpoint = (name: string, key?: string) => void;

/**
 * A failpoint armed at `armed`: a point name (`relay.after-claim`) or a point and key
 * (`consumer.before-handle:<message id>`). The process kills itself with SIGKILL there (no cleanup,
 * no flush), exactly as a crash or `kill -9` would; the first `after - 1` matching hits pass, so a
 * crash can land mid-stream.
 */
export function armedFailpoint(armed: string, after = 1): Failpoint {
  let hits = 0;
  return (name, key) => {
    if (armed !== name && (key === undefined || armed !== `${name}:${key}`)) return;
    hits += 1;
    if (hits >= after) process.kill(process.pid, 'SIGKILL');
  };
}
