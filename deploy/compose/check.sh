#!/usr/bin/env bash
# Checks docker-compose.yml and the monitoring files it mounts, without a Docker daemon:
#
#  - docker-compose (Debian's 1.29, installed with apt-get when missing) validates the file;
#  - every Spring Boot application of the Maven reactor is a compose service, with the image
#    millrace/<module>:${MILLRACE_VERSION:-<project version>} built from <module>/Dockerfile
#    (context: the repository), and a readiness healthcheck;
#  - Prometheus (deploy/prometheus/prometheus.yml) scrapes every service's management port at
#    /actuator/prometheus;
#  - every published port is bound to 127.0.0.1; every "service_healthy" dependency has a
#    healthcheck;
#  - every application with the shared security module (an API) gets the compose key's hash
#    (MILLRACE_API_KEY_HASH) and scopes;
#  - the broker image is the Kafka version the build uses; kafka-init creates the topics of the
#    local run (local-platform.properties) with the same partitions;
#  - every alert expression of docs/operations.md ("Suggested alerts") is a rule in
#    helm/millrace/alerts/millrace.rules.yml; the Grafana dashboard is valid JSON on the ${datasource} variable,
#    mounted where the provisioning looks;
#  - with promtool on the PATH, promtool also checks the configuration and the rules.
#
# Prints every problem found and exits 1 if there is any. About two seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() {
	echo "deploy/compose/check.sh: $*" >&2
	exit 1
}

if ! command -v docker-compose >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 \
		|| fail "docker-compose is not installed and there is no apt-get to install it (Debian's package docker-compose, version 1.29, validates the file without a Docker daemon)"
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null \
			|| fail "docker-compose is not installed, and installing it needs root: run 'sudo apt-get install docker-compose' once"
		sudo="sudo -n"
	fi
	echo "Installing docker-compose with apt-get (once) ..." >&2
	if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/tmp/millrace-apt.log 2>&1; then
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>/tmp/millrace-apt.log 2>&1 || true
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >>/tmp/millrace-apt.log 2>&1 \
			|| fail "apt-get could not install docker-compose: $(tail -n 3 /tmp/millrace-apt.log | tr '\n' ' ')"
	fi
fi

# A stand-in for the key hash the file requires (deploy/compose/api-key.sh writes the real one).
export MILLRACE_API_KEY_HASH=0000000000000000000000000000000000000000000000000000000000000000
if ! docker-compose -f docker-compose.yml config -q; then
	fail "docker-compose rejects docker-compose.yml (message above)"
fi
resolved=$(mktemp)
trap 'rm -f "$resolved"' EXIT
docker-compose -f docker-compose.yml config >"$resolved"

# docker-compose runs on Python with PyYAML: the same interpreter checks the rest.
python=$(head -n 1 "$(command -v docker-compose)" | sed -n 's/^#! *\([^ ]*\).*/\1/p')
[ -x "${python:-}" ] || python=python3
python_status=0
"$python" - "$resolved" <<'PYTHON' || python_status=$?
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

import yaml

problems = []
RULES = "helm/millrace/alerts/millrace.rules.yml"
resolved = yaml.safe_load(open(sys.argv[1]))
raw_text = open("docker-compose.yml").read()
services = resolved.get("services", {})

# The Maven reactor: modules and the project version.
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
pom = ET.parse("pom.xml").getroot()
version = pom.find("m:version", ns).text
boot_version = pom.find("m:parent/m:version", ns).text
modules = [m.text for m in pom.findall("m:modules/m:module", ns)]
applications = []
for module in modules:
    for path in glob.glob(f"{module}/src/main/java/**/*.java", recursive=True):
        if "@SpringBootApplication" in open(path, encoding="utf-8").read():
            applications.append(module)
            break
if not applications:
    problems.append("found no @SpringBootApplication in the reactor's modules (is this the repository?)")

for app in applications:
    service = services.get(app)
    if service is None:
        problems.append(f"{app} is a Spring Boot application of the reactor but has no service in docker-compose.yml")
        continue
    expected_image = f"millrace/{app}:${{MILLRACE_VERSION:-{version}}}"
    if expected_image not in raw_text:
        problems.append(f"{app}: image must be {expected_image} (the project version is {version})")
    build = service.get("build") or {}
    if os.path.realpath(build.get("context", "")) != os.path.realpath("."):
        problems.append(f"{app}: build.context must be the repository (.), is {build.get('context')}")
    if build.get("dockerfile") != f"{app}/Dockerfile":
        problems.append(f"{app}: build.dockerfile must be {app}/Dockerfile, is {build.get('dockerfile')}")
    test = " ".join((service.get("healthcheck") or {}).get("test") or [])
    if "/actuator/health/readiness" not in test:
        problems.append(f"{app}: needs a healthcheck on /actuator/health/readiness")

# Every application with the shared security module (an API, closed without a key) gets the
# compose key's hash, and scopes.
for app in applications:
    module_pom = ET.parse(f"{app}/pom.xml").getroot()
    uses_security = any(d.findtext("m:artifactId", namespaces=ns) == "security"
                        for d in module_pom.findall("m:dependencies/m:dependency", ns))
    environment = (services.get(app) or {}).get("environment") or {}
    if uses_security:
        if environment.get("MILLRACE_SECURITY_APIKEYS_0_HASH") != os.environ.get("MILLRACE_API_KEY_HASH"):
            problems.append(f"{app}: has an API (module security) but not the compose key: add <<: *millrace-api-key to its environment")
        if not environment.get("MILLRACE_SECURITY_APIKEYS_0_SCOPES"):
            problems.append(f"{app}: set MILLRACE_SECURITY_APIKEYS_0_SCOPES (the compose key's scopes on this service)")

