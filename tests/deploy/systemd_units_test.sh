#!/usr/bin/env bash
# deploy/playbook-bot.service and the backup service and timer: `systemd-analyze verify` finds
# nothing to say about them (run on copies whose ExecStart names the binary just built, since
# verify checks that it exists), the service has the settings the README promises (ephemeral
# user, state directory, read-only system, environment file, restart on failure) and the
# sandbox a network service can have, `systemd-analyze security` rates both services at most 2.0
# ("OK"), the backup shares the service's user and directory, its shell command (systemd's $$
# and %% escapes undone) writes a time-stamped file in the backup folder, and the timer's
# calendar expression parses.
# Usage: systemd_units_test.sh BINARY SOURCE_DIR   Exit 77 (skipped) without systemd-analyze.
set -euo pipefail
binary=$1
deploy=$2/deploy
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is not installed"; exit 77; }
[[ -x "$binary" ]] || { echo "FAIL: $binary is not an executable"; exit 1; }

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

service=$deploy/playbook-bot.service
backup=$deploy/playbook-bot-backup.service
timer=$deploy/playbook-bot-backup.timer
for f in "$service" "$backup" "$timer"; do
  [[ -f "$f" ]] || { echo "FAIL: $f is missing"; exit 1; }
done

# The value of KEY in FILE (the last assignment: later lines override, as in systemd).
value() { awk -v key="$2" 'index($0, key "=") == 1 { v = substr($0, length(key) + 2) } END { print v }' "$1"; }
# FILE has the line KEY=VALUE exactly.
expect_line() { grep -qxF -- "$2=$3" "$1" || fail "$(basename "$1") lacks $2=$3"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. systemd-analyze verify, on copies that point at the binary just built. In a container it
#    may also talk about the machine (no running systemd, missing default units); only lines
#    about our units count.
installed=/usr/local/bin/playbook-bot
grep -q "$installed" "$service" || fail "playbook-bot.service does not run $installed"
for f in "$service" "$backup" "$timer"; do
  sed "s#$installed#$binary#g" "$f" >"$work/$(basename "$f")"
done
set +e
verify_out=$(cd "$work" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify \
  "$work/playbook-bot.service" "$work/playbook-bot-backup.service" "$work/playbook-bot-backup.timer" 2>&1)
verify_rc=$?
set -e
ours=$(grep -E "playbook-bot|$work" <<<"$verify_out" || true)
if [[ -n "$ours" ]]; then
  fail "systemd-analyze verify:"
  echo "$ours"
elif ((verify_rc != 0)); then
  echo "note: systemd-analyze verify exited $verify_rc about the environment only:"
  echo "$verify_out"
fi

# 2. The service's settings.
expect_line "$service" ExecStart "$installed serve"
expect_line "$service" DynamicUser yes
expect_line "$service" User playbook-bot
expect_line "$service" StateDirectory playbook-bot
expect_line "$service" Environment PLAYBOOK_DB=/var/lib/playbook-bot/playbook.db
[[ $(value "$service" EnvironmentFile) == -/etc/playbook-bot/* ]] ||
  fail "playbook-bot.service: EnvironmentFile=-/etc/playbook-bot/... (optional) expected"
expect_line "$service" Restart on-failure
expect_line "$service" ProtectSystem strict
expect_line "$service" ProtectHome yes
expect_line "$service" PrivateTmp yes
expect_line "$service" PrivateDevices yes
expect_line "$service" NoNewPrivileges yes
expect_line "$service" CapabilityBoundingSet ""
expect_line "$service" MemoryDenyWriteExecute yes
expect_line "$service" LockPersonality yes
expect_line "$service" RestrictNamespaces yes
expect_line "$service" RestrictSUIDSGID yes
expect_line "$service" SystemCallArchitectures native
expect_line "$service" SystemCallFilter @system-service
# Exactly IPv4, IPv6 and local sockets, in any order: the bot listens and calls APIs over TCP.
families=$(value "$service" RestrictAddressFamilies | tr ' ' '\n' | sort | tr '\n' ' ')
[[ "$families" == "AF_INET AF_INET6 AF_UNIX " ]] ||
  fail "playbook-bot.service: RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX expected, got '$families'"
# systemd must wait longer than the bot's own drain on SIGTERM (10 s by default).
stop=$(value "$service" TimeoutStopSec)
[[ "$stop" =~ ^([0-9]+)s?$ ]] && ((BASH_REMATCH[1] > 10)) ||
  fail "playbook-bot.service: TimeoutStopSec=$stop is not longer than the 10 s shutdown timeout"
grep -qx 'WantedBy=multi-user.target' "$service" || fail "playbook-bot.service: WantedBy=multi-user.target"

# 3. The backup runs as the same dynamic user with the same state directory and settings.
expect_line "$backup" Type oneshot
expect_line "$backup" DynamicUser yes
for key in User Group EnvironmentFile; do
  [[ $(value "$backup" $key) == "$(value "$service" $key)" ]] ||
    fail "playbook-bot-backup.service: $key differs from playbook-bot.service"
done
[[ " $(value "$backup" StateDirectory) " == *" playbook-bot "* ]] ||
  fail "playbook-bot-backup.service: StateDirectory must include playbook-bot"
[[ " $(value "$backup" StateDirectory) " == *" playbook-bot/backups "* ]] ||
  fail "playbook-bot-backup.service: StateDirectory must create playbook-bot/backups"
expect_line "$backup" Environment PLAYBOOK_DB=/var/lib/playbook-bot/playbook.db
expect_line "$backup" ProtectSystem strict
expect_line "$backup" NoNewPrivileges yes

# The backup's command as systemd runs it: a /bin/sh -c script once $$ → $ and %% → % are undone.
# Run with a stand-in binary that prints its arguments, it must ask for
# `backup /var/lib/playbook-bot/backups/playbook-<UTC time>.db`.
exec_start=$(value "$backup" ExecStart)
if [[ "$exec_start" =~ ^/bin/sh\ -c\ \'(.*)\'$ ]]; then
  script=${BASH_REMATCH[1]}
  [[ $(sed 's/%%//g; s/\$\$//g' <<<"$script") != *[%\$]* ]] ||
    fail "playbook-bot-backup.service: a single % or \$ in ExecStart (systemd would expand it)"
  script=${script//%%/%}
  script=${script//\$\$/\$}
  printf '#!/bin/sh\necho "$@"\n' >"$work/stand-in"
  chmod +x "$work/stand-in"
  ran=$(/bin/sh -c "${script//$installed/$work/stand-in}")
  [[ "$ran" =~ ^backup\ /var/lib/playbook-bot/backups/playbook-[0-9]{8}T[0-9]{6}Z\.db$ ]] ||
    fail "playbook-bot-backup.service: its command runs '$ran'"
else
  fail "playbook-bot-backup.service: ExecStart=/bin/sh -c '...' expected, got '$exec_start'"
fi

# 4. The timer.
expect_line "$timer" Unit playbook-bot-backup.service
expect_line "$timer" Persistent true
expect_line "$timer" WantedBy timers.target
calendar=$(value "$timer" OnCalendar)
systemd-analyze calendar "$calendar" >/dev/null 2>&1 ||
  fail "playbook-bot-backup.timer: OnCalendar=$calendar does not parse"

# 5. systemd's own exposure rating, where this systemd can rate unit files offline (252+).
if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
  for unit in playbook-bot.service playbook-bot-backup.service; do
    rating=$(cd "$work" && systemd-analyze security --offline=yes --threshold=20 "./$unit" 2>&1) ||
      fail "$unit: exposure over 2.0: $(tail -n 1 <<<"$rating")"
    echo "$(tail -n 1 <<<"$rating")"
  done
else
  echo "note: this systemd-analyze cannot rate unit files offline"
fi

((failures == 0)) || { echo "$failures failure(s)"; exit 1; }
echo "systemd units: all checks passed"
