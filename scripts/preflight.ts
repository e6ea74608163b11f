// Run by `npm start` and `npm run dev` before the services: says which server is missing and how
// to start it, instead of letting three services fail with connection errors.
import { connect } from 'node:net';
import { loadToolEnvironment } from '@warren/service/environment';

// The servers to check are named by the same settings the services read, `.env` included.
loadToolEnvironment();

interface Dependency {
  name: string;
  url: string;
  defaultPort: number;
  howToStart: string;
}

const dependencies: Dependency[] = [
  {
    name: 'PostgreSQL',
    url: process.env['DATABASE_ADMIN_URL'] || process.env['DATABASE_URL'] || 'postgres://127.0.0.1:5432',
    defaultPort: 5432,
    howToStart: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose up -d postgres)',
  },
  {
    name: 'RabbitMQ',
    url: process.env['AMQP_URL'] || 'amqp://127.0.0.1:5672',
    defaultPort: 5672,
    howToStart: 'rabbitmq-server -detached   (or: docker compose up -d rabbitmq)',
  },
];

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Node ${process.versions.node} is too old: Warren needs Node 22.18 or newer (24 LTS recommended). See the README's set-up.`);
  process.exit(1);
}

let missing = 0;
for (const dependency of dependencies) {
  const url = new URL(dependency.url);
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || dependency.defaultPort);
  if (!(await reachable(host, port))) {
    missing += 1;
    console.error(`${dependency.name} is not reachable at ${host}:${port}. Start it with:\n  ${dependency.howToStart}`);
  }
}
if (missing > 0) process.exit(1);
