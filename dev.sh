#!/usr/bin/env bash
# UPR Hub developer entry point.
#   ./dev.sh serve   install (into .venv) and start the app on http://localhost:8000/
#   ./dev.sh test    install what the tests need and run the whole suite (SQLite, then PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")"

find_python() {
  # Django 6 needs Python ≥ 3.12; prefer one on PATH, then pyenv's.
  for candidate in python3.13 python3.12 python3 \
      "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
      /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  echo "UPR Hub needs Python 3.12 or newer; none was found." >&2
  return 1
}

install() {
  local extra="$1"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    rm -rf .venv
    "$(find_python)" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
}

# Browser tests drive Debian's Chromium; PDF export (WeasyPrint) needs Pango and fonts.
DEBIAN_TEST_PACKAGES="chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core"

install_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for pkg in $DEBIAN_TEST_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages for the tests: ${missing[*]}…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages (browser/PDF tests will skip): ${missing[*]}" >&2
  fi
}

postgres_up() {
  if command -v pg_isready >/dev/null 2>&1; then pg_isready -q -h 127.0.0.1 -p 5432; else
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; fi
}

start_postgres() {
  if ! postgres_up && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting the local PostgreSQL cluster…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 20); do postgres_up && break; sleep 0.5; done
  fi
}

cmd_serve() {
  install ""
  exec .venv/bin/uprhub serve "$@"
}

cmd_test() {
  install "[test,semantic]"
  install_debian_packages
  start_postgres
  local py=.venv/bin/python
  echo "== ruff"
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  echo "== migrations are up to date"
  UPRHUB_DATA_DIR="$(mktemp -d)" $py manage.py makemigrations --check --dry-run
  echo "== types (mypy: services, selectors, search layer)"
  .venv/bin/mypy
  echo "== floors (import-linter: the contracts in pyproject.toml)"
  .venv/bin/lint-imports --no-cache
  # One pytest worker per core (pytest-django gives each its own test database); a file stays
  # on one worker so module fixtures (a first-run data directory, a trained model) run once.
  local parallel=(-n "${UPRHUB_TEST_WORKERS:-$(nproc 2>/dev/null || echo 2)}" --dist loadfile)
  echo "== test suite on SQLite"
  $py -m pytest "${parallel[@]}" "$@"
  local pg_url="${UPRHUB_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
  if postgres_up; then
    echo "== test suite on PostgreSQL ($pg_url)"
    DATABASE_URL="$pg_url" $py -m pytest "${parallel[@]}" "$@"
  elif [ -n "${CI:-}" ]; then
    echo "PostgreSQL is not reachable on 127.0.0.1:5432 and CI is set: failing." >&2
    exit 1
  else
    echo "== PostgreSQL run SKIPPED: no server on 127.0.0.1:5432 (start one to run it)"
  fi
}

case "${1:-}" in
  serve) shift; cmd_serve "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: ./dev.sh serve | ./dev.sh test [pytest args]" >&2; exit 2 ;;
esac
