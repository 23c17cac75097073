#include "bot/decision_command.hpp"

#include "bot/commands.hpp"
#include "integrations/text/echo_safety.hpp"
#include "integrations/text/utf8.hpp"
#include "storage/vendor_name.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace bot {

namespace {

namespace text = integrations::text;
namespace utf8 = integrations::utf8;

// The whitespace bot::words splits on.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

constexpr std::string_view em_dash = "\xE2\x80\x94";
constexpr std::string_view en_dash = "\xE2\x80\x93";

// Strips the separators people put between parts: spaces, dashes (-, --, –, —), colons, commas.
std::string_view trim_separators(std::string_view s) {
  for (bool changed = true; changed;) {
    changed = false;
    s = trim(s);
    for (const std::string_view sep : {em_dash, en_dash, std::string_view("-"),
                                       std::string_view(":"), std::string_view(","),
                                       std::string_view(";")}) {
      if (s.starts_with(sep)) {
        s.remove_prefix(sep.size());
        changed = true;
      }
      if (s.ends_with(sep)) {
        s.remove_suffix(sep.size());
        changed = true;
      }
    }
  }
  return s;
}

struct word {
  std::size_t begin, end;  // byte offsets in the text
  std::string_view text;
};

// bot::words with each word's place in s.
std::vector<word> split(std::string_view s) {
  std::vector<word> out;
  for (const auto w : words(s)) {
    const auto begin = static_cast<std::size_t>(w.data() - s.data());
    out.push_back({begin, begin + w.size(), w});
  }
  return out;
}

// The word without punctuation around it ("approve," → "approve", "ticket:" → "ticket").
std::string_view bare(std::string_view w) {
  while (!w.empty() && std::string_view(",:;.!?—–-").find(w.back()) != std::string_view::npos)
    w.remove_suffix(1);
  while (w.ends_with(em_dash) || w.ends_with(en_dash)) w.remove_suffix(3);
  return w;
}

bool all_of(std::string_view s, int (*pred)(int)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return pred(static_cast<unsigned char>(c)) != 0;
  });
}

bool ticket_chars(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/';
  });
}

// A ticket reference: PROC-123 (Jira), owner/repo#12 or group/project!34 (GitHub, GitLab), #12,
// or an http(s) address. Returns it normalised (Jira keys upper-cased), or "" when it is none.
std::string ticket_reference(std::string_view w) {
  w = bare(w);
  if (w.empty() || w.size() > 200) return {};
  if (w.starts_with("https://") || w.starts_with("http://")) {
    const bool clean = std::none_of(w.begin(), w.end(), [](char c) {
      return c == '<' || c == '>' || c == '|' || c == '"' || static_cast<unsigned char>(c) < 0x21;
    });
    return clean ? std::string(w) : std::string();
  }
  if (const auto hash = w.find_first_of("#!"); hash != std::string_view::npos) {
    const auto number = w.substr(hash + 1);
    const auto where = w.substr(0, hash);
    if (all_of(number, std::isdigit) && (where.empty() || (ticket_chars(where) &&
                                                           where.find('/') != std::string_view::npos)))
      return std::string(w);
    return {};
  }
  const auto dash = w.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return {};
  const auto project = w.substr(0, dash);
  if (!std::isalpha(static_cast<unsigned char>(project[0])) || !all_of(w.substr(dash + 1), std::isdigit))
    return {};
  if (!std::all_of(project.begin(), project.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      }))
    return {};
  std::string out(w);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string check_field(std::string_view what, std::string_view value, std::size_t max_chars,
                        text::echo_rules rules) {
  if (const auto problem = text::echo_problem(value, rules)) return std::string(what) + " " + *problem + ".";
  if (utf8::length(value) > max_chars)
    return std::string(what) + " is " + std::to_string(utf8::length(value)) +
           " characters long; at most " + std::to_string(max_chars) + " are kept.";
  return {};
}

std::string check_vendor(std::string_view vendor) {
  auto problem = check_field("The vendor name", vendor, max_vendor_chars,
                             {.allow_line_breaks = false, .allow_urls = false});
  if (problem.empty() && storage::vendor_key(vendor).empty())
    problem = "The vendor name needs at least one letter or digit.";
  return problem;
}

}  // namespace

