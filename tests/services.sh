#!/usr/bin/env bash
# The real services that `orbit audit`'s tests and the transfer example run against, on
# 127.0.0.1 only: a moto server (S3 and DynamoDB), a second moto server that checks credentials,
# and a MariaDB server with its own data directory.
#
#   bash tests/services.sh start            # install what is missing, start, write the env file
#   bash tests/services.sh stop             # stop them and remove their data
#   bash tests/services.sh run -- CMD ...   # start, run CMD with the endpoints set, stop
#
# The env file ($ORBIT_SERVICES_DIR/env, default target/services/env) exports AWS_ENDPOINT_URL,
# fake AWS credentials, AWS_EC2_METADATA_DISABLED=true, ORBIT_TEST_AUTH_ENDPOINT_URL and
# ORBIT_TEST_MYSQL_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${ORBIT_SERVICES_DIR:-$PWD/target/services}"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

install() {
  if ! command -v moto_server >/dev/null 2>&1; then
    echo "services: installing moto[server] (pip)" >&2
    python3 -m pip install --quiet 'moto[server]'
  fi
  if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
    echo "services: installing mariadb-server (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q mariadb-server >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && apt-get install -y -q mariadb-server >/dev/null; }
  fi
}

wait_http() { # url
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$1" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  echo "services: $1 did not answer" >&2
  return 1
}

start_moto() { # name port [env...]
  local name=$1 port=$2
  shift 2
  env "$@" moto_server -H 127.0.0.1 -p "$port" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
  wait_http "http://127.0.0.1:$port/moto-api/data.json"
}

start_mariadb() { # port
  local port=$1 server
  server=$(command -v mariadbd || command -v mysqld)
  mkdir -p "$dir/mariadb"
  (command -v mariadb-install-db || command -v mysql_install_db) >/dev/null
  "$(command -v mariadb-install-db || command -v mysql_install_db)" --no-defaults --user=root \
    --datadir="$dir/mariadb/data" --auth-root-authentication-method=socket \
    >"$dir/mariadb-install.log" 2>&1
  "$server" --no-defaults --user=root --datadir="$dir/mariadb/data" --port="$port" \
    --bind-address=127.0.0.1 --socket="$dir/mariadb/mysqld.sock" \
    --pid-file="$dir/mariadb/mysqld.pid" --log-error="$dir/mariadb.log" --skip-log-bin \
    >"$dir/mariadb.out" 2>&1 &
  echo $! >"$dir/mariadb.pid"
  local client
  client=$(command -v mariadb || command -v mysql)
  for _ in $(seq 1 150); do
    if "$client" --no-defaults --socket="$dir/mariadb/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
      "$client" --no-defaults --socket="$dir/mariadb/mysqld.sock" -uroot -e \
        "CREATE USER 'orbit'@'127.0.0.1' IDENTIFIED BY 'orbit-test'; GRANT ALL ON *.* TO 'orbit'@'127.0.0.1';"
      return 0
    fi
    sleep 0.2
  done
  echo "services: MariaDB did not start; see $dir/mariadb.log" >&2
  return 1
}

start() {
  stop
  install
  mkdir -p "$dir"
  local moto auth mysql
  moto=$(free_port)
  start_moto moto "$moto"
  auth=$(free_port)
  start_moto moto-auth "$auth" INITIAL_NO_AUTH_ACTION_COUNT=0
  mysql=$(free_port)
  start_mariadb "$mysql"
  cat >"$dir/env" <<EOF
export AWS_ENDPOINT_URL=http://127.0.0.1:$moto
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_SESSION_TOKEN=testing
export AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export ORBIT_TEST_AUTH_ENDPOINT_URL=http://127.0.0.1:$auth
export ORBIT_TEST_MYSQL_URL=mysql://orbit:orbit-test@127.0.0.1:$mysql
EOF
  echo "services: moto on 127.0.0.1:$moto (with credential checks on :$auth), MariaDB on 127.0.0.1:$mysql; endpoints in $dir/env" >&2
}

stop() {
  for name in moto moto-auth mariadb; do
    if [ -f "$dir/$name.pid" ]; then
      kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null || break
        sleep 0.1
      done
      rm -f "$dir/$name.pid"
    fi
  done
  rm -rf "$dir/mariadb" "$dir/env"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || { echo "usage: $0 run -- CMD ..." >&2; exit 2; }
    trap stop EXIT
    start
    # shellcheck disable=SC1091
    . "$dir/env"
    "$@"
    ;;
  *)
    echo "usage: $0 start|stop|run -- CMD ..." >&2
    exit 2
    ;;
esac
