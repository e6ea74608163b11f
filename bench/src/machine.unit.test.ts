import { describe, expect, it } from 'vitest';
import { brokerVersionsOf } from './machine.ts';

describe('brokerVersionsOf', () => {
  it('reads RabbitMQ and Erlang versions from the server properties of the AMQP handshake', () => {
    expect(brokerVersionsOf({ product: 'RabbitMQ', version: '3.10.8', platform: 'Erlang/OTP 25.2.3' })).toEqual({ rabbitmq: '3.10.8', erlang: '25.2.3' });
  });

  it('says unknown for what the broker did not announce', () => {
    expect(brokerVersionsOf({ product: 'RabbitMQ' })).toEqual({ rabbitmq: 'unknown', erlang: 'unknown' });
  });
});
