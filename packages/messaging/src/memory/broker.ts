import { UnroutableError } from '../errors.ts';
import { eventProperties } from '../event-properties.ts';
import { brokerDeliveryLimit, queueNames, type TopologySpec } from '../amqp/topology.ts';
import { settlementOf, toDelivery, type DeliveryControl, type DeliveryHandler, type MessageProperties, type TransportMessage } from '../pipeline/delivery.ts';
import type { Publisher, PublishOutcome } from '../publisher.ts';
import type { SubscribeOptions, Subscriber, SubscriberTransport } from '../transport.ts';
import { bindingMatches } from '@warren/contracts';

interface StoredMessage {
  content: Buffer;
  exchange: string;
  routingKey: string;
  properties: MessageProperties;
  /** Times the message went back to its queue unsettled (`x-delivery-count`). */
  returns: number;
  timer?: NodeJS.Timeout;
}

interface MemoryConsumer {
  prefetch: number;
  unsettled: number;
  active: boolean;
  /** Bumped by `crash()`: a settlement from an earlier generation is ignored (its channel is gone). */
  generation: number;
  deliver(message: TransportMessage, settle: (action: 'ack' | 'requeue') => void): void;
}

interface MemoryQueue {
  name: string;
  ready: StoredMessage[];
  /** Messages returned unsettled; handed out before `ready`, in the order they came back. */
  returned: StoredMessage[];
  bindings: string[];
  /** Where a message goes when it dies here (delivery limit, or a delay that ended). */
  deadLetter?: { exchange: string; routingKey: string; queue: string };
  deliveryLimit?: number;
  /** A delay queue: a message leaves when its `expiration` ends. */
  delay: boolean;
  consumers: MemoryConsumer[];
  /** Deliveries handed out and not settled yet, with the consumer that holds them. */
  unsettled: Set<{ message: StoredMessage; consumer: MemoryConsumer }>;
  pumping: boolean;
}

/**
 * A broker in memory with the semantics Warren relies on from RabbitMQ: a topic exchange and the
 * default exchange, `mandatory` publishes (unroutable ones fail), confirms (a publish resolves once
 * the message is queued), quorum queues that hand returned deliveries out first and count them in
 * `x-delivery-count`, a broker-side delivery limit that dead-letters, delay queues whose messages
 * flow back to the work queue when their `expiration` ends, prefetch, and redelivery of every
 * unsettled delivery when a consumer's connection is lost (`crash`). It implements the same
 * publisher and subscriber ports as the RabbitMQ transport and passes the same contract suite
 * (transport.contract.ts), so a handler can be tested with the real consumer pipeline and no broker.
 */
export interface MemoryBroker {
  /** Declares the exchange and every queue of `spec`, as `declareTopology` does on RabbitMQ. */
  declare(spec: TopologySpec): void;
  /** Publishes events to the topic exchange `exchange` (declared by `declare`). */
  publisher(exchange: string): Publisher;
  readonly transport: SubscriberTransport;
  /** Sends to one queue through the default exchange, as `warren dlq replay` does. */
  sendToQueue(queue: string, content: Buffer, properties?: MessageProperties): Promise<void>;
  /** Takes every message waiting in `queue` (not those handed to a consumer). */
  take(queue: string): TransportMessage[];
  /** Messages waiting in `queue` plus those handed out and not settled. */
  depth(queue: string): number;
  /** Drops every consumer's connection: unsettled deliveries go back to their queues, redelivered. */
  crash(): void;
  /** Stops the delay timers. */
  close(): void;
}

function transportMessage(message: StoredMessage, redelivered: boolean): TransportMessage {
  const headers = { ...message.properties.headers, ...(message.returns > 0 ? { 'x-delivery-count': message.returns } : {}) };
  return { content: message.content, fields: { exchange: message.exchange, routingKey: message.routingKey, redelivered }, properties: { ...message.properties, headers } };
}

