#!/usr/bin/env bash
# Benchmark of the decision log (a benchmark, not a test: nothing here runs under ctest).
# Builds bench_decisions (Release) and runs it on a database of 1,000,000 decisions over 50,000
# vendors, built on the first run (about a minute) and kept in the build folder for later runs.
# Environment: BENCH_BUILD_DIR (default <repo>/build-bench), BENCH_SKIP_BUILD=1,
# BENCH_DB (default <build>/bench-decisions-1m.db).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
"$repo/deploy/setup.sh"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DPLAYBOOK_BUILD_TESTS=ON >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target bench_decisions >/dev/null
fi
echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
echo "Disk: $(df -h "$build_dir" | awk 'NR==2 {print $1", "$2}')"
"$build_dir/tests/bench_decisions" "${BENCH_DB:-$build_dir/bench-decisions-1m.db}"
