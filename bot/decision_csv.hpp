#pragma once
// Decisions as CSV (RFC 4180) for `playbook-bot decisions export` and `import`: a spreadsheet of
// past decisions comes in, the decision log goes out, and what goes out comes back in unchanged.
// Pure text in, rows out; every bad row is reported with the line it starts on.

#include "storage/decisions.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

// The columns export writes, in order; import needs vendor and outcome, the rest are optional.
const std::vector<std::string_view>& decision_csv_columns();

// The header line and one line per decision. Cells a spreadsheet would run as a formula (starting
// with = + - @) are prefixed with ' and import takes the ' off again.
std::string decision_csv_header();
std::string decision_csv_row(const storage::decision& d);

struct csv_problem {
  std::size_t line = 0;  // 1-based line the row starts on
  std::string message;
};

struct csv_import {
  std::vector<storage::decision_input> rows;
  std::vector<csv_problem> problems;
};

// Reads a CSV file of decisions. Rows that are fine are returned; each bad row is a problem. A
// broken file (no header, an unknown column, an unclosed quote) is a problem on its line and
// yields no rows. defaults fills who/where/when for rows that do not say; now is Unix seconds.
csv_import read_decision_csv(std::string_view text, const storage::actor& defaults, std::int64_t now);

// "2026-11-28T19:40:00Z" for exports.
std::string iso_utc(std::int64_t unix_seconds);

// Unix seconds from "2026-11-28", "2026-11-28T19:40:00Z", "2026-11-28 19:40" or a Unix
// timestamp; nullopt when it is none of these.
std::optional<std::int64_t> parse_time(std::string_view s);

}  // namespace bot