# Prometheus scrapes every service's management port.
prometheus = yaml.safe_load(open("deploy/prometheus/prometheus.yml"))
scraped = {}
for job in prometheus.get("scrape_configs", []):
    for static in job.get("static_configs", []):
        for target in static.get("targets", []):
            scraped[target] = job.get("metrics_path", "/metrics")
for name, service in services.items():
    environment = service.get("environment") or {}
    port = environment.get("MANAGEMENT_SERVER_PORT")
    if name in applications and port is None:
        problems.append(f"{name}: set MANAGEMENT_SERVER_PORT (the healthcheck and Prometheus use it)")
    if port is None:
        continue
    target = f"{name}:{port}"
    if target not in scraped:
        problems.append(f"{name}: its management port is not scraped: add target {target} to deploy/prometheus/prometheus.yml")
    elif scraped[target] != "/actuator/prometheus":
        problems.append(f"{target} is scraped at {scraped[target]}, not /actuator/prometheus")
for target in scraped:
    host = target.split(":")[0]
    if host not in services and host != "localhost":
        problems.append(f"prometheus.yml scrapes {target}, which is no compose service")

# Published ports on 127.0.0.1 only; healthy dependencies have healthchecks.
for name, service in services.items():
    for port in service.get("ports") or []:
        ip = port.get("host_ip") if isinstance(port, dict) else str(port).split(":")[0]
        if ip != "127.0.0.1":
            problems.append(f"{name}: port {port} must be published on 127.0.0.1 only")
    for dependency, spec in (service.get("depends_on") or {}).items():
        condition = spec.get("condition") if isinstance(spec, dict) else None
        if condition == "service_healthy" and not (services.get(dependency) or {}).get("healthcheck"):
            problems.append(f"{name} waits for {dependency} to be healthy, but {dependency} has no healthcheck")

# The broker is the Kafka the build uses (Spring Boot's kafka.version).
boot_pom = os.path.expanduser(
    f"~/.m2/repository/org/springframework/boot/spring-boot-dependencies/{boot_version}/spring-boot-dependencies-{boot_version}.pom")
if os.path.exists(boot_pom):
    kafka = re.search(r"<kafka.version>([^<]+)</kafka.version>", open(boot_pom).read())
    for name, service in services.items():
        image = service.get("image", "")
        if image.startswith("apache/kafka:") and kafka and image != f"apache/kafka:{kafka.group(1)}":
            problems.append(f"{name}: image {image}, but the build uses Kafka {kafka.group(1)}")

# kafka-init creates the local run's topics, with the same partitions.
settings = open("local-platform/src/main/resources/local-platform.properties").read()
topics = dict(re.findall(r"^topics\.([\w.-]+)\.partitions=(\d+)", settings, re.M))
init = " ".join(str(part) for part in (services.get("kafka-init") or {}).get("command") or [])
created = dict(re.findall(r"([\w.-]+):(\d+)", init.split(" do ")[0])) if " do " in init else {}
if created != topics:
    problems.append(f"kafka-init creates {created}, the local run {topics} (local-platform.properties)")

# Every suggested alert of docs/operations.md is a rule.
operations = open("docs/operations.md").read()
section = operations.split("## Suggested alerts", 1)[1].split("\n## ", 1)[0]
documented = [expr.replace("\\|", "|") for expr in re.findall(r"^\|[^|]+\| `(.+?)` \|", section, re.M)]
rule_expressions = []
for path in [RULES]:
    for group in yaml.safe_load(open(path)).get("groups", []):
        for rule in group.get("rules", []):
            rule_expressions.append(" ".join(str(rule.get("expr", "")).split()))
if len(documented) < 5:
    problems.append("could not read the Suggested alerts table of docs/operations.md")
for expr in documented:
    if " ".join(expr.split()) not in rule_expressions:
        problems.append(f"docs/operations.md suggests an alert that {RULES} lacks: {expr}")

# The dashboard, and where Grafana finds it.
dashboard_file = "helm/millrace/dashboards/millrace-overview.json"
try:
    dashboard = json.load(open(dashboard_file))
    def panels(items):
        for panel in items:
            yield panel
            yield from panels(panel.get("panels", []))
    for panel in panels(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            uid = (target.get("datasource") or panel.get("datasource") or {}).get("uid")
            if uid != "${datasource}":
                problems.append(f"{dashboard_file}: panel '{panel.get('title')}' must use the ${{datasource}} variable, uses {uid}")
except (OSError, ValueError) as error:
    problems.append(f"{dashboard_file}: {error}")
provider = yaml.safe_load(open("deploy/grafana/provisioning/dashboards/millrace.yml"))["providers"][0]["options"]["path"]
grafana_volumes = [str(v) for v in (services.get("grafana") or {}).get("volumes", [])]
if not any(dashboard_file in v and provider in v for v in grafana_volumes):
    problems.append(f"grafana must mount {dashboard_file} under {provider} (the provisioning's path)")

for problem in problems:
    print("docker-compose.yml: " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PYTHON

if command -v promtool >/dev/null 2>&1; then
	config=$(mktemp)
	sed "s#/etc/prometheus/rules/\*.yml#$PWD/helm/millrace/alerts/millrace.rules.yml#" deploy/prometheus/prometheus.yml >"$config"
	promtool check rules helm/millrace/alerts/millrace.rules.yml >/dev/null || fail "promtool rejects helm/millrace/alerts/millrace.rules.yml"
	promtool check config "$config" >/dev/null || fail "promtool rejects deploy/prometheus/prometheus.yml"
	rm -f "$config"
else
	echo "deploy/compose/check.sh: promtool not on the PATH; Prometheus files checked by structure only" >&2
fi

[ "$python_status" = 0 ] || fail "problems above"
echo "docker-compose.yml and its Prometheus and Grafana files are consistent."
