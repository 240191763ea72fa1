#!/bin/sh
# Runs once, when the postgres image initialises an empty volume (/docker-entrypoint-initdb.d, mounted by
# docker-compose.yml). Creates the application role RINGO_DB_USER: it can log in and create databases (the
# backup restore test uses a scratch database), is not a superuser, cannot create roles, and owns
# POSTGRES_DB and its public schema, which is all the migrations need (btree_gist is a trusted extension).
# The password comes from the environment through psql's \getenv, never from a command line.
#
# Outside the image (CI): PGHOST/PGPORT point psql at the server; POSTGRES_USER is a superuser.
set -eu
: "${RINGO_DB_USER:?RINGO_DB_USER is required}"
: "${RINGO_DB_PASSWORD:?RINGO_DB_PASSWORD is required}"
: "${POSTGRES_DB:?POSTGRES_DB is required}"
if [ "$RINGO_DB_USER" = "${POSTGRES_USER:-postgres}" ]; then
    echo "10-ringo-role.sh: RINGO_DB_USER must differ from the superuser POSTGRES_USER" >&2
    exit 1
fi
export RINGO_DB_USER RINGO_DB_PASSWORD POSTGRES_DB

psql -v ON_ERROR_STOP=1 --quiet --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
\getenv app_role RINGO_DB_USER
\getenv app_password RINGO_DB_PASSWORD
\getenv app_db POSTGRES_DB
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') AS role_missing \gset
\if :role_missing
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';
\else
ALTER ROLE :"app_role" LOGIN PASSWORD :'app_password';
\endif
ALTER ROLE :"app_role" NOSUPERUSER NOCREATEROLE CREATEDB NOREPLICATION NOBYPASSRLS;
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'app_db') AS db_missing \gset
\if :db_missing
CREATE DATABASE :"app_db";
\endif
ALTER DATABASE :"app_db" OWNER TO :"app_role";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"app_db" TO :"app_role";
\connect :"app_db"
ALTER SCHEMA public OWNER TO :"app_role";
SQL
echo "10-ringo-role.sh: role $RINGO_DB_USER owns database $POSTGRES_DB"
