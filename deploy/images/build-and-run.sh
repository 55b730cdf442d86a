#!/usr/bin/env bash
# Builds the container image of every service (each <module>/Dockerfile) with podman, checks that
# it ships its SBOM (/app/sbom.json, CycloneDX), then runs each image against a real Kafka broker
# until it is ready and serves millrace_ metrics, sends one event through ingest-service and sees
# processing-service consume and checkpoint it (and lakehouse-service commit it to its Bronze
# Delta table in the container's /data); then
# stops and removes the containers and the broker. No Docker daemon and no registry needed:
# the base image (Debian bookworm + openjdk-17-jre-headless) is made here with debootstrap,
# once, and kept. Needs root (rootful podman) and a JDK 17 for the broker. See docs/containers.md.
#
#   deploy/images/build-and-run.sh [options]
#     --no-build           do not run Maven: the exec jars must exist (the Maven profile passes this)
#     --version V          image tag (default: the project version in pom.xml)
#     --base-image IMAGE   build on IMAGE instead of the local base (for example eclipse-temurin:17-jre
#                          where a registry is reachable)
#     --rebuild-base       make the local base image again even if it exists
#     --services "a b"     only these modules (default: every module with a Dockerfile)
#     --timeout SECONDS    how long each container may take to be ready (default 300)
#     --memory SIZE        memory limit of each container (default 768m; the heap is 75% of it)
#     --jvm-options FLAGS  JVM flags added to the image's for every container (JDK_JAVA_OPTIONS);
#                          default -XX:TieredStopAtLevel=1, which starts the JVMs about 2.5x
#                          faster on 2 cores (as ./run-local.sh does); '' runs the images as shipped
#
# Environment: MAVEN_LOCK=<file> runs Maven under `flock <file>`; MILLRACE_DEBIAN_MIRROR
# (default http://deb.debian.org/debian); CONTAINERS_CONF (default deploy/images/containers.conf).
# Logs: target/images/ (image builds, broker, each container's output).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

BASE_NAME=localhost/millrace-base/openjdk-17-jre:bookworm
build_jars=auto
version=
base_image=
rebuild_base=false
only_services=
timeout=300
memory=768m
jvm_options=-XX:TieredStopAtLevel=1
while [ $# -gt 0 ]; do
	case "$1" in
		--no-build) build_jars=no ;;
		--version) version=$2; shift ;;
		--base-image) base_image=$2; shift ;;
		--rebuild-base) rebuild_base=true ;;
		--services) only_services=$2; shift ;;
		--timeout) timeout=$2; shift ;;
		--memory) memory=$2; shift ;;
		--jvm-options) jvm_options=$2; shift ;;
		-h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

# ---- output, timing, failure -------------------------------------------------------------
started_ms=$(date +%s%3N)
now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
timings=()
timing() { timings+=("$(printf '%-48s %7s s' "$1" "$2")"); }
fail() {
	printf '\nFAILED: %s\n' "$1" >&2
	if [ -n "${2:-}" ] && [ -f "$2" ]; then
		printf -- '--- last lines of %s ---\n' "$2" >&2
		tail -n "${3:-40}" "$2" >&2
		printf -- '---\n' >&2
	fi
	exit 1
}

logs=$repo/target/images
mkdir -p "$logs"

# One run at a time on a machine: the containers' names and the base image are shared.
exec 9>/tmp/millrace-images.lock
if ! flock -n 9; then
	echo "Another build-and-run.sh is running; waiting for it ..."
	flock 9
fi

# ---- tools -------------------------------------------------------------------------------
step "Tools"
[ "$(id -u)" -eq 0 ] || fail "run as root: podman runs rootful here (the containers use host networking)"
command -v java >/dev/null || fail "a JDK 17 is needed on the PATH (it runs the Kafka broker and Maven)"
# Installs the Debian packages of the commands that are missing (tool:package ...).
ensure_tools() {
	local tool missing=()
	for tool in "$@"; do
		command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
	done
	[ "${#missing[@]}" -gt 0 ] || return 0
	info "installing with apt: ${missing[*]}"
	local t
	t=$(now_ms)
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q "${missing[@]}" >>"$logs/apt.log" 2>&1 ||
		{ apt-get update -q >>"$logs/apt.log" 2>&1 && apt-get install -y -q "${missing[@]}" >>"$logs/apt.log" 2>&1; } ||
		fail "apt-get install ${missing[*]} failed" "$logs/apt.log"
	timing "apt-get install ${missing[*]}" "$(seconds_since "$t")"
}
ensure_tools podman:podman runc:runc curl:curl flock:util-linux sha256sum:coreutils
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
info "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
info "$(podman --version), runc $(runc --version | head -n 1 | awk '{print $3}'), CONTAINERS_CONF=$CONTAINERS_CONF"

