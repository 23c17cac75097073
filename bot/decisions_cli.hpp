#pragma once
// `playbook-bot decisions list|show|search|export|import|alias`: the decision log on the server's
// command line, for audits, spreadsheets and teams bringing their past decisions.

#include "bot/config.hpp"
#include "storage/decisions.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace bot {

extern const char* const decisions_usage;

// Runs the subcommand in args (the words after `decisions`, --config already taken out) on the
// database of s. me is who runs it (for the audit log); now is Unix seconds. Returns the exit
// status: 0 done, 1 failed (nothing found, a bad import), 2 a usage error.
int run_decisions_cli(const std::vector<std::string>& args, const settings& s,
                      const storage::actor& me, std::int64_t now, std::ostream& out,
                      std::ostream& err);

}  // namespace bot
