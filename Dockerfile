# syntax=docker/dockerfile:1
# One image per Warren service:
#   docker build --build-arg SERVICE=catalog --build-arg PORT=3001 -t warren-catalog .
# The services run their TypeScript directly (Node 24 type stripping): there is no compile step.

FROM node:24.21.0-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Every package.json of the workspaces plus the lockfile and the dependency patches, and nothing
# else: the install below is then cached until one of them changes, not whenever a source does.
FROM base AS manifests
COPY . /context
RUN cd /context \
 && find . -name node_modules -prune -o -name package.json -print \
      | xargs -I{} cp --parents {} /app/ \
 && cp package-lock.json /app/ \
 && cp -r patches /app/

# Production dependencies of the whole workspace (workspace packages are linked, not copied).
# No install scripts: nothing the services need at run time builds native code. The patches of
# patches/ are applied as the root postinstall would (patch-package is a production dependency of
# the root for this), failing the build when one no longer applies.
FROM base AS deps
COPY --from=manifests /app/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts \
 && node_modules/.bin/patch-package --error-on-fail

FROM base AS runtime
ARG SERVICE
ARG PORT=3001
RUN test -n "$SERVICE" || { echo 'build with --build-arg SERVICE=catalog|inventory|audit|console' >&2; exit 1; }
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    PORT=${PORT}
COPY --from=deps /app/ ./
COPY contracts ./contracts
COPY packages ./packages
COPY apps/${SERVICE} ./apps/${SERVICE}
RUN test -f "apps/$SERVICE/src/main.ts" || { echo "no apps/$SERVICE/src/main.ts" >&2; exit 1; }

# The files stay root-owned and read-only to the process.
USER node
# The working directory of the workspace's own `npm start`, so relative paths resolve the same.
WORKDIR /app/apps/${SERVICE}
EXPOSE ${PORT}
# Slim images have no curl: probe with the fetch built into node.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and receives SIGTERM itself; src/main.ts drains and exits.
# The same preloads as `npm start`: the environment first, then OpenTelemetry.
CMD ["node", "--disable-warning=ExperimentalWarning", "--import", "@warren/service/register", "--import", "@warren/telemetry/register", "src/main.ts"]
