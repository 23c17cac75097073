#!/usr/bin/env bash
# Benchmark of POST /slack/commands: playbook-bot against a floor (tests/bench/floor_server.cpp, a
# minimal Beast server with the same threading that checks the same Slack signature and answers
# the same bytes). A benchmark, not a test: nothing here runs under ctest.
#
# Measures, on loopback only:
#   - start-up to ready: exec of `playbook-bot serve` to the first 200 from /readyz (median of
#     BENCH_STARTUP_RUNS), and idle RSS (VmRSS right after ready, before any load);
#   - signed `/playbook criteria` requests with wrk at 1 connection (-t1 -c1) and 32 connections
#     (-t2 -c32), for the bot and for the floor: requests/s, p50 and p99 latency, server CPU time
#     per request (utime+stime from /proc/PID/stat) and the server's peak RSS (VmHWM).
# The bot logs one JSON line per request to a file, as in production: that cost is measured too.
#
# Usage: tests/bench/slack_commands.sh
# Environment:
#   BENCH_BUILD_DIR      build directory (default: <repo>/build-bench), Release, tests on
#   BENCH_SKIP_BUILD=1   use the binaries already in BENCH_BUILD_DIR
#   BENCH_DURATION       seconds per measured wrk run (default: 10)
#   BENCH_ROUNDS         rounds of bot/floor pairs per connection count (default: 3); the order
#                        alternates between rounds, and figures and ratios are the medians, so a
#                        machine whose speed drifts during the benchmark does not tilt the ratio
#   BENCH_WARMUP         seconds of unmeasured load per server before measuring (default: 1; 0: none)
#   BENCH_STARTUP_RUNS   start-up measurements, median reported (default: 5)
#   BENCH_THREADS        server threads for bot and floor (default: 0 = one per core)
#   BENCH_BOT_PORT, BENCH_FLOOR_PORT   loopback ports (default: free ports picked by the script)
#   BENCH_QUIET_WAIT     seconds to wait, before each measurement, for other processes to leave the
#                        CPUs idle (default: 120); the share of CPU they took during each run is
#                        reported as "other CPU"
#   BENCH_RETRIES        times a run is measured again when other processes took over 5 % of the
#                        machine during it (default: 2)
#   BENCH_KEEP_TMP=1     keep the temporary folder (bot log, wrk outputs) after the run
#   BENCH_STRICT=1       exit 3 when a target is missed
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-1}
startup_runs=${BENCH_STARTUP_RUNS:-5}
rounds=${BENCH_ROUNDS:-3}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "slack_commands.sh: BENCH_ROUNDS must be a positive number" >&2; exit 2; }
[[ "$duration" =~ ^[0-9]+$ ]] && ((duration > 0 && duration <= 280)) ||
  { echo "slack_commands.sh: BENCH_DURATION must be 1..280 seconds (one signature per run, 300 s window)" >&2; exit 2; }
threads=${BENCH_THREADS:-0}
quiet_wait=${BENCH_QUIET_WAIT:-120}
retries=${BENCH_RETRIES:-2}
secret="bench-signing-secret-$(date +%s)"
host=127.0.0.1

die() {
  echo "slack_commands.sh: FAIL: $*" >&2
  exit 1
}
say() { echo "== $*" >&2; }

# --- tools ----------------------------------------------------------------------------------
extra=()
command -v wrk >/dev/null || extra+=(wrk)
command -v curl >/dev/null || extra+=(curl)
command -v python3 >/dev/null || extra+=(python3)
command -v openssl >/dev/null || extra+=(openssl)
"$repo/deploy/setup.sh" "${extra[@]}"

# --- build ----------------------------------------------------------------------------------
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  say "building playbook-bot and bench_floor (Release) in $build_dir"
  build_log=$(mktemp "${TMPDIR:-/tmp}/slack-bench-build.XXXXXX")
  { cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DPLAYBOOK_BUILD_TESTS=ON &&
    cmake --build "$build_dir" -j"$(nproc)" --target playbook-bot bench_floor; } >"$build_log" 2>&1 ||
    { tail -40 "$build_log" >&2; rm -f "$build_log"; die "build failed"; }
  rm -f "$build_log"
fi
bot_bin=$build_dir/bot/playbook-bot
floor_bin=$build_dir/tests/bench_floor
[[ -x "$bot_bin" ]] || die "no $bot_bin"
[[ -x "$floor_bin" ]] || die "no $floor_bin"

