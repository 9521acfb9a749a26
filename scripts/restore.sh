#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an empty PostgreSQL database.
#
#   createdb -h HOST -U USER medborgarlofte_restored
#   DATABASE_URL=postgres://USER@HOST:5432/medborgarlofte_restored \
#     scripts/restore.sh medborgarlofte-2026-11-25T180000Z.dump
#
# Runs pg_restore (all or nothing) and then `manage.py migrate --check` to check that
# the app's code and the restored database match. See scripts/backup.sh for the steps
# and their options. PYTHON chooses the Python (default: the project's .venv).
set -euo pipefail

: "${DATABASE_URL:?Set DATABASE_URL to the empty database to restore into.}"
file="${1:?Usage: scripts/restore.sh FILE.dump}"
project="$(cd "$(dirname "$0")/.." && pwd)"

pg_restore --clean --if-exists --no-owner --no-privileges \
  --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$file"

if ! (cd "$project" && "${PYTHON:-$project/.venv/bin/python}" manage.py migrate --check); then
  echo "Restored, but the code has migrations the backup lacks: run manage.py migrate." >&2
  exit 1
fi
echo "Restored $file; the database matches the code."
