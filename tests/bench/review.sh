#!/usr/bin/env bash
# Benchmark of the proposal review (a benchmark, not a test: nothing here runs under ctest).
# Builds bench_review (Release) and runs it: review throughput on a 1 MB proposal (MB/s of text,
# one core), a 300 KB proposal (ms), and a 20-page PDF extracted and reviewed (ms). The text is
# the labelled corpus (tests/fixtures/proposals) concatenated, so it has real schedules, tables,
# prose and lists.
# Environment: BENCH_BUILD_DIR (default <repo>/build-bench), BENCH_SKIP_BUILD=1.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
"$repo/deploy/setup.sh"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DPLAYBOOK_BUILD_TESTS=ON >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target bench_review >/dev/null
fi
echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
"$build_dir/tests/bench_review" "$repo/tests/fixtures/proposals"