# --- scratch space and clean-up -------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slack-bench.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${BENCH_KEEP_TMP:-0}" == 1 ]]; then
    echo "== kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
bot_port=${BENCH_BOT_PORT:-$(free_port)}
floor_port=${BENCH_FLOOR_PORT:-$(free_port)}
[[ "$bot_port" != "$floor_port" ]] || floor_port=$(free_port)

bot_env=(SLACK_SIGNING_SECRET="$secret" PLAYBOOK_LISTEN="$host:$bot_port" PLAYBOOK_THREADS="$threads"
         PLAYBOOK_LOG_LEVEL=info)

# --- other load on the machine --------------------------------------------------------------
# Other processes (a build, a test suite) on this machine distort every figure here. Before each
# measurement the script waits until the CPUs are idle, and after each load run it reports how
# much CPU went to anything but the server and wrk.
ncpu=$(nproc)
hz=$(getconf CLK_TCK)
# user nice system irq softirq steal: a process's utime+stime includes the softirq work (loopback
# TCP) done on its behalf, which /proc/stat counts apart, so all of it is compared.
machine_busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
children_ticks() {  # sets children_ticks_now: user+sys of this shell's waited-for children, in ticks
  # Called directly, never as $(...): in a subshell `times` would see the subshell's children.
  times >"$tmp/times"
  children_ticks_now=$(awk -v hz="$hz" 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] }
    printf "%d", t * hz + 0.5 }' "$tmp/times")
}
wait_quiet() {  # what
  local start=$SECONDS b0 b1 busy
  while :; do
    b0=$(machine_busy_ticks)
    sleep 1
    b1=$(machine_busy_ticks)
    busy=$(awk -v d=$((b1 - b0)) -v hz="$hz" -v n="$ncpu" 'BEGIN {printf "%.0f", 100 * d / hz / n}')
    ((busy <= 10)) && return 0
    if ((SECONDS - start >= quiet_wait)); then
      echo "   WARNING: the machine is ${busy}% busy with other work before $1; measuring anyway" >&2
      return 0
    fi
    echo "   machine ${busy}% busy with other work; waiting before $1" >&2
  done
}

# --- start-up to ready and idle RSS ---------------------------------------------------------
# A tiny Python poller: time from exec to the first 200 from /readyz, polled every 0.5 ms over a
# raw socket (a curl per poll would cost more than what is measured), then VmRSS. Each run gets a
# fresh database folder, so the time includes creating the SQLite file and its schema.
say "start-up to ready: $startup_runs runs"
startup_py=$tmp/startup.py
cat >"$startup_py" <<'EOF'
import os, socket, subprocess, sys, time
bot, port, db, log = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
env = dict(os.environ, PLAYBOOK_DB=db)
request = b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
with open(log, "ab") as err:
    t0 = time.perf_counter()
    p = subprocess.Popen([bot, "serve"], env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=err)
    ready = None
    while ready is None:
        if p.poll() is not None:
            sys.exit(f"playbook-bot exited with {p.returncode} before it was ready (see {log})")
        if time.perf_counter() - t0 > 10:
            p.kill()
            sys.exit("playbook-bot not ready after 10 s")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(request)
                if s.recv(16).startswith(b"HTTP/1.1 200"):
                    ready = time.perf_counter()
        except OSError:
            time.sleep(0.0005)
    with open(f"/proc/{p.pid}/status") as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    p.terminate()
    p.wait(timeout=15)
print(f"{(ready - t0) * 1000:.1f} {rss}")
EOF
startup_ms=()
idle_rss_kb=()
wait_quiet "the start-up runs"
for i in $(seq "$startup_runs"); do
  out=$(env "${bot_env[@]}" python3 "$startup_py" "$bot_bin" "$bot_port" "$tmp/startup-$i/playbook.db" \
        "$tmp/startup.log") || die "start-up run $i: $out"
  read -r ms rss <<<"$out"
  startup_ms+=("$ms")
  idle_rss_kb+=("$rss")
  echo "   run $i: ready after $ms ms, VmRSS $rss kB" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
startup_median=$(median "${startup_ms[@]}")
idle_rss_median=$(median "${idle_rss_kb[@]}")