std::optional<storage::outcome> outcome_from_word(std::string_view w) {
  using storage::outcome;
  const std::string l = lowercase(bare(w));
  static const std::array<std::pair<std::string_view, outcome>, 17> words = {{
      {"approve", outcome::approve},
      {"approved", outcome::approve},
      {"accept", outcome::approve},
      {"accepted", outcome::approve},
      {"reject", outcome::reject},
      {"rejected", outcome::reject},
      {"decline", outcome::reject},
      {"declined", outcome::reject},
      {"defer", outcome::defer},
      {"deferred", outcome::defer},
      {"postpone", outcome::defer},
      {"postponed", outcome::defer},
      {"conditional", outcome::conditional},
      {"conditionally", outcome::conditional},
      {"conditionally-approved", outcome::conditional},
      {"approve-with-conditions", outcome::conditional},
      {"conditional-approval", outcome::conditional},
  }};
  for (const auto& [name, o] : words)
    if (l == name) return o;
  return std::nullopt;
}

bool valid_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int y = 0, m = 0, d = 0;
  const auto num = [](std::string_view part, int& out) {
    const auto r = std::from_chars(part.data(), part.data() + part.size(), out);
    return r.ec == std::errc{} && r.ptr == part.data() + part.size();
  };
  if (!num(s.substr(0, 4), y) || !num(s.substr(5, 2), m) || !num(s.substr(8, 2), d)) return false;
  if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[static_cast<std::size_t>(m - 1)] + (m == 2 && leap ? 1 : 0);
}

std::string decide_usage(std::string_view prefix) {
  return std::string(prefix) +
         " decide <vendor> approve|reject|defer|conditional [— reason] [conditions: …] "
         "[revisit YYYY-MM-DD] [ticket KEY-123] [private]";
}

usage_result<decide_request> parse_decide(std::string_view input, std::string_view prefix) {
  const std::string usage = "Usage: " + decide_usage(prefix);
  const std::string_view s = trim(input);
  if (s.empty()) return usage_error{"Say which vendor and what was decided. " + usage};
  if (!utf8::valid(s)) return usage_error{"The decision is not valid UTF-8. " + usage};

  decide_request out;
  std::string_view rest;
  // The vendor: quoted ("Approve Labs" approve), or every word before the first outcome word.
  const bool straight = s.starts_with('"');
  const bool curly = s.starts_with("\xE2\x80\x9C");  // “
  if (straight || curly) {
    const std::size_t open = straight ? 1 : 3;
    const auto close = straight ? s.find('"', open) : s.find("\xE2\x80\x9D", open);  // ”
    if (close == std::string_view::npos) return usage_error{"The vendor's closing quote is missing. " + usage};
    out.vendor = std::string(trim(s.substr(open, close - open)));
    rest = trim(s.substr(close + (straight ? 1 : 3)));
    const auto ws = split(rest);
    const auto o = ws.empty() ? std::nullopt : outcome_from_word(ws[0].text);
    if (!o) return usage_error{"Say what was decided after the vendor: approve, reject, defer or conditional. " + usage};
    out.what = *o;
    rest = rest.substr(ws[0].end);
  } else {
    const auto ws = split(s);
    std::size_t at = 0;
    for (std::size_t i = 1; i < ws.size() && at == 0; ++i)
      if (outcome_from_word(ws[i].text)) at = i;
    if (at == 0) {
      if (outcome_from_word(ws[0].text))
        return usage_error{"Say which vendor the decision is about before the outcome. " + usage};
      return usage_error{"Say what was decided: approve, reject, defer or conditional. " + usage};
    }
    out.vendor = std::string(trim_separators(s.substr(0, ws[at].begin)));
    out.what = *outcome_from_word(ws[at].text);
    rest = s.substr(ws[at].end);
  }
  if (out.vendor.empty()) return usage_error{"Say which vendor the decision is about. " + usage};
  if (auto problem = check_vendor(out.vendor); !problem.empty()) return usage_error{problem + " " + usage};

  // The tail: a reason, with `conditions: …`, `revisit <date>` and `ticket <ref>` anywhere in it.
  rest = trim_separators(rest);
  if (lowercase(rest.substr(0, 8)) == "because ") rest = trim(rest.substr(8));
  const auto ws = split(rest);
  std::string rationale, conditions;
  bool in_conditions = false;
  std::size_t piece_begin = 0;  // start of the text not yet assigned
  const auto take = [&](std::size_t end) {
    const auto piece = trim_separators(rest.substr(piece_begin, end - piece_begin));
    std::string& into = in_conditions ? conditions : rationale;
    if (!piece.empty()) {
      if (!into.empty()) into += ' ';
      into += piece;
    }
  };
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const std::string key = lowercase(bare(ws[i].text));
    if (key == "ticket" && i + 1 < ws.size()) {
      if (auto ref = ticket_reference(ws[i + 1].text); !ref.empty()) {
        if (!out.ticket.empty()) return usage_error{"Give one ticket per decision. " + usage};
        take(ws[i].begin);
        out.ticket = std::move(ref);
        piece_begin = ws[i + 1].end;
        ++i;
        continue;
      }
    }
    if (key == "revisit" || key == "until" || key == "expires") {
      std::size_t d = i + 1;
      if (d < ws.size() && (lowercase(ws[d].text) == "on" || lowercase(ws[d].text) == "by")) ++d;
      if (d < ws.size() && bare(ws[d].text).size() == 10 && bare(ws[d].text)[4] == '-') {
        const auto date = bare(ws[d].text);
        if (!valid_iso_date(date))
          return usage_error{"The revisit date must be a real date written YYYY-MM-DD. " + usage};
        take(ws[i].begin);
        out.revisit_on = std::string(date);
        piece_begin = ws[d].end;
        i = d;
        continue;
      }
    }
    if ((key == "conditions" || key == "condition") && ws[i].text.ends_with(':')) {
      take(ws[i].begin);
      in_conditions = true;
      piece_begin = ws[i].end;
    }
  }
  take(rest.size());
  out.rationale = std::move(rationale);
  out.conditions = std::move(conditions);

  const text::echo_rules prose{.allow_line_breaks = true, .allow_urls = true};
  if (auto p = check_field("The reason", out.rationale, max_rationale_chars, prose); !p.empty())
    return usage_error{p + " " + usage};
  if (auto p = check_field("The conditions", out.conditions, max_conditions_chars, prose); !p.empty())
    return usage_error{p + " " + usage};
  if (!out.conditions.empty() && out.what != storage::outcome::conditional)
    return usage_error{"Conditions go with a conditional decision: use conditional instead of " +
                       std::string(storage::outcome_name(out.what)) + ". " + usage};
  return out;
}

