# Sourced by .ci/run: starts a throwaway PostgreSQL for the router's PostgreSQL tests and exports
# DEFER4J_TEST_PG_URL (a JDBC URL) and DEFER4J_TEST_PG_REQUIRED=1, so that those tests fail rather
# than skip when it is missing. Installs Debian's postgresql when absent (as root). PostgreSQL
# refuses to run as root, so as root the cluster belongs to the user postgres. The cluster is
# stopped and removed when the calling shell exits.
defer4j_pg_port="${DEFER4J_PG_PORT:-54329}"
defer4j_pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$defer4j_pg_bin" ] || [ ! -x "$defer4j_pg_bin/initdb" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "ci: installing postgresql" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    defer4j_pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  else
    echo "ci: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
    return 1
  fi
fi
defer4j_pg_data="$(mktemp -d /tmp/defer4j-pg.XXXXXX)"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$defer4j_pg_data"
  defer4j_pg_as() { su postgres -s /bin/sh -c "$*"; }
else
  defer4j_pg_as() { sh -c "$*"; }
fi
defer4j_pg_as "'$defer4j_pg_bin/initdb' -D '$defer4j_pg_data' -A trust -U postgres -E UTF8 >/dev/null"
defer4j_pg_as "'$defer4j_pg_bin/pg_ctl' -D '$defer4j_pg_data' -l '$defer4j_pg_data/log' -w -o \"-p $defer4j_pg_port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300\" start >/dev/null"
defer4j_pg_stop() {
  defer4j_pg_as "'$defer4j_pg_bin/pg_ctl' -D '$defer4j_pg_data' -m fast stop >/dev/null" || true
  rm -rf "$defer4j_pg_data"
}
trap defer4j_pg_stop EXIT
export DEFER4J_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$defer4j_pg_port/postgres?user=postgres"
export DEFER4J_TEST_PG_REQUIRED=1
echo "ci: PostgreSQL $("$defer4j_pg_bin/postgres" --version | awk '{print $3}') on port $defer4j_pg_port" >&2
