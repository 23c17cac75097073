#!/usr/bin/env bash
# deploy/Dockerfile says what the README and the Kubernetes manifests rely on: a Debian 12 build
# stage that installs the project's packages with deploy/setup.sh and builds Release, a
# debian:12-slim runtime stage without apt lists, running as a numeric non-root user, the
# database on VOLUME /data, listening on 0.0.0.0:8080, a HEALTHCHECK through
# `playbook-bot healthcheck` (GET /healthz), and a .dockerignore that keeps build trees out.
# Usage: dockerfile_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
dockerfile=$source_dir/deploy/Dockerfile
source "$(dirname "$0")/dockerfile_lib.sh"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect TEXT REGEX WHAT: TEXT has a line matching the extended REGEX.
expect() { grep -Eq -- "$2" <<<"$1" || fail "$3"; }

[[ -f "$dockerfile" ]] || { echo "FAIL: $dockerfile is missing"; exit 1; }
all=$(dockerfile_instructions "$dockerfile" | cut -f2-)
build=$(dockerfile_named_stage "$dockerfile" build)
final=$(dockerfile_final_stage "$dockerfile")

# Stages.
[[ $(dockerfile_stage_count "$dockerfile") == 2 ]] || fail "expected two stages (build, runtime)"
expect "$all" '^FROM debian:12 (AS|as) build$' "the first stage is FROM debian:12 AS build"
expect "$final" '^FROM debian:12-slim$' "the runtime stage is FROM debian:12-slim"

# Build stage: the project's own package list and a Release build of the binary only.
expect "$build" '^RUN (.* )?(\./)?deploy/setup\.sh( |$)' "the build stage runs deploy/setup.sh"
expect "$build" '^COPY (deploy/setup\.sh|\. )' "the build stage copies the sources"
expect "$build" '^RUN .*cmake .*-DCMAKE_BUILD_TYPE=Release' "the build stage configures Release"
expect "$build" '^RUN .*-DPLAYBOOK_BUILD_TESTS=OFF' "the build stage leaves the tests out"
expect "$build" '^RUN .*cmake --build .*--target playbook-bot' "the build stage builds target playbook-bot"
expect "$build" '^RUN .*strip .*playbook-bot' "the build stage strips the binary"

# Runtime stage.
expect "$final" '^COPY --from=build [^ ]*/playbook-bot [^ ]*' "the runtime stage copies the binary from the build stage"
expect "$final" '^RUN .*apt-get install -y --no-install-recommends ' "runtime packages are installed without recommends"
expect "$final" '^RUN .*apt-get install .*rm -rf /var/lib/apt/lists' "the runtime stage removes the apt lists"
runtime=$(dockerfile_runtime_packages "$dockerfile")
grep -q . <<<"$runtime" || fail "the runtime stage installs no packages"
dev=$(grep -E -- '-dev(:|$)' <<<"$runtime" | tr '\n' ' ' || true)
[[ -z "$dev" ]] || fail "the runtime stage installs development packages: $dev"
expect "$runtime" '^ca-certificates$' "ca-certificates is installed (outbound HTTPS)"
expect "$final" '^(VOLUME /data|VOLUME \[ ?"/data" ?\])$' "VOLUME /data"
expect "$final" '^RUN .*chown (10001|[a-z_-]+)(:[^ ]+)? /data' "/data belongs to the service user"
expect "$final" '^EXPOSE 8080(/tcp)?$' "EXPOSE 8080"
expect "$final" '^ENV .*PLAYBOOK_LISTEN=0\.0\.0\.0:8080( |$)' "ENV PLAYBOOK_LISTEN=0.0.0.0:8080"
expect "$final" '^ENV .*PLAYBOOK_DB=/data/[^ ]+' "ENV PLAYBOOK_DB under /data"
expect "$final" '^STOPSIGNAL SIGTERM$' "STOPSIGNAL SIGTERM"
expect "$final" '^ENTRYPOINT \[ ?"playbook-bot" ?\]$' 'ENTRYPOINT ["playbook-bot"]'
expect "$final" '^CMD \[ ?"serve" ?\]$' 'CMD ["serve"]'

# The user: numeric (Kubernetes' runAsNonRoot can only check a numeric USER), not root, and the
# last USER of the stage; no root user afterwards.
user=$(awk '/^USER / { u = $2 } END { print u }' <<<"$final")
uid=${user%%:*}
if [[ -z "$user" ]]; then
  fail "the runtime stage sets no USER (it would run as root)"
elif [[ "$uid" == root || "$uid" =~ ^0+$ ]]; then
  fail "USER $user is root"
elif [[ ! "$uid" =~ ^[0-9]+$ ]]; then
  fail "USER $user is not numeric"
else
  expect "$final" "^RUN .*useradd .*--uid $uid( |$)" "a system user with uid $uid is created"
fi
expect "$final" '^RUN .*useradd .*--shell /usr/sbin/nologin' "the service user has no login shell"

# The health check: the binary's own probe of /healthz (debian:12-slim has no curl or wget).
healthcheck=$(grep -E '^HEALTHCHECK ' <<<"$final" || true)
if [[ -z "$healthcheck" ]]; then
  fail "no HEALTHCHECK"
else
  expect "$healthcheck" 'CMD \[ ?"playbook-bot", ?"healthcheck" ?\]$' 'HEALTHCHECK CMD ["playbook-bot", "healthcheck"]'
  for option in interval timeout start-period retries; do
    expect "$healthcheck" "--$option=[0-9]+" "HEALTHCHECK sets --$option"
  done
fi

# The build context leaves out build trees, local databases and the repository history.
dockerignore=$source_dir/.dockerignore
if [[ ! -f "$dockerignore" ]]; then
  fail ".dockerignore is missing"
else
  for entry in '.git' 'build*' 'var'; do
    grep -qxF -- "$entry" "$dockerignore" || fail ".dockerignore does not leave out $entry"
  done
fi

((failures == 0)) || { echo "$failures failure(s)"; exit 1; }
echo "deploy/Dockerfile: all checks passed"