usage_result<std::string> parse_vendor_name(std::string_view input, std::string_view prefix) {
  std::string_view s = trim(input);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = trim(s.substr(1, s.size() - 2));
  const std::string usage = "Usage: " + std::string(prefix) + " vendor <name>";
  if (s.empty()) return usage_error{"Say which vendor to look up. " + usage};
  if (auto problem = check_vendor(s); !problem.empty()) return usage_error{problem + " " + usage};
  return usage_result<std::string>(boost::system::in_place_value, std::string(s));
}

usage_result<decisions_query> parse_decisions_query(std::string_view input, std::string_view prefix) {
  const std::string usage = "Usage: " + std::string(prefix) +
                            " decisions [recent [N] | search <words> | outcome "
                            "approve|reject|defer|conditional]";
  const std::string_view s = trim(input);
  decisions_query q;
  const auto ws = split(s);
  if (ws.empty()) return q;
  const std::string first = lowercase(ws[0].text);
  const auto number = [&](std::string_view w) -> std::optional<std::size_t> {
    std::size_t n = 0;
    const auto r = std::from_chars(w.data(), w.data() + w.size(), n);
    if (r.ec != std::errc{} || r.ptr != w.data() + w.size() || n < 1 || n > max_listed_decisions)
      return std::nullopt;
    return n;
  };
  if (first == "recent" || first == "latest" || first == "last" || number(ws[0].text)) {
    const bool bare_number = number(ws[0].text).has_value();
    const std::size_t count_at = bare_number ? 0 : 1;
    if (ws.size() > count_at + 1) return usage_error{"recent takes one number. " + usage};
    if (ws.size() == count_at + 1) {
      const auto n = number(ws[count_at].text);
      if (!n)
        return usage_error{"recent takes a number from 1 to " + std::to_string(max_listed_decisions) +
                           ". " + usage};
      q.limit = *n;
    }
    return q;
  }
  if (first == "search" || first == "find") {
    q.what = decisions_query::kind::search;
    q.words = std::string(trim(s.substr(ws[0].end)));
    if (q.words.empty()) return usage_error{"Say what to search for. " + usage};
    if (auto problem = text::echo_problem(q.words, {.allow_line_breaks = false, .allow_urls = true}))
      return usage_error{"The search words " + *problem + ". " + usage};
    if (utf8::length(q.words) > 200) return usage_error{"Search with at most 200 characters. " + usage};
    return q;
  }
  std::size_t at = 0;
  if (first == "outcome" || first == "status") at = 1;
  if (at < ws.size() && ws.size() == at + 1) {
    if (const auto o = outcome_from_word(ws[at].text)) {
      q.what = decisions_query::kind::outcome;
      q.only = *o;
      return q;
    }
  }
  if (at == 1) return usage_error{"outcome takes one of approve, reject, defer or conditional. " + usage};
  return usage_error{"Unknown option. " + usage};
}

}  // namespace bot
