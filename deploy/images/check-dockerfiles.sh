#!/usr/bin/env bash
# Static checks of the services' Dockerfiles; needs no container engine and runs in well under
# a second, so it can run in every build.
#
#   deploy/images/check-dockerfiles.sh     prints each problem; exits 1 if there is any
#
# Checks: every top-level module with a @SpringBootApplication has <module>/Dockerfile; each
# Dockerfile takes its base image from ARG BASE_IMAGE, names its module in ARG SERVICE, builds
# from <module>/target/<module>-exec.jar with the layered extraction and copies the four layers
# in order, ships the SBOM as /app/sbom.json, runs as a numeric non-root USER, has a
# HEALTHCHECK, the OCI labels and EXPOSE, and declares the API and management ports its
# application.yml uses; the part of every Dockerfile after "# ---- Common to every service ----"
# is the same text; .dockerignore lets the jars and the healthcheck script in.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

problems=0
problem() {
	echo "  $1: $2"
	problems=$((problems + 1))
}

COMMON_MARKER='# ---- Common to every service ----'
LAYERS=(dependencies spring-boot-loader snapshot-dependencies application)
LABELS=(title description version revision source licenses)

# The value of a dotted property (server.port, management.server.port) in a simple
# application.yml: nested maps written with two-space indentation, no flow style.
yaml_value() {
	awk -v want="$2" '
		/^[[:space:]]*(#|$)/ { next }
		/^---/ { exit }
		{
			match($0, /^ */); depth = RLENGTH / 2
			line = substr($0, RLENGTH + 1)
			key = line; sub(/:.*/, "", key)
			value = line; sub(/^[^:]*:[[:space:]]*/, "", value); sub(/[[:space:]]+#.*/, "", value)
			path[depth] = key
			full = path[0]; for (i = 1; i <= depth; i++) full = full "." path[i]
			if (full == want && value != "") { print value; exit }
		}' "$1"
}

# The default of a build argument (ARG NAME=value), quotes removed.
arg_default() {
	sed -n "s/^ARG $2=\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" "$1" | head -n 1
}

check_dockerfile() {
	local dockerfile=$1 module
	module=$(dirname "$dockerfile")
	local first_from
	first_from=$(grep -n '^FROM ' "$dockerfile" | head -n 1 | cut -d: -f1)
	if [ -z "$first_from" ]; then
		problem "$dockerfile" "no FROM"
		return
	fi
	local preamble
	preamble=$(head -n "$((first_from - 1))" "$dockerfile")

	# Base image: from the build argument, so a locally made base can be passed.
	grep -Eq '^ARG BASE_IMAGE=[^[:space:]]+' <<<"$preamble" ||
		problem "$dockerfile" "no 'ARG BASE_IMAGE=<default>' before the first FROM"
	local bad_from
	bad_from=$(grep '^FROM ' "$dockerfile" | grep -Ev '^FROM \$\{BASE_IMAGE\}( AS [A-Za-z0-9_-]+)?[[:space:]]*$' | head -n 1)
	[ -z "$bad_from" ] || problem "$dockerfile" "every FROM must be 'FROM \${BASE_IMAGE}' (found '$bad_from')"

	# The module's own jar, split into layers, copied in order.
	[ "$(arg_default "$dockerfile" SERVICE)" = "$module" ] ||
		problem "$dockerfile" "'ARG SERVICE=$module' expected (found '$(arg_default "$dockerfile" SERVICE)')"
	grep -Eq '^COPY \$\{SERVICE\}/target/\$\{SERVICE\}-exec\.jar ' "$dockerfile" ||
		problem "$dockerfile" "does not copy \${SERVICE}/target/\${SERVICE}-exec.jar"
	grep -Eq 'java -Djarmode=tools -jar [^ ]+ extract --layers --launcher' "$dockerfile" ||
		problem "$dockerfile" "no 'java -Djarmode=tools -jar ... extract --layers --launcher'"
	local copied expected
	copied=$(sed -n 's|^COPY --from=[A-Za-z0-9_-]* [^ ]*/extracted/\([a-z-]*\)/ .*|\1|p' "$dockerfile" | tr '\n' ' ')
	expected="${LAYERS[*]} "
	[ "$copied" = "$expected" ] ||
		problem "$dockerfile" "layers copied: '${copied% }', expected '${expected% }' in this order"

	# Ships the SBOM the build put into the jar as /app/sbom.json.
	grep -Eq '^COPY --from=[A-Za-z0-9_-]+ [^ ]*sbom\.json /app/sbom\.json[[:space:]]*$' "$dockerfile" ||
		problem "$dockerfile" "does not copy the SBOM to /app/sbom.json"

	# Runs as a fixed numeric user that is not root (the last USER wins).
	local user
	user=$(grep '^USER ' "$dockerfile" | tail -n 1 | awk '{print $2}')
	if [ -z "$user" ]; then
		problem "$dockerfile" "no USER (the image would run as root)"
	elif ! [[ "$user" =~ ^[0-9]+(:[0-9]+)?$ ]]; then
		problem "$dockerfile" "USER $user is not numeric (Kubernetes runAsNonRoot needs a numeric uid)"
	elif [ "${user%%:*}" -eq 0 ]; then
		problem "$dockerfile" "USER $user is root"
	fi

	# Instructions continued over several lines, joined.
	local joined
	joined=$(awk '/\\$/ { sub(/\\$/, ""); printf "%s", $0; next } { print }' "$dockerfile")
	grep -Eq '^HEALTHCHECK .*CMD' <<<"$joined" || problem "$dockerfile" "no HEALTHCHECK ... CMD"
	grep -Eq '^EXPOSE [^[:space:]]+' "$dockerfile" || problem "$dockerfile" "no EXPOSE"
	local label
	for label in "${LABELS[@]}"; do
		grep -Eq "^LABEL .*org\.opencontainers\.image\.$label=" <<<"$joined" ||
			problem "$dockerfile" "no LABEL org.opencontainers.image.$label"
	done

	# The ports it exposes are the ones the application listens on.
	local yml="$module/src/main/resources/application.yml"
	if [ -f "$yml" ]; then
		local port name key
		for name in API_PORT:server.port MANAGEMENT_PORT:management.server.port; do
			key=${name#*:}
			port=$(yaml_value "$yml" "$key")
			[ "$(arg_default "$dockerfile" "${name%%:*}")" = "$port" ] ||
				problem "$dockerfile" "ARG ${name%%:*}=$(arg_default "$dockerfile" "${name%%:*}") but $key in $yml is '${port}'"
		done
	fi

	# The common part is the same text everywhere.
	if ! grep -qxF "$COMMON_MARKER" "$dockerfile"; then
		problem "$dockerfile" "no line '$COMMON_MARKER'"
	elif [ -n "$reference" ] && ! diff -q <(sed -n "/^$COMMON_MARKER\$/,\$p" "$reference") \
		<(sed -n "/^$COMMON_MARKER\$/,\$p" "$dockerfile") >/dev/null; then
		problem "$dockerfile" "its common part differs from $reference's:"
		diff <(sed -n "/^$COMMON_MARKER\$/,\$p" "$reference") <(sed -n "/^$COMMON_MARKER\$/,\$p" "$dockerfile") |
			sed 's/^/      /' | head -n 20
	fi
}

echo "Checking the services' Dockerfiles ..."

# Service modules: top-level modules whose main code has a @SpringBootApplication.
services=()
for dir in */; do
	module=${dir%/}
	if [ -d "$module/src/main/java" ] && grep -rqs --include='*.java' '@SpringBootApplication' "$module/src/main/java"; then
		services+=("$module")
	fi
done
if [ "${#services[@]}" -eq 0 ]; then
	problem "repository" "no module with a @SpringBootApplication found (run from the repository)"
fi
for module in "${services[@]}"; do
	[ -f "$module/Dockerfile" ] || problem "$module" "has a @SpringBootApplication but no $module/Dockerfile"
done

reference=
dockerfiles=()
for dockerfile in */Dockerfile; do
	[ -f "$dockerfile" ] && dockerfiles+=("$dockerfile")
done
for dockerfile in "${dockerfiles[@]}"; do
	check_dockerfile "$dockerfile"
	[ -n "$reference" ] || reference=$dockerfile
done

# The build context: one .dockerignore at the root that lets the jars and the script in.
if [ ! -f .dockerignore ]; then
	problem ".dockerignore" "missing (the context would be the whole repository)"
else
	grep -qxF '!*/target/*-exec.jar' .dockerignore || problem ".dockerignore" "no '!*/target/*-exec.jar' line"
	grep -qxF '!deploy/images/healthcheck.sh' .dockerignore ||
		problem ".dockerignore" "no '!deploy/images/healthcheck.sh' line"
	for module in "${services[@]}"; do
		grep -Eqx "$module(/.*)?" .dockerignore && problem ".dockerignore" "excludes $module, a service"
	done
fi
[ -x deploy/images/healthcheck.sh ] || problem "deploy/images/healthcheck.sh" "missing or not executable"

if [ "$problems" -gt 0 ]; then
	echo "$problems problem(s) in the Dockerfiles (see docs/containers.md)."
	exit 1
fi
echo "OK: ${#dockerfiles[@]} Dockerfiles (${dockerfiles[*]}) for ${#services[@]} services."