# --- the servers under load -----------------------------------------------------------------
wait_ready() {  # url pid name status-pattern
  local code
  for _ in $(seq 2000); do
    kill -0 "$2" 2>/dev/null || die "$3 exited before it was ready"
    code=$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null) || true
    [[ "$code" == $4 ]] && return 0
    sleep 0.005
  done
  die "$3 not ready after 10 s"
}
proc_status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }  # utime + stime

say "starting playbook-bot on $host:$bot_port (log: $tmp/bot.log)"
env "${bot_env[@]}" PLAYBOOK_DB="$tmp/db/playbook.db" "$bot_bin" serve </dev/null >/dev/null 2>"$tmp/bot.log" &
bot_pid=$!
pids+=("$bot_pid")
wait_ready "http://$host:$bot_port/readyz" "$bot_pid" playbook-bot 200
bot_idle_rss=$(proc_status_kb "$bot_pid" VmRSS)

body='token=x&team_id=T1&team_domain=bench&channel_id=C1&channel_name=bench&user_id=U1&user_name=bench&command=%2Fplaybook&text=criteria&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fx&trigger_id=1.2.3'
lua=$tmp/signed.lua
# Signs the body with the current time (Slack's v0 scheme: HMAC-SHA256 of "v0:{ts}:{body}") and
# writes the wrk script that sends it. Every request of a run reuses that one signature; it is
# renewed before each run, so waiting for a quiet machine never outlasts the 300 s window.
sign() {
  ts=$(date +%s)
  sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"
  [[ "$sig" =~ ^v0=[0-9a-f]{64}$ ]] || die "could not compute the signature: $sig"
  cat >"$lua" <<EOF
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = "$ts"
wrk.headers["X-Slack-Signature"] = "$sig"
EOF
}
sign

signed_post() {  # port out-file [signature] -> prints the status code
  curl -s -o "$2" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    -H "X-Slack-Request-Timestamp: $ts" -H "X-Slack-Signature: ${3:-$sig}" \
    --data-binary "$body" "http://$host:$1/slack/commands"
}
bad_sig="v0=$(printf '0%.0s' $(seq 64))"

say "verifying the bot's answer"
code=$(signed_post "$bot_port" "$tmp/criteria.json") || die "curl to the bot failed"
[[ "$code" == 200 ]] || die "the bot answered $code to a signed /playbook criteria: $(head -c 300 "$tmp/criteria.json")"
grep -q '"response_type":"ephemeral"' "$tmp/criteria.json" && grep -q 'Criteria' "$tmp/criteria.json" ||
  die "the bot's answer is not the criteria: $(head -c 300 "$tmp/criteria.json")"
code=$(signed_post "$bot_port" /dev/null "$bad_sig") || true
[[ "$code" == 401 ]] || die "the bot answered $code to a bad signature (expected 401)"
echo "   bot: 200 with $(wc -c <"$tmp/criteria.json")-byte criteria answer; 401 on a bad signature" >&2

say "starting bench_floor on $host:$floor_port"
floor_threads=$threads
[[ "$floor_threads" != 0 ]] || floor_threads=$(nproc)
"$floor_bin" "$floor_port" "$tmp/criteria.json" "$secret" "$floor_threads" </dev/null >"$tmp/floor.out" 2>&1 &
floor_pid=$!
pids+=("$floor_pid")
wait_ready "http://$host:$floor_port/" "$floor_pid" bench_floor "[1-5]??"

say "verifying the floor's answer"
code=$(signed_post "$floor_port" "$tmp/floor.json") || die "curl to the floor failed"
[[ "$code" == 200 ]] || die "the floor answered $code to a signed request"
cmp -s "$tmp/criteria.json" "$tmp/floor.json" || die "the floor's answer differs from the bot's"
code=$(signed_post "$floor_port" /dev/null "$bad_sig") || true
[[ "$code" == 401 ]] || die "the floor answered $code to a bad signature (expected 401)"
echo "   floor: 200 with the same bytes; 401 on a bad signature" >&2

# Latency as wrk prints it (123.45us, 1.23ms, 2.00s, 1.00m) in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN {
  n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
  printf "%.3f", n }'; }

