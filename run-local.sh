#!/usr/bin/env bash
# Runs the whole Millrace platform on this machine, without Docker: an Apache Kafka broker
# (KRaft, in-process), the five services as separate JVMs, a webhook receiver and the
# telemetry simulator. Needs only a JDK 17; the first run builds the jars with the Maven wrapper.
# lakehouse-service writes its Delta tables under .millrace/lakehouse/ (bronze/, gold/).
#
#   ./run-local.sh                 build if sources changed, then start; Ctrl-C stops everything
#   ./run-local.sh --reset         wipe .millrace/ (data, tables and logs), then start
#   ./run-local.sh --clean         wipe .millrace/ and exit
#   ./run-local.sh --no-build      start from the jars as they are
#   ./run-local.sh --simulator.sensors=100 --topics.telemetry-raw.partitions=8
#                                  override settings (see local-platform/src/main/resources/local-platform.properties)
set -euo pipefail
cd "$(dirname "$0")"

data_dir=.millrace
build=auto
settings=()
for arg in "$@"; do
	case "$arg" in
		--clean) rm -rf "$data_dir"; echo "Removed $data_dir/ (broker data, lakehouse tables and logs)."; exit 0 ;;
		--reset) rm -rf "$data_dir"; echo "Removed $data_dir/; starting fresh." ;;
		--no-build) build=no ;;
		-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) settings+=("$arg") ;;
	esac
done

if ! command -v java >/dev/null 2>&1; then
	echo "Millrace needs a JDK 17 or later on the PATH (java not found)." >&2
	exit 1
fi

modules=(local-platform ingest-service processing-service serving-api alerting-service lakehouse-service)
jars=()
for module in "${modules[@]}"; do jars+=("$module/target/$module-exec.jar"); done

needs_build() {
	local jar oldest=""
	for jar in "${jars[@]}"; do
		[ -f "$jar" ] || return 0
		if [ -z "$oldest" ] || [ "$jar" -ot "$oldest" ]; then oldest=$jar; fi
	done
	# Any source or build file newer than the oldest jar means the jars are stale.
	# The shared modules the service jars are built from count too.
	[ -n "$(find pom.xml shared-model storage storage-azure streaming-runtime transport security telemetry-simulator \
		"${modules[@]}" -newer "$oldest" -type f \
		\( -name pom.xml -o -path '*/src/main/*' \) -print -quit 2>/dev/null)" ]
}

if [ "$build" = auto ] && needs_build; then
	echo "Building Millrace (first run, or sources changed) ..."
	./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true package -pl "$(IFS=,; echo "${modules[*]}")" -am
fi

mkdir -p "$data_dir/logs"
exec java -Dmillrace.home="$PWD" -jar local-platform/target/local-platform-exec.jar ${settings[@]+"${settings[@]}"}
