#!/usr/bin/env bash
# Back up the Medborgarlöfte database (PostgreSQL) to one file.
#
#   DATABASE_URL=postgres://user:password@host:5432/medborgarlofte scripts/backup.sh [DIR]
#
# Writes DIR/medborgarlofte-<UTC date and time>.dump (DIR defaults to the current
# folder) with `pg_dump --format=custom`: every table, sequence, index and constraint
# of the database, compressed; and prints the file's path. The app may keep running:
# pg_dump reads one consistent snapshot. pg_dump's major version must be at least the
# server's (`pg_dump --version`; `SELECT version();`), or pg_dump refuses to run.
# DATABASE_URL is the app's own setting; libpq reads postgres:// and postgresql://
# addresses (not Django's aliases psql:// or pgsql://).
#
# Restore (scripts/restore.sh does these two steps):
#
#   1. Into an EMPTY database, e.g. `createdb -h HOST -U USER medborgarlofte_restored`:
#        pg_restore --clean --if-exists --no-owner --no-privileges \
#          --single-transaction --exit-on-error \
#          --dbname="postgres://USER@HOST:5432/medborgarlofte_restored" FILE.dump
#      --no-owner/--no-privileges: the tables belong to the user who restores, so the
#      dump can go to another server or role; --single-transaction with
#      --exit-on-error: all or nothing.
#   2. Check that the app's code and the restored database match:
#        DATABASE_URL=postgres://USER@HOST:5432/medborgarlofte_restored \
#          .venv/bin/python manage.py migrate --check
#      Exit status 0: nothing to migrate. Otherwise the code is newer than the backup:
#      run `manage.py migrate` (without --check) before pointing the app at it.
#
# Then point the app's DATABASE_URL at the restored database and restart it.
# Tested by staff/tests/test_backup_restore.py.
set -euo pipefail

: "${DATABASE_URL:?Set DATABASE_URL to the database to back up (postgres://...).}"
dir="${1:-.}"
file="$dir/medborgarlofte-$(date -u +%Y-%m-%dT%H%M%SZ).dump"

# Write to a temporary name first: a file with the final name is always complete.
pg_dump --format=custom --file="$file.partial" --dbname="$DATABASE_URL"
mv "$file.partial" "$file"
echo "$file"