declare -A R  # R[name,conns,field]
run_wrk() {  # name port pid wrk-threads conns: measures, again when other work disturbed it
  local attempt
  for attempt in $(seq 0 "$retries"); do
    measure "$@"
    ((R[$1,$5,other] > 5)) || return 0
    if ((attempt < retries)); then
      echo "   WARNING: other processes took ${R[$1,$5,other]}% of the machine during this run; measuring again" >&2
    else
      echo "   WARNING: other processes took ${R[$1,$5,other]}% of the machine during this run; keeping it" >&2
    fi
  done
}
measure() {  # name port pid wrk-threads conns
  local name=$1 port=$2 pid=$3 t=$4 c=$5 out=$tmp/wrk-$1-c$5.txt
  local before after ticks requests non2xx errors m0 m1 w0 w1
  wait_quiet "$name -c$c"
  sign
  m0=$(machine_busy_ticks)
  children_ticks
  w0=$children_ticks_now
  before=$(cpu_ticks "$pid")
  wrk -t"$t" -c"$c" -d"${duration}s" --latency -s "$lua" "http://$host:$port/slack/commands" >"$out" 2>&1 ||
    die "wrk against $name failed: $(cat "$out")"
  after=$(cpu_ticks "$pid")
  children_ticks
  w1=$children_ticks_now
  m1=$(machine_busy_ticks)
  kill -0 "$pid" 2>/dev/null || die "$name died during the run"
  requests=$(awk '/requests in/ {print $1}' "$out")
  [[ -n "$requests" && "$requests" -gt 0 ]] || die "no requests completed against $name: $(cat "$out")"
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  errors=$(awk '/Socket errors:/ {sub(/.*Socket errors: /, ""); print}' "$out")
  [[ -z "$non2xx" ]] || die "$name answered $non2xx non-2xx responses at -c$c (signature expired?): $(cat "$out")"
  [[ -z "$errors" ]] || echo "   WARNING: $name -c$c socket errors: $errors" >&2
  ticks=$((after - before))
  R[$name,$c,rps]=$(awk '/Requests\/sec:/ {printf "%.0f", $2}' "$out")
  R[$name,$c,p50]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  R[$name,$c,p99]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  R[$name,$c,requests]=$requests
  R[$name,$c,cpu_us]=$(awk -v t="$ticks" -v hz="$hz" -v n="$requests" \
                          'BEGIN {printf "%.1f", t / hz / n * 1e6}')
  R[$name,$c,hwm]=$(proc_status_kb "$pid" VmHWM)
  # CPU that went neither to the server nor to wrk, as a share of the machine during the run.
  R[$name,$c,other]=$(awk -v m=$((m1 - m0)) -v s="$ticks" -v w=$((w1 - w0)) -v hz="$hz" -v n="$ncpu" \
                         -v d="$duration" 'BEGIN {o = 100 * (m - s - w) / hz / n / d; printf "%.0f", o < 0 ? 0 : o}')
  printf '   %-6s -c%-3s %8s req/s  p50 %8s ms  p99 %8s ms  cpu %7s us/req  VmHWM %6s kB  other CPU %3s%%  (%s requests)\n' \
    "$name" "$c" "${R[$name,$c,rps]}" "${R[$name,$c,p50]}" "${R[$name,$c,p99]}" "${R[$name,$c,cpu_us]}" \
    "${R[$name,$c,hwm]}" "${R[$name,$c,other]}" "$requests" >&2
}
warm() {  # port
  sign
  [[ "$warmup" == 0 ]] || wrk -t2 -c32 -d"${warmup}s" -s "$lua" "http://$host:$1/slack/commands" >/dev/null 2>&1 || true
}

say "load: ${duration} s per run, $rounds round(s) (after ${warmup} s of warm-up per server)"
warm "$bot_port"
warm "$floor_port"
declare -A L  # L[name,conns,field]: the figure of every round, space-separated
declare -A RATIO  # RATIO[rps|p99,conns]: bot/floor of every round
for round in $(seq "$rounds"); do
  order=(bot floor)
  ((round % 2 == 1)) || order=(floor bot)
  for conns in 1 32; do
    wt=1
    ((conns == 1)) || wt=2
    for name in "${order[@]}"; do
      if [[ $name == bot ]]; then run_wrk bot "$bot_port" "$bot_pid" "$wt" "$conns"
      else run_wrk floor "$floor_port" "$floor_pid" "$wt" "$conns"; fi
      for f in rps p50 p99 cpu_us hwm requests other; do L[$name,$conns,$f]+=" ${R[$name,$conns,$f]}"; done
    done
    RATIO[rps,$conns]+=" $(awk -v b="${R[bot,$conns,rps]}" -v f="${R[floor,$conns,rps]}" 'BEGIN {printf "%.1f", 100 * b / f}')"
    RATIO[p99,$conns]+=" $(awk -v b="${R[bot,$conns,p99]}" -v f="${R[floor,$conns,p99]}" 'BEGIN {printf "%.2f", b / f}')"
  done
