#!/bin/sh
# The container's entrypoint (level 1 of the defense): picks one of the
# implementations at random by weight and runs it, the way PID 1 of the
# paper's images did. Environment:
#   IMPLEMENTATIONS  "name:weight ..." (default "python:1 node:1 php:1")
#   SIGTERM_MODE     ignore (default: a shell as PID 1 does not act on SIGTERM;
#                    the process dies by SIGKILL at the end of the grace period),
#                    exit (SIGTERM is passed on: the application exits at once),
#                    drain (passed on as a graceful shutdown: stop accepting,
#                    finish the requests in flight; SIGKILL after DRAIN seconds)
#   DRAIN            seconds of drain (default 5)
#   IMPL_SEED        seed of the pick (default: from /dev/urandom)
#   PORT, LISTEN_HOST (default 127.0.0.1), SERVICE, DB_HOST, DB_PORT, DB_NAME,
#   DB_USER, DB_PASSWORD  passed to the application
#   PYTHON NODE PHP  interpreters (default /usr/bin/python3, node, php)
set -u
here=$(cd "$(dirname "$0")" && pwd)
seed=${IMPL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
impl=$(echo "${IMPLEMENTATIONS:-python:1 node:1 php:1}" | awk -v seed="$seed" '{
  srand(seed); total = 0
  for (i = 1; i <= NF; i++) { split($i, p, ":"); name[i] = p[1]; w[i] = (p[2] == "" ? 1 : p[2]) + 0; total += w[i] }
  x = rand() * total
  for (i = 1; i <= NF; i++) { x -= w[i]; if (x < 0 || i == NF) { print name[i]; exit } }
}')
echo "implementation $impl"
export SIGTERM_MODE=${SIGTERM_MODE:-ignore}
case "$SIGTERM_MODE" in
  ignore) trap '' TERM ;;
  exit | drain) trap 'kill -TERM "$child" 2>/dev/null; [ "$SIGTERM_MODE" = drain ] && { sleep "${DRAIN:-5}"; kill -KILL "$child" 2>/dev/null; } &' TERM ;;
  *) echo "entrypoint: SIGTERM_MODE must be ignore, exit or drain, not $SIGTERM_MODE" >&2; exit 2 ;;
esac
case "$impl" in
  python) "${PYTHON:-/usr/bin/python3}" "$here/app.py" & ;;
  node) NODE_PATH=${NODE_PATH:-/usr/share/nodejs} "${NODE:-node}" "$here/app.cjs" & ;;
  php) PHP_CLI_SERVER_WORKERS=${PHP_CLI_SERVER_WORKERS:-4} "${PHP:-php}" -S "${LISTEN_HOST:-127.0.0.1}:$PORT" "$here/app.php" >/dev/null 2>&1 & ;;
  *) echo "entrypoint: unknown implementation $impl" >&2; exit 2 ;;
esac
child=$!
# wait returns early when a trapped signal arrives: wait until the child is gone.
status=0
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
exit "$status"
