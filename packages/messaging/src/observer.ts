/** What a consumer reports about each delivery it settles (metrics). */
export interface ConsumerObservation {
  handler: string;
  result: 'applied' | 'duplicate' | 'retried' | 'dead_lettered' | 'requeued';
  /** Time spent on the delivery, from receipt to settlement. */
  seconds: number;
  /** Event timestamp to applied, for applied messages. */
  endToEndSeconds?: number;
  /** Trace of the delivery, for exemplars. */
  traceId?: string;
}

export interface ConsumerObserver {
  consumed(observation: ConsumerObservation): void;
  /**
   * Called once when a subscriber for `handler` starts, before any delivery: a metrics adapter
   * shows the handler's counters at 0, so a rate or increase sees its first delivery.
   */
  attached?(handler: string): void;
}