# ---- services and version ----------------------------------------------------------------
services=()
if [ -n "$only_services" ]; then
	for service in $only_services; do
		[ -f "$service/Dockerfile" ] || fail "$service has no Dockerfile ($service/Dockerfile)"
		services+=("$service")
	done
else
	for dockerfile in */Dockerfile; do
		[ -f "$dockerfile" ] && services+=("$(dirname "$dockerfile")")
	done
fi
[ "${#services[@]}" -gt 0 ] || fail "no <module>/Dockerfile found"
if [ -z "$version" ]; then
	# The project version: the first <version> after millrace-parent's artifactId.
	version=$(sed -n '/<artifactId>millrace-parent<\/artifactId>/,$ s|.*<version>\(.*\)</version>.*|\1|p' pom.xml | head -n 1)
fi
[ -n "$version" ] || fail "could not read the project version from pom.xml (pass --version)"
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ "$revision" != unknown ] && ! git diff --quiet HEAD 2>/dev/null; then
	revision="$revision-dirty"
fi
source_url=$(git config --get remote.origin.url 2>/dev/null || true)
info "services: ${services[*]}; tag $version; revision $revision"

# ---- jars --------------------------------------------------------------------------------
step "Executable jars"
jars=(local-platform/target/local-platform-exec.jar)
for service in "${services[@]}"; do jars+=("$service/target/$service-exec.jar"); done
jars_need_build() {
	local jar oldest=
	for jar in "${jars[@]}"; do
		[ -f "$jar" ] || return 0
		if [ -z "$oldest" ] || [ "$jar" -ot "$oldest" ]; then oldest=$jar; fi
	done
	# A source or build file newer than the oldest jar: the jars are stale.
	[ -n "$(find pom.xml ./*/pom.xml ./*/src/main -newer "$oldest" -type f -print -quit 2>/dev/null)" ]
}
if [ "$build_jars" = auto ] && jars_need_build; then
	modules=$(IFS=,; echo "local-platform,${services[*]}")
	info "building $modules with Maven (missing or stale jars) ..."
	t=$(now_ms)
	maven=(./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true package -pl "$modules" -am)
	if [ -n "${MAVEN_LOCK:-}" ]; then maven=(flock "$MAVEN_LOCK" "${maven[@]}"); fi
	"${maven[@]}" >"$logs/maven.log" 2>&1 || fail "the Maven build failed" "$logs/maven.log" 60
	timing "Maven package (jars)" "$(seconds_since "$t")"
fi
for jar in "${jars[@]}"; do
	[ -f "$jar" ] || fail "$jar is missing (build it with ./mvnw -DskipTests package, or drop --no-build)"
	info "$jar ($(du -h "$jar" | cut -f1))"
done

# ---- base image --------------------------------------------------------------------------
step "Base image"
if [ -n "$base_image" ]; then
	info "using $base_image as given"
elif [ "$rebuild_base" = false ] && podman image exists "$BASE_NAME"; then
	base_image=$BASE_NAME
	info "$BASE_NAME exists ($(podman image inspect "$BASE_NAME" --format '{{.Size}}' | awk '{printf "%d MB", $1 / 1e6}')); --rebuild-base makes it again"
