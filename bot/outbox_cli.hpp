#pragma once
// `playbook-bot outbox list|retry ID|drop ID`: the review comments that could not be delivered,
// on the server's command line. Safe while the server runs (SQLite serialises the writes).

#include "bot/config.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace bot {

extern const char* const outbox_usage;

// Runs the subcommand in args (the words after `outbox`, --config already taken out) on the
// database of s; now is Unix seconds. Returns 0 done, 1 failed (no such entry, not in a state
// that allows it), 2 a usage error.
int run_outbox_cli(const std::vector<std::string>& args, const settings& s, std::int64_t now,
                   std::ostream& out, std::ostream& err);

}  // namespace bot
