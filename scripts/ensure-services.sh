#!/usr/bin/env bash
# Makes sure the local PostgreSQL and RabbitMQ are up (starting them the way this machine's
# packages do when they are not). RabbitMQ keeps the plugins it has: the tests make their vhosts
# through rabbitmqctl when the management API is off, so CI runs the stock path.
set -euo pipefail

wait_for() { # description, command...
  local description=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$description did not come up" >&2
  return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  echo "starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
fi
wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432

if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
  echo "starting RabbitMQ" >&2
  rabbitmq-server -detached
fi
wait_for RabbitMQ rabbitmq-diagnostics -q check_running
# The tests administer the broker through rabbitmqctl unless a management API answers.
wait_for "rabbitmqctl" rabbitmqctl -q list_vhosts name
echo "PostgreSQL $(psql -h 127.0.0.1 -U postgres -Atc 'show server_version') and RabbitMQ $(rabbitmqctl -q version) are up" >&2