done
# From here on R holds the median of each figure over the rounds (peak RSS: the largest).
for key in "${!L[@]}"; do
  # shellcheck disable=SC2086
  if [[ $key == *,hwm ]]; then R[$key]=$(printf '%s\n' ${L[$key]} | sort -g | tail -1)
  else R[$key]=$(median ${L[$key]}); fi
done

# --- summary --------------------------------------------------------------------------------
kb_to_mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
verdict() { awk -v v="$1" -v lim="$2" -v dir="$3" 'BEGIN {
  ok = (dir == "min") ? (v >= lim) : (v <= lim); print ok ? "PASS" : "MISS" }'; }

echo
echo "Machine: $ncpu cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)," \
  "$(awk '/^MemTotal:/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
echo "Server threads: ${threads} (0 = one per core); wrk on the same machine; ${duration} s per run;" \
  "$rounds round(s), medians shown; bot stderr (one JSON line per request) to a file"
echo
printf '%-7s %5s %10s %10s %10s %12s %11s %10s %10s\n' server conns 'req/s' 'p50 ms' 'p99 ms' \
  'cpu us/req' 'VmHWM MiB' requests 'other CPU'
for conns in 1 32; do
  for name in bot floor; do
    printf '%-7s %5s %10s %10s %10s %12s %11s %10s %9s%%\n' "$name" "$conns" "${R[$name,$conns,rps]}" \
      "${R[$name,$conns,p50]}" "${R[$name,$conns,p99]}" "${R[$name,$conns,cpu_us]}" \
      "$(kb_to_mib "${R[$name,$conns,hwm]}")" "${R[$name,$conns,requests]}" "${R[$name,$conns,other]}"
  done
done
echo

# shellcheck disable=SC2086
{
  rps_pct=$(median ${RATIO[rps,32]})
  p99_ratio=$(median ${RATIO[p99,32]})
  rps_pct_1=$(median ${RATIO[rps,1]})
  p99_ratio_1=$(median ${RATIO[p99,1]})
}
idle_mib=$(kb_to_mib "$idle_rss_median")
v_rps=$(verdict "$rps_pct" 75 min)
v_p99=$(verdict "$p99_ratio" 1.5 max)
v_rss=$(verdict "$idle_mib" 20 max)
v_start=$(verdict "$startup_median" 100 max)

printf '%-46s %12s %10s  %s\n' target measured goal verdict
printf '%-46s %11s%% %10s  %s\n' 'bot req/s as % of floor, 32 connections' "$rps_pct" '>= 75%' "$v_rps"
printf '%-46s %11sx %10s  %s\n' 'bot p99 / floor p99, 32 connections' "$p99_ratio" '<= 1.5x' "$v_p99"
printf '%-46s %s\n' '(info) req/s % of floor per round, 32 conns' "${RATIO[rps,32]# }"
printf '%-46s %s\n' '(info) p99 ratio per round, 32 conns' "${RATIO[p99,32]# }"
printf '%-46s %8s MiB %10s  %s\n' "idle RSS (median of $startup_runs, after ready)" "$idle_mib" '<= 20 MiB' "$v_rss"
printf '%-46s %9s ms %10s  %s\n' "start-up to ready (median of $startup_runs)" "$startup_median" '<= 100 ms' "$v_start"
printf '%-46s %11s%%\n' '(info) bot req/s as % of floor, 1 connection' "$rps_pct_1"
printf '%-46s %11sx\n' '(info) bot p99 / floor p99, 1 connection' "$p99_ratio_1"
printf '%-46s %s\n' '(info) start-up runs, ms' "${startup_ms[*]}"
printf '%-46s %s\n' '(info) idle VmRSS per start-up run, kB' "${idle_rss_kb[*]}"
printf '%-46s %s\n' '(info) idle VmRSS of the loaded bot, kB' "$bot_idle_rss"

if [[ "${BENCH_STRICT:-0}" == 1 ]] && [[ "$v_rps$v_p99$v_rss$v_start" == *MISS* ]]; then
  exit 3
fi