export function createMemoryBroker(): MemoryBroker {
  const queues = new Map<string, MemoryQueue>();
  const exchanges = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();

  function queueNamed(name: string): MemoryQueue {
    const queue = queues.get(name);
    if (!queue) throw new Error(`no queue ${name}`);
    return queue;
  }

  function addQueue(name: string, options: Partial<Pick<MemoryQueue, 'deadLetter' | 'deliveryLimit' | 'delay'>> = {}): MemoryQueue {
    const existing = queues.get(name);
    if (existing) return existing;
    const queue: MemoryQueue = { name, ready: [], returned: [], bindings: [], delay: false, consumers: [], unsettled: new Set(), pumping: false, ...options };
    queues.set(name, queue);
    return queue;
  }

  function enqueue(queue: MemoryQueue, message: StoredMessage): void {
    queue.ready.push(message);
    const expiration = message.properties.expiration;
    if (queue.delay && expiration !== undefined) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        const index = queue.ready.indexOf(message);
        if (index < 0) return;
        queue.ready.splice(index, 1);
        deadLetter(queue, message, 'expired');
      }, Number(expiration));
      timer.unref();
      timers.add(timer);
    }
    schedule(queue);
  }

  /** Moves a message out of `queue` to its dead-letter target, recording why in `x-death`. */
  function deadLetter(queue: MemoryQueue, message: StoredMessage, reason: 'expired' | 'delivery_limit'): void {
    const target = queue.deadLetter;
    if (!target) return;
    const { expiration: _expired, ...properties } = message.properties;
    const death = { queue: queue.name, reason, count: 1, exchange: message.exchange, 'routing-keys': [message.routingKey] };
    enqueue(queueNamed(target.queue), {
      content: message.content,
      exchange: target.exchange,
      routingKey: target.routingKey,
      properties: { ...properties, headers: { ...properties.headers, 'x-death': [death] } },
      returns: 0,
    });
  }

  /** A delivery came back unsettled: first in line again, or dead-lettered past the queue's limit. */
  function giveBack(queue: MemoryQueue, message: StoredMessage): void {
    message.returns += 1;
    if (queue.deliveryLimit !== undefined && message.returns > queue.deliveryLimit) deadLetter(queue, message, 'delivery_limit');
    else queue.returned.push(message);
    schedule(queue);
  }

  function schedule(queue: MemoryQueue): void {
    if (queue.pumping) return;
    queue.pumping = true;
    setImmediate(() => {
      queue.pumping = false;
      pump(queue);
    });
  }

  /** Hands waiting messages to consumers with room under their prefetch, round robin. */
  function pump(queue: MemoryQueue): void {
    let handed = true;
    while (handed) {
      handed = false;
      for (const consumer of [...queue.consumers]) {
        if (!consumer.active || consumer.unsettled >= consumer.prefetch) continue;
        const redelivered = queue.returned.length > 0;
        const message = redelivered ? queue.returned.shift() : queue.ready.shift();
        if (!message) return;
        handed = true;
        consumer.unsettled += 1;
        const entry = { message, consumer };
        queue.unsettled.add(entry);
        const generation = consumer.generation;
        let settled = false;
        consumer.deliver(transportMessage(message, redelivered || message.returns > 0), (action) => {
          if (settled || generation !== consumer.generation) return;
          settled = true;
          consumer.unsettled -= 1;
          queue.unsettled.delete(entry);
          if (action === 'requeue') giveBack(queue, message);
          schedule(queue);
        });
      }
    }
  }

  async function sendToQueue(name: string, content: Buffer, properties: MessageProperties = {}): Promise<void> {
    const queue = queues.get(name);
    if (!queue) throw new UnroutableError(`no queue ${name} for a message sent through the default exchange`);
    enqueue(queue, { content, exchange: '', routingKey: name, properties: { ...properties, headers: { ...properties.headers } }, returns: 0 });
  }

  const transport: SubscriberTransport = {
    async subscribe(name: string, pipeline: (control: DeliveryControl) => DeliveryHandler, { prefetch, logger }: SubscribeOptions): Promise<Subscriber> {
      const queue = queueNamed(name);
      const closed = new AbortController();
      const inFlight = new Set<Promise<void>>();
      let paused: Promise<void> | undefined;
      const consumer: MemoryConsumer = {
        prefetch,
        unsettled: 0,
        active: true,
        generation: 0,
        deliver(message, settle) {
          const work = settlementOf(handle, toDelivery(name, message), logger)
            .then((settlement) => settle(settlement.result === 'requeued' ? 'requeue' : 'ack'))
            .finally(() => inFlight.delete(work));
          inFlight.add(work);
        },
      };
      const handle = pipeline({
        send: (target, content, properties) => sendToQueue(target, content, properties),
        pause(resume) {
          if (paused || closed.signal.aborted) return;
          consumer.active = false;
          paused = (async () => {
            await resume(closed.signal);
            if (closed.signal.aborted) return;
            consumer.active = true;
            schedule(queue);
          })()
            .catch((error: unknown) => logger.error({ err: error }, 'cannot resume consumption'))
            .finally(() => (paused = undefined));
        },
      });
      queue.consumers.push(consumer);
      schedule(queue);
      return {
        queue: name,
        get consuming() {
          return consumer.active && !closed.signal.aborted;
        },
        async close() {
          closed.abort();
          consumer.active = false;
          queue.consumers = queue.consumers.filter((other) => other !== consumer);
          await paused;
          await Promise.allSettled([...inFlight]);
        },
      };
    },
  };

  return {
    declare({ exchange, queues: specs }) {
      exchanges.add(exchange);
      for (const spec of specs) {
        const deadLetterQueue = addQueue(queueNames.deadLetter(spec.queue));
        const work = addQueue(spec.queue, {
          deliveryLimit: spec.brokerDeliveryLimit ?? brokerDeliveryLimit,
          deadLetter: { exchange: queueNames.deadLetterExchange(exchange), routingKey: spec.queue, queue: deadLetterQueue.name },
        });
        for (const binding of spec.bindings) if (!work.bindings.includes(binding)) work.bindings.push(binding);
        for (const attempt of spec.retryDelaysMs.keys()) {
          addQueue(queueNames.retry(spec.queue, attempt + 1), { delay: true, deadLetter: { exchange: '', routingKey: spec.queue, queue: spec.queue } });
        }
      }
    },
    publisher(exchange) {
      return {
        async publish(messages) {
          if (!exchanges.has(exchange)) return messages.map((): PublishOutcome => ({ ok: false, error: new Error(`no exchange ${exchange}`) }));
          return messages.map((message): PublishOutcome => {
            const targets = [...queues.values()].filter((queue) => queue.bindings.some((binding) => bindingMatches(binding, message.routingKey)));
            if (targets.length === 0) return { ok: false, error: new UnroutableError(`no queue is bound for ${message.routingKey}`) };
            const content = Buffer.from(JSON.stringify(message.envelope));
            for (const queue of targets) enqueue(queue, { content, exchange, routingKey: message.routingKey, properties: eventProperties(message), returns: 0 });
            return { ok: true };
          });
        },
        close: async () => undefined,
      };
    },
    transport,
    sendToQueue,
    take(name) {
      const queue = queueNamed(name);
      const waiting = [...queue.returned, ...queue.ready];
      queue.returned = [];
      queue.ready = [];
      return waiting.map((message) => transportMessage(message, message.returns > 0));
    },
    depth(name) {
      const queue = queueNamed(name);
      return queue.returned.length + queue.ready.length + queue.unsettled.size;
    },
    crash() {
      for (const queue of queues.values()) {
        const lost = [...queue.unsettled];
        queue.unsettled.clear();
        for (const { message, consumer } of lost) {
          consumer.unsettled = 0;
          giveBack(queue, message);
        }
        for (const consumer of queue.consumers) {
          consumer.generation += 1;
          consumer.unsettled = 0;
        }
      }
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