else
	base_image=$BASE_NAME
	ensure_tools debootstrap:debootstrap
	mirror=${MILLRACE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
	rootfs=$(mktemp -d /var/tmp/millrace-base-rootfs.XXXXXX)
	trap 'rm -rf "$rootfs"' EXIT
	info "debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm from $mirror (a few minutes) ..."
	t=$(now_ms)
	debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror" \
		>"$logs/debootstrap.log" 2>&1 || fail "debootstrap failed" "$logs/debootstrap.log"
	timing "debootstrap (base root file system)" "$(seconds_since "$t")"
	t=$(now_ms)
	# What a runtime image does not need: package caches, lists, documentation.
	rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
		"$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log
	java_home=$(readlink "$rootfs/etc/alternatives/java")
	java_home=${java_home%/bin/java}
	tar -C "$rootfs" -c . | podman import \
		--change 'ENV LANG=C.UTF-8' \
		--change "ENV JAVA_HOME=$java_home" \
		--change 'CMD ["/bin/bash"]' \
		--message "debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm" \
		- "$BASE_NAME" >"$logs/import.log" 2>&1 || fail "podman import of the base failed" "$logs/import.log"
	rm -rf "$rootfs"
	trap - EXIT
	timing "podman import (base image)" "$(seconds_since "$t")"
	info "made $BASE_NAME: $(podman run --rm "$BASE_NAME" java -version 2>&1 | head -n 1)"
fi

# ---- images ------------------------------------------------------------------------------
step "Images"
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# podman build, then remove the image the tag named before (with the cached layers only it used)
# when no other tag names it, so that rebuilding after every change does not fill the disk.
build_tagged() {
	local tag=$1 log=$2 previous current
	shift 2
	previous=$(podman image inspect "$tag" --format '{{.Id}}' 2>/dev/null || true)
	podman build --format docker -t "$tag" "$@" . >>"$log" 2>&1 || return 1
	current=$(podman image inspect "$tag" --format '{{.Id}}')
	if [ -n "$previous" ] && [ "$previous" != "$current" ] &&
		[ "$(podman image inspect "$previous" --format '{{len .RepoTags}}' 2>/dev/null)" = 0 ]; then
		podman rmi "$previous" >/dev/null 2>&1 || true
	fi
}
for service in "${services[@]}"; do
	image=millrace/$service:$version
	log=$logs/build-$service.log
	: >"$log"
	build_args=(-f "$service/Dockerfile" --build-arg BASE_IMAGE="$base_image")
	t=$(now_ms)
	# The first stage (the extracted jar) under a tag of its own: it stays cached for the next
	# build, and is removed like the image once a new jar replaces it.
	build_tagged "localhost/millrace-build/$service-layers:latest" "$log" "${build_args[@]}" --target layers ||
		fail "podman build of the first stage of $image failed" "$log"
	# The labels' values also as --label: buildah 1.28 reuses a cached LABEL step whose build
	# arguments changed (a new revision with the same jar kept the old revision label).
	labels=()
	for label in version:"$version" revision:"$revision" created:"$created" source:"$source_url"; do
		labels+=(--build-arg "$(tr '[:lower:]' '[:upper:]' <<<"${label%%:*}")=${label#*:}"
			--label "org.opencontainers.image.${label%%:*}=${label#*:}")
	done
	build_tagged "$image" "$log" "${build_args[@]}" "${labels[@]}" ||
		fail "podman build of $image failed" "$log"
	timing "podman build $service" "$(seconds_since "$t")"
	# The SBOM the build put into the jar, where the image promises it.
	sbom=$(podman run --rm --entrypoint cat "$image" /app/sbom.json 2>>"$log" | head -c 2048 || true)
	[[ "$sbom" == *'"bomFormat"'*'"CycloneDX"'* ]] || fail "$image has no CycloneDX SBOM at /app/sbom.json" "$log"
	info "$image $(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%d MB", $1 / 1e6}') ($(podman image inspect "$image" --format '{{.Id}}' | cut -c1-12))"
done

# ---- broker, containers, cleanup ---------------------------------------------------------
run_dir=$(mktemp -d /var/tmp/millrace-images-run.XXXXXX)
broker_pid=
containers=()
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	step "Cleanup"
	local name
	for name in "${containers[@]}"; do
		podman logs "$name" >"$logs/$name.log" 2>&1 || true
		podman rm -f -t 10 "$name" >/dev/null 2>&1 || true
		info "removed container $name (its output: target/images/$name.log)"
	done
	if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
		kill "$broker_pid" 2>/dev/null || true
		for _ in $(seq 1 60); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.5; done
		kill -9 "$broker_pid" 2>/dev/null || true
		info "stopped the Kafka broker"
	fi
	rm -rf "$run_dir"
	info "finished in $(seconds_since "$started_ms") s, exit code $status"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Containers of an earlier run that was killed before it could clean up.
for service in "${services[@]}"; do
	podman rm -f -t 5 "millrace-images-$service" >/dev/null 2>&1 || true
done

step "Kafka broker"
t=$(now_ms)
java -cp local-platform/target/local-platform-exec.jar -Dloader.main=io.millrace.local.KafkaBrokerMain \
	org.springframework.boot.loader.launch.PropertiesLauncher --kafka.port=0 >"$logs/broker.log" 2>&1 &
broker_pid=$!
broker=
for _ in $(seq 1 240); do
	broker=$(sed -n 's/^Kafka broker ready on \([0-9.]*:[0-9]*\) .*/\1/p' "$logs/broker.log")
	[ -n "$broker" ] && break
	kill -0 "$broker_pid" 2>/dev/null || fail "the Kafka broker exited" "$logs/broker.log"
	sleep 0.5
done
[ -n "$broker" ] || fail "the Kafka broker was not ready after 120 s" "$logs/broker.log"
timing "Kafka broker (KRaft) ready with topics" "$(seconds_since "$t")"
info "$(grep '^Kafka broker ready' "$logs/broker.log")"

