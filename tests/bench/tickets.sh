#!/usr/bin/env bash
# Benchmark of the ticket webhook pipeline (a benchmark, not a test: nothing here runs under ctest).
# Builds bench_tickets and playbook-bot (Release) and runs it: 10,000 signed GitHub `issues`
# webhooks at 32 kept-alive connections to `playbook-bot serve`, which reviews each issue and
# posts its comment to a fake GitHub API on loopback. Prints the acknowledgement latency
# (p50/p90/p99/max, target p99 <= 20 ms), webhooks/s, the time until every comment is posted,
# comments/s, the bot's peak RSS and the database size, for each of 3 runs and their medians;
# exits non-zero when a check fails (a webhook not answered 202 "queued", an issue without
# exactly one comment, a re-sent delivery not answered "duplicate" or causing an API call).
# Takes a few minutes. Arguments are passed to bench_tickets (--runs, --webhooks, --connections,
# --resend, --timeout, --keep).
# Environment: BENCH_BUILD_DIR (default <repo>/build-bench), BENCH_SKIP_BUILD=1.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
"$repo/deploy/setup.sh"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DPLAYBOOK_BUILD_TESTS=ON >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target bench_tickets playbook-bot >/dev/null
fi
echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
echo "Disk: $(df -h "${TMPDIR:-/tmp}" | awk 'NR==2 {print $1", "$2}') (${TMPDIR:-/tmp}: the bot's database)"
"$build_dir/tests/bench_tickets" "$@"
