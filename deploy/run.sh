#!/usr/bin/env bash
# Set-up command 1: installs what is missing, builds the release binary and starts the bot on its
# embedded defaults (SQLite under ./var, listening on 127.0.0.1:8080). Arguments go to `serve`,
# e.g. deploy/run.sh --config deploy/playbook-bot.example.toml
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/setup.sh
build_dir=${PLAYBOOK_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target playbook-bot
mkdir -p var
exec "$build_dir/bot/playbook-bot" serve "$@"