# Ports on the host network: the service's own ports when free, else free ones.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
taken=" "
pick_port() {
	local port=$1
	while port_in_use "$port" || [[ "$taken" == *" $port "* ]]; do port=$((port < 20000 ? 20000 + RANDOM % 20000 : port + 1)); done
	taken="$taken$port "
	echo "$port"
}
api_key=mr_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
api_key_hash=$(printf %s "$api_key" | sha256sum | cut -d' ' -f1)
webhook_port=$(pick_port 8090)

step "Containers (host network, read-only root file system, $memory memory limit${jvm_options:+, JDK_JAVA_OPTIONS=$jvm_options})"
declare -A api_port management_port started_at
for service in "${services[@]}"; do
	image=millrace/$service:$version
	name=millrace-images-$service
	default_api=$(podman image inspect "$image" --format '{{range .Config.Env}}{{println .}}{{end}}' | sed -n 's/^SERVER_PORT=//p')
	default_management=$(podman image inspect "$image" --format '{{range .Config.Env}}{{println .}}{{end}}' | sed -n 's/^MANAGEMENT_SERVER_PORT=//p')
	api_port[$service]=$(pick_port "${default_api:-8080}")
	management_port[$service]=$(pick_port "${default_management:-9080}")
	# What a Kubernetes pod with readOnlyRootFilesystem and two emptyDirs gets: writable
	# /data (data) and /tmp, both world-writable directories owned by root.
	mkdir -p "$run_dir/$service/data" "$run_dir/$service/tmp"
	chmod 0777 "$run_dir/$service/data"
	chmod 1777 "$run_dir/$service/tmp"
	env=(-e "SERVER_PORT=${api_port[$service]}" -e "MANAGEMENT_SERVER_PORT=${management_port[$service]}"
		-e "MILLRACE_KAFKA_BROKERS=$broker")
	if [ -n "$jvm_options" ]; then env+=(-e "JDK_JAVA_OPTIONS=$jvm_options"); fi
	case "$service" in
		ingest-service)
			env+=(-e MILLRACE_SECURITY_APIKEYS_0_NAME=images -e "MILLRACE_SECURITY_APIKEYS_0_HASH=$api_key_hash"
				-e "MILLRACE_SECURITY_APIKEYS_0_SCOPES=events:write,read") ;;
		alerting-service)
			env+=(-e "MILLRACE_WEBHOOK_URL=http://127.0.0.1:$webhook_port/webhooks/alerts") ;;
		lakehouse-service)
			# The tables in the data volume, as the Helm chart and docker compose put them.
			env+=(-e MILLRACE_LAKEHOUSE_ROOT=/data/lakehouse) ;;
	esac
	started_at[$service]=$(now_ms)
	# podman without systemd cannot schedule the HEALTHCHECK (it says so on stderr); it is run
	# by hand below with `podman healthcheck run`.
	podman run -d --name "$name" --network host --read-only --read-only-tmpfs=false \
		-v "$run_dir/$service/data:/data" -v "$run_dir/$service/tmp:/tmp" \
		--memory "$memory" --stop-timeout 20 "${env[@]}" "$image" >"$logs/run-$service.log" 2>&1 ||
		fail "podman run $image failed" "$logs/run-$service.log"
	containers+=("$name")
	info "$name: API 127.0.0.1:${api_port[$service]}, management 127.0.0.1:${management_port[$service]}"
done

step "Waiting for readiness, the HEALTHCHECK and millrace_ metrics (up to $timeout s each)"
pending=("${services[@]}")
while [ "${#pending[@]}" -gt 0 ]; do
	still=()
	for service in "${pending[@]}"; do
		name=millrace-images-$service
		management=http://127.0.0.1:${management_port[$service]}
		if [ "$(podman inspect "$name" --format '{{.State.Running}}' 2>/dev/null)" != true ]; then
			podman logs "$name" >"$logs/$name.log" 2>&1 || true
			fail "$service exited during startup (exit code $(podman inspect "$name" --format '{{.State.ExitCode}}' 2>/dev/null))" \
				"$logs/$name.log"
		fi
		readiness=$(curl -s -m 3 "$management/actuator/health/readiness" || true)
		if [[ "$readiness" != *'"status":"UP"'* ]]; then
			if [ "$(seconds_since "${started_at[$service]}" | cut -d. -f1)" -ge "$timeout" ]; then
				podman logs "$name" >"$logs/$name.log" 2>&1 || true
				fail "$service was not ready after $timeout s (readiness: ${readiness:-no answer})" "$logs/$name.log"
			fi
			still+=("$service")
			continue
		fi
		ready_after=$(seconds_since "${started_at[$service]}")
		health=$(podman healthcheck run "$name" 2>&1) ||
			fail "$service is ready but its image's HEALTHCHECK says: ${health:-unhealthy}"
		metrics=$(curl -s -m 10 "$management/actuator/prometheus" | grep -c '^millrace_' || true)
		[ "${metrics:-0}" -gt 0 ] ||
			fail "$service is ready but $management/actuator/prometheus has no millrace_ metrics"
		timing "$service ready (container start to UP)" "$ready_after"
		info "$service: readiness UP after $ready_after s, HEALTHCHECK healthy, $metrics millrace_ samples"
	done
	pending=(${still[@]+"${still[@]}"})
	[ "${#pending[@]}" -eq 0 ] || sleep 1
