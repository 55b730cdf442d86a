#!/bin/bash
# The images' HEALTHCHECK: GET a health endpoint on the management port and succeed on 200.
# Plain bash (its /dev/tcp), so the image needs no curl or wget, and it costs a few
# milliseconds instead of a JVM start. Installed as /usr/local/bin/millrace-healthcheck.
#
#   millrace-healthcheck [path]    default path: $MILLRACE_HEALTHCHECK_PATH, else /actuator/health/liveness
#
# The port is $MANAGEMENT_SERVER_PORT (the image sets it to the service's management port;
# set that variable, not --management.server.port, to move the port and keep this check working).
set -u
port=${MANAGEMENT_SERVER_PORT:-9081}
path=${1:-${MILLRACE_HEALTHCHECK_PATH:-/actuator/health/liveness}}

if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
	echo "nothing listens on 127.0.0.1:$port"
	exit 1
fi
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nAccept: application/json\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
if ! IFS=' ' read -r -t 5 _ status _ <&3; then
	echo "no answer from 127.0.0.1:$port$path within 5 s"
	exit 1
fi
if [ "$status" = 200 ]; then
	echo "$path: 200"
	exit 0
fi
# The rest of the answer (the health JSON says which component is down), shortened.
body=
IFS= read -r -t 2 -d '' -n 2000 body <&3
body=${body//$'\r'/}
echo "$path answered ${status:-nothing}: ${body#*$'\n\n'}"
exit 1
