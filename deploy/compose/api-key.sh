#!/usr/bin/env bash
# The API key of the docker compose run, kept like ./run-local.sh keeps its own: the key in
# .millrace/api-key (owner-only, made on first use, reused after), ingest-service, serving-api
# and alerting-service given only its SHA-256. Writes MILLRACE_API_KEY_HASH=<sha256> into .env at the top of the repository,
# which docker compose reads; other lines of .env are kept.
#
#   deploy/compose/api-key.sh && docker compose up -d
#   curl -H "X-API-Key: $(cat .millrace/api-key)" ...
set -euo pipefail
cd "$(dirname "$0")/../.."

key_file=.millrace/api-key
if [ ! -s "$key_file" ]; then
	mkdir -p .millrace
	umask 077
	# Same form as ApiKeyHashes.generate(): "mr_" and 32 random bytes in base64url, no padding.
	printf 'mr_%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > "$key_file"
	echo "Made a new API key in $key_file" >&2
fi
key=$(tr -d '[:space:]' < "$key_file")
hash=$(printf %s "$key" | sha256sum | cut -d' ' -f1)

touch .env
grep -v '^MILLRACE_API_KEY_HASH=' .env > .env.tmp || true
echo "MILLRACE_API_KEY_HASH=$hash" >> .env.tmp
mv .env.tmp .env
echo "API key in $key_file, its SHA-256 in .env (MILLRACE_API_KEY_HASH); scopes: ingest events:write, read; serving-api and alerting-service read" >&2
