#include "bot/decision_csv.hpp"

#include "bot/commands.hpp"
#include "bot/decision_command.hpp"
#include "bot/utc_time.hpp"
#include "integrations/text/echo_safety.hpp"
#include "integrations/text/utf8.hpp"
#include "storage/vendor_name.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace bot {

namespace {

namespace text = integrations::text;
namespace utf8 = integrations::utf8;

std::string cell(std::string_view value) {
  std::string v(value);
  // Spreadsheet formula injection: a leading = + - @ would run as a formula when opened.
  if (!v.empty() && std::string_view("=+-@").find(v.front()) != std::string_view::npos) v.insert(0, "'");
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string uncell(std::string v) {
  if (v.size() >= 2 && v.front() == '\'' && std::string_view("=+-@").find(v[1]) != std::string_view::npos)
    v.erase(0, 1);
  return v;
}

struct record {
  std::size_t line;
  std::vector<std::string> cells;
};

// RFC 4180 records; a quote left open is reported as a problem on the line it opened.
std::vector<record> split_records(std::string_view s, std::vector<csv_problem>& problems) {
  std::vector<record> out;
  std::size_t line = 1;
  std::size_t i = 0;
  if (s.starts_with("\xEF\xBB\xBF")) i = 3;  // a BOM from Excel
  while (i < s.size()) {
    record r{line, {}};
    std::string current;
    bool done = false;
    while (!done) {
      if (i < s.size() && s[i] == '"') {
        const std::size_t opened = line;
        ++i;
        for (;;) {
          if (i >= s.size()) {
            problems.push_back({opened, "a quoted cell is never closed"});
            return {};
          }
          if (s[i] == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              current += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (s[i] == '\n') ++line;
          current += s[i++];
        }
      }
      while (i < s.size() && s[i] != ',' && s[i] != '\n' && s[i] != '\r') current += s[i++];
      r.cells.push_back(std::move(current));
      current.clear();
      if (i >= s.size()) {
        done = true;
      } else if (s[i] == ',') {
        ++i;
      } else {
        if (s[i] == '\r') ++i;
        if (i < s.size() && s[i] == '\n') ++i;
        ++line;
        done = true;
      }
    }
    const bool blank = r.cells.size() == 1 && r.cells[0].empty();
    if (!blank) out.push_back(std::move(r));
  }
  return out;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar.
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

const std::vector<std::string_view>& decision_csv_columns() {
  static const std::vector<std::string_view> columns = {
      "decided_at", "vendor", "outcome", "rationale", "conditions", "revisit_on",
      "ticket",     "decided_by", "decided_by_name", "source", "place"};
  return columns;
}

std::string iso_utc(std::int64_t unix_seconds) { return utc_text(unix_seconds, "%Y-%m-%dT%H:%M:%SZ"); }

std::optional<std::int64_t> parse_time(std::string_view s) {
  if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc{} && r.ptr == s.data() + s.size()) return v;
    return std::nullopt;
  }
  if (s.size() < 10 || !valid_iso_date(s.substr(0, 10))) return std::nullopt;
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  std::int64_t t = days_from_civil(y, m, d) * 86400;
  auto rest = s.substr(10);
  if (rest.empty()) return t;
  if (rest.front() != 'T' && rest.front() != ' ') return std::nullopt;
  rest.remove_prefix(1);
  if (rest.ends_with('Z')) rest.remove_suffix(1);
  int hh = 0, mm = 0, ss = 0;
  const auto two = [](std::string_view p, int& out, int max) {
    if (p.size() != 2 || !std::isdigit(static_cast<unsigned char>(p[0])) ||
        !std::isdigit(static_cast<unsigned char>(p[1])))
      return false;
    out = (p[0] - '0') * 10 + (p[1] - '0');
    return out <= max;
  };
  if (rest.size() != 5 && rest.size() != 8) return std::nullopt;
  if (!two(rest.substr(0, 2), hh, 23) || rest[2] != ':' || !two(rest.substr(3, 2), mm, 59))
    return std::nullopt;
  if (rest.size() == 8 && (rest[5] != ':' || !two(rest.substr(6, 2), ss, 59))) return std::nullopt;
  return t + hh * 3600 + mm * 60 + ss;
}

std::string decision_csv_header() {
  std::string out;
  for (const auto c : decision_csv_columns()) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out + "\r\n";
}

std::string decision_csv_row(const storage::decision& d) {
  const std::vector<std::string> values = {
      iso_utc(d.decided_at), d.vendor,   std::string(storage::outcome_name(d.what)),
      d.rationale,           d.conditions, d.revisit_on,
      d.ticket,              d.decided_by, d.decided_by_name,
      d.source,              d.place};
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += cell(values[i]);
  }
  return out + "\r\n";
}

csv_import read_decision_csv(std::string_view input, const storage::actor& defaults, std::int64_t now) {
  csv_import out;
  if (!utf8::valid(input)) {
    out.problems.push_back({1, "the file is not UTF-8 text (save it from the spreadsheet as CSV UTF-8)"});
    return out;
  }
  auto records = split_records(input, out.problems);
  if (!out.problems.empty()) return out;
  if (records.empty()) {
    out.problems.push_back({1, "the file is empty; it needs a header line naming its columns"});
    return out;
  }
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < records[0].cells.size(); ++i) {
    const std::string name = lowercase(records[0].cells[i]);
    const auto& known = decision_csv_columns();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      out.problems.push_back({records[0].line, "unknown column '" + utf8::sanitize(name.substr(0, 40)) +
                                                   "' (known: " + list + ")"});
      return out;
    }
    if (column.count(name) != 0) {
      out.problems.push_back({records[0].line, "the column " + name + " appears twice"});
      return out;
    }
    column[name] = i;
  }
  for (const char* required : {"vendor", "outcome"})
    if (column.count(required) == 0) {
      out.problems.push_back({records[0].line, std::string("the header has no ") + required + " column"});
      return out;
    }

  const text::echo_rules prose{.allow_line_breaks = true, .allow_urls = true};
  const text::echo_rules one_line{.allow_line_breaks = false, .allow_urls = true};
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    const auto get = [&](const char* name) -> std::string {
      const auto it = column.find(name);
      if (it == column.end() || it->second >= rec.cells.size()) return {};
      return uncell(rec.cells[it->second]);
    };
    const auto bad = [&](std::string message) { out.problems.push_back({rec.line, std::move(message)}); };
    if (rec.cells.size() != records[0].cells.size()) {
      bad("has " + std::to_string(rec.cells.size()) + " cells; the header has " +
          std::to_string(records[0].cells.size()));
      continue;
    }
    storage::decision_input in;
    in.vendor = get("vendor");
    if (in.vendor.empty()) {
      bad("no vendor");
      continue;
    }
    if (auto p = text::echo_problem(in.vendor, {.allow_line_breaks = false, .allow_urls = false})) {
      bad("the vendor name " + *p);
      continue;
    }
    if (utf8::length(in.vendor) > max_vendor_chars || storage::vendor_key(in.vendor).empty()) {
      bad("the vendor name must be 1 to " + std::to_string(max_vendor_chars) +
          " characters with a letter or digit");
      continue;
    }
    const auto o = outcome_from_word(get("outcome"));
    if (!o) {
      bad("outcome '" + utf8::sanitize(get("outcome").substr(0, 40)) +
          "' is not approve, reject, defer or conditional");
      continue;
    }
    in.what = *o;
    in.rationale = get("rationale");
    in.conditions = get("conditions");
    in.revisit_on = get("revisit_on");
    in.ticket = get("ticket");
    bool fine = true;
    for (const auto& [name, value, rules, max] :
         {std::tuple{"rationale", &in.rationale, prose, max_rationale_chars},
          std::tuple{"conditions", &in.conditions, prose, max_conditions_chars},
          std::tuple{"ticket", &in.ticket, one_line, std::size_t{200}}}) {
      if (auto p = text::echo_problem(*value, rules)) {
        bad(std::string("the ") + name + " " + *p);
        fine = false;
        break;
      }
      if (utf8::length(*value) > max) {
        bad(std::string("the ") + name + " is longer than " + std::to_string(max) + " characters");
        fine = false;
        break;
      }
    }
    if (!fine) continue;
    if (!in.revisit_on.empty() && !valid_iso_date(in.revisit_on)) {
      bad("revisit_on '" + utf8::sanitize(in.revisit_on.substr(0, 20)) + "' is not a date (YYYY-MM-DD)");
      continue;
    }
    const auto when = get("decided_at");
    if (when.empty()) {
      in.at = now;
    } else if (const auto t = parse_time(when)) {
      in.at = *t;
    } else {
      bad("decided_at '" + utf8::sanitize(when.substr(0, 30)) +
          "' is not a date (2026-11-28, 2026-11-28T19:40:00Z or a Unix time)");
      continue;
    }
    in.by = defaults;
    for (const auto& [name, target] : {std::pair{"decided_by", &in.by.id},
                                       std::pair{"decided_by_name", &in.by.name},
                                       std::pair{"source", &in.by.source},
                                       std::pair{"place", &in.by.place}}) {
      auto v = get(name);
      if (v.empty()) continue;
      if (auto p = text::echo_problem(v, one_line); p || utf8::length(v) > 200) {
        bad(std::string("the ") + name + (p ? " " + *p : std::string(" is too long")));
        fine = false;
        break;
      }
      *target = std::move(v);
    }
    if (fine) out.rows.push_back(std::move(in));
  }
  return out;
}

}  // namespace bot
