export { createEnvelope, envelopeOf, newEventId } from './envelope.ts';
export type { CreateEnvelopeInput } from './envelope.ts';
export type { ConsumedMessage, EventHeaders, HandlerResult, MessageHandler, Middleware, OutgoingMessage } from './message.ts';
export type { ConsumerObservation, ConsumerObserver } from './observer.ts';
export { DeliveryLimitError, PermanentError, PublishNackedError, UnroutableError } from './errors.ts';
export type { PublishOutcome, Publisher } from './publisher.ts';
export { bindingsOf, compose } from './consumer.ts';
export type { ConsumerDefinition } from './consumer.ts';
export { decodeDelivery } from './decode.ts';
export type { RawDelivery, ReadMode } from './decode.ts';
export { failureHeader } from './failure-headers.ts';
export { topologyFor } from './topology-for.ts';
export type { TopologyOptions } from './topology-for.ts';
export { assertSupportedVersion, connectBroker } from './amqp/connection.ts';
export type { BrokerConnection, BrokerConnectionOptions, BrokerState } from './amqp/connection.ts';
export { brokerDeliveryLimit, declareTopology, queueNames } from './amqp/topology.ts';
export type { QueueSpec, TopologyNotice, TopologySpec } from './amqp/topology.ts';
export type { ChannelSource } from './amqp/declare-queue.ts';
export { createConfirmSender } from './amqp/confirm-sender.ts';
export type { ConfirmSender } from './amqp/confirm-sender.ts';
export { createAmqpPublisher } from './amqp/publisher.ts';
export { eventProperties } from './event-properties.ts';
export type { AmqpPublisherOptions } from './amqp/publisher.ts';
export { amqpSubscriberTransport } from './amqp/subscriber.ts';
export { consumerPipeline, runConsumer } from './router.ts';
export type { ConsumerOptions } from './router.ts';
export { retryPolicy } from './retry-policy.ts';
export { backoffDelay, backoffs } from './backoff.ts';
export type { Backoff } from './backoff.ts';
export type { RetryDecision, RetryPolicy, RetryPolicyOptions } from './retry-policy.ts';
export type { Subscriber, SubscribeOptions, SubscriberTransport } from './transport.ts';
export { toDelivery } from './pipeline/delivery.ts';
export type {
  Delivery,
  DeliveryControl,
  DeliveryHandler,
  DeliveryMiddleware,
  MessageProperties,
  Settlement,
  SettlementResult,
  TransportMessage,
} from './pipeline/delivery.ts';
export type { DependencyGuard } from './middleware/pause-while-unavailable.ts';
export type { ConsumerFaults } from './middleware/fault-injection.ts';
