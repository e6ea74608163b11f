// A relay in its own process, for crash tests: started by outbox.int.test.ts with
// WARREN_FAILPOINT set so that it SIGKILLs itself at the named point.
import postgres from 'postgres';
import { connectBroker, createAmqpPublisher } from '@warren/messaging';
import { createLogger } from '@warren/telemetry';
import { armedFailpoint } from '@warren/telemetry/failpoint';
import { startRelay } from '../src/relay.ts';

const logger = createLogger({ service: 'relay-process', level: 'warn' });
const client = postgres(process.env['DATABASE_URL'] ?? '', { onnotice: () => {} });
const broker = await connectBroker({ url: process.env['AMQP_URL'] ?? '', name: 'relay-process', logger, topology: { exchange: 'events', queues: [] } });
const publisher = createAmqpPublisher(broker, { exchange: 'events', logger });
const armed = process.env['WARREN_FAILPOINT'];
const relay = await startRelay({ client, publisher, logger, pollIntervalMs: 50, ...(armed ? { failpoint: armedFailpoint(armed) } : {}) });
process.on('SIGTERM', () => {
  void relay
    .close()
    .then(() => broker.close())
    .then(() => client.end())
    .then(() => process.exit(0));
});
