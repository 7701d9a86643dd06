#!/bin/sh
# A throwaway PostgreSQL server for tests, in a temporary folder, on loopback and a unix socket.
#   scripts/postgres-test-server.sh start      prints "URL FOLDER" (superuser newsfuse, trust auth)
#   scripts/postgres-test-server.sh stop FOLDER
# PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
set -eu
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ ! -x "$bindir/initdb" ]; then
    echo "no PostgreSQL server binaries (install Debian's postgresql: make postgres)" >&2
    exit 3
fi
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
start)
    folder=$(mktemp -d /tmp/newsfuse-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres "$folder"; fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/initdb" -D "$folder/data" -A trust -U newsfuse --no-sync -E UTF8 --locale=C.UTF-8 >"$folder/initdb.log"
    as_owner "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $folder -c fsync=off -c synchronous_commit=off" start >/dev/null
    echo "postgresql://newsfuse@127.0.0.1:$port/postgres $folder"
    ;;
stop)
    as_owner "$bindir/pg_ctl" -D "$2/data" -m immediate stop >/dev/null || true
    rm -rf "$2"
    ;;
*)
    echo "usage: $0 start | stop FOLDER" >&2
    exit 2
    ;;
esac