done

# ---- one event through -------------------------------------------------------------------
if [[ " ${services[*]} " == *" ingest-service "* ]] && [[ " ${services[*]} " == *" processing-service "* ]]; then
	step "One event through ingest-service and processing-service"
	t=$(now_ms)
	answer=$(curl -s -m 15 -w ' HTTP %{http_code}' -X POST "http://127.0.0.1:${api_port[ingest-service]}/api/v1/events" \
		-H "X-API-Key: $api_key" -H 'Content-Type: application/json' \
		-d "{\"sensorId\": \"images-smoke\", \"value\": 42, \"timestamp\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}" || true)
	[[ "$answer" == *' HTTP 202' ]] || fail "POST /api/v1/events answered: ${answer:-nothing}"
	info "ingest-service: 202 Accepted (${answer% HTTP 202})"
	consumed=
	for _ in $(seq 1 120); do
		consumed=$(curl -s -m 5 "http://127.0.0.1:${management_port[processing-service]}/actuator/prometheus" |
			sed -n 's/^millrace_processing_events_total{[^}]*} \([0-9.eE+]*\)$/\1/p' | head -n 1)
		checkpoints=$(find "$run_dir/processing-service/data" -type f 2>/dev/null | wc -l)
		if [ -n "$consumed" ] && [ "${consumed%%.*}" -ge 1 ] && [ "$checkpoints" -gt 0 ]; then
			break
		fi
		consumed=
		sleep 0.5
	done
	[ -n "$consumed" ] || fail "processing-service did not consume and checkpoint the event within 60 s (events: $(curl -s \
		"http://127.0.0.1:${management_port[processing-service]}/actuator/prometheus" | grep '^millrace_processing_events_total'), checkpoint files: $checkpoints)"
	info "processing-service: millrace_processing_events_total $consumed; $checkpoints checkpoint file(s) in its /data:"
	find "$run_dir/processing-service/data" -type f | sed "s|^$run_dir/processing-service/data|      /data|" | head -n 4
	timing "event accepted, consumed and checkpointed" "$(seconds_since "$t")"
	if [[ " ${services[*]} " == *" lakehouse-service "* ]]; then
		# The same event in lakehouse-service's Bronze table: a commit in its Delta log that adds
		# a Parquet file (telemetry-raw holds only this event on the fresh broker).
		t=$(now_ms)
		bronze=$run_dir/lakehouse-service/data/lakehouse/bronze/telemetry_events
		committed=
		for _ in $(seq 1 120); do
			committed=$(grep -l '"add"' "$bronze"/_delta_log/*.json 2>/dev/null | head -n 1 || true)
			[ -n "$committed" ] && break
			sleep 0.5
		done
		[ -n "$committed" ] || fail "lakehouse-service did not commit the event to its Bronze table within 60 s (files: $(find \
			"$run_dir/lakehouse-service/data" -type f 2>/dev/null | sed "s|^$run_dir/lakehouse-service||" | head -n 5 | tr '\n' ' '))"
		info "lakehouse-service: Bronze commit ${committed##*/} adds $(find "$bronze" -name '*.parquet' | wc -l) Parquet file(s):"
		find "$run_dir/lakehouse-service/data" -type f \( -name '*.json' -o -name '*.parquet' \) |
			sed "s|^$run_dir/lakehouse-service/data|      /data|" | head -n 4
		timing "event committed to the Bronze table" "$(seconds_since "$t")"
	fi
fi

total=$(seconds_since "$started_ms")
step "Timings"
for line in "${timings[@]}"; do info "$line"; done
info "$(printf '%-48s %7s s' "total (until cleanup)" "$total")"
info "load average now: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
printf '\nOK: %s image(s) built and verified: %s\n' "${#services[@]}" "$(printf 'millrace/%s:'"$version"' ' "${services[@]}")"
