#!/usr/bin/env bash
# One database per Warren service, owned by "<service>_owner" (migrations run as it), used at
# run time by "<service>", which may only read and write rows. See ../README.md for the model.
#
# The postgres image runs this once, on a fresh data directory (/docker-entrypoint-initdb.d).
# It is idempotent, so it can also be re-run by hand against a live server:
#   PGHOST=127.0.0.1 PGUSER=postgres infra/postgres/init/01-warren-roles.sh
#
# Environment:
#   WARREN_SERVICES           services to provision (default "catalog inventory audit console")
#   <SERVICE>_OWNER_PASSWORD  password of <service>_owner (default "<service>_owner")
#   <SERVICE>_PASSWORD        password of <service> (default "<service>")
#   PGHOST, PGPORT, PGUSER    admin connection (PGUSER defaults to POSTGRES_USER, then postgres)
#
# Deliberately no `set -u` and no `exit`: the image sources (rather than runs) a script that has
# lost its executable bit, and both would then leak into its entrypoint.
set -Eeo pipefail

export PGUSER="${PGUSER:-${POSTGRES_USER:-postgres}}"

warren_psql() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --output=/dev/null "$@"
}

# <service> -> the value of the environment variable <SERVICE><suffix>, or <fallback>.
warren_env_password() {
  local variable
  variable="$(printf '%s%s' "$1" "$2" | tr '[:lower:]' '[:upper:]' | tr -c 'A-Z0-9_' '_')"
  printf '%s' "${!variable:-$3}"
}

warren_provision() {
  local service=$1
  local owner="${service}_owner"
  if [[ ! "$service" =~ ^[a-z_][a-z0-9_]{0,50}$ ]]; then
    echo "01-warren-roles: '$service' is not a lower-case identifier (letters, digits, underscore)" >&2
    return 1
  fi
  local vars=(
    -v "db=$service"
    -v "role=$service"
    -v "owner=$owner"
    -v "role_password=$(warren_env_password "$service" _PASSWORD "$service")"
    -v "owner_password=$(warren_env_password "$service" _OWNER_PASSWORD "$owner")"
  )

  # Roles and the database. CREATE DATABASE cannot run in a transaction, hence \gexec; the
  # advisory lock is the one the services take when they provision themselves in development.
  warren_psql "${vars[@]}" --dbname postgres <<'SQL'
SELECT pg_advisory_lock(hashtext('warren:provision:' || :'db'));
SELECT format('CREATE ROLE %I', :'owner') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
ALTER ROLE :"owner" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'role_password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"role";
SQL

  # Inside the database: the owner owns the schemas; tables it creates later are DML-only for
  # the runtime role; the migrations tables in `drizzle` (the app's and the outbox and http
  # packages' own) are readable (readiness counts the applied migrations).
  warren_psql "${vars[@]}" --dbname "$service" --single-transaction <<'SQL'
SET client_min_messages = warning;
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"role";
CREATE SCHEMA IF NOT EXISTS drizzle AUTHORIZATION :"owner";
ALTER SCHEMA drizzle OWNER TO :"owner";
GRANT USAGE ON SCHEMA drizzle TO :"role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA drizzle GRANT SELECT ON TABLES TO :"role";
SQL

  echo "01-warren-roles: database $service ready (owner $owner, runtime role $service)"
}

for warren_service in ${WARREN_SERVICES:-catalog inventory audit console}; do
  warren_provision "$warren_service"
done
