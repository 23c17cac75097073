#include "bot/commands.hpp"

#include <algorithm>
#include <numeric>
#include <optional>

namespace bot {

const std::vector<subcommand_info>& subcommands() {
  static const std::vector<subcommand_info> list = {
      {topic::help, "help", "", "this list", {"?", "h", "usage", "commands"}},
      {topic::criteria, "criteria", "", "the criteria VPs actually use to evaluate providers",
       {"criterion", "evaluate", "evaluation", "eval"}},
      {topic::red_flags, "red-flags", "", "red flags that still get missed in proposals",
       {"redflags", "red_flags", "red-flag", "redflag", "flags", "flag"}},
      {topic::questions, "questions", "", "questions to ask before signing",
       {"question", "q", "ask"}},
      {topic::types, "types", "[mooc|cert|workshop|bootcamp]",
       "the four kinds of training providers, or one in detail",
       {"type", "providers", "provider", "categories"}},
      {topic::capabilities, "capabilities", "", "what real AI capability looks like",
       {"capability", "caps", "skills"}},
      {topic::formats, "formats", "", "training formats that actually work",
       {"format"}},
      {topic::tracks, "tracks", "[frontend|backend|devops]", "role-specific tracks",
       {"track", "roles", "role"}},
      {topic::invest, "invest", "", "when to invest in external training, and when not to",
       {"investment", "avoid", "when"}},
      {topic::failures, "failures", "", "why most AI training programs fail",
       {"failure", "fail", "failure-modes", "pitfalls"}},
      {topic::takeaways, "takeaways", "", "the final takeaways", {"takeaway", "summary", "tldr"}},
      {topic::about, "about", "", "what the playbook covers and does not", {"intro", "scope"}},
      {topic::search, "search", "<words>", "the playbook passages that best match your words",
       {"find", "s", "lookup"}},
      {topic::review, "review", "<proposal text>",
       "red flags, coverage, provider type and a verdict for a pasted proposal",
       {"check", "assess", "evaluate-proposal"}},
      {topic::decide, "decide",
       "<vendor> approve|reject|defer|conditional [\u2014 reason] [ticket KEY-123] [private]",
       "record a vendor decision (shown in the channel unless private)",
       {"decision", "record"}},
      {topic::vendor, "vendor", "<name>",
       "a vendor's current status, decision history and latest review",
       {"vendors", "status"}},
      {topic::decisions, "decisions",
       "[recent [N] | search <words> | outcome approve|reject|defer|conditional]",
       "recent decisions across vendors, or a search of their reasons",
       {"history", "log"}},
  };
  return list;
}

const subcommand_info& info(topic t) {
  for (const auto& s : subcommands())
    if (s.what == t) return s;
  return subcommands().front();
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !space(text[i])) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

std::optional<std::size_t> closest(std::string_view word,
                                   const std::vector<std::string_view>& candidates) {
  if (word.empty() || word.size() > 64) return std::nullopt;
  std::optional<std::size_t> best;
  std::size_t best_distance = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    std::size_t d = edit_distance(word, candidates[i]);
    // A prefix of at least three letters ("cap", "ques") is as good as one typo.
    if (word.size() >= 3 && candidates[i].starts_with(word)) d = std::min<std::size_t>(d, 1);
    if (!best || d < best_distance) {
      best = i;
      best_distance = d;
    }
  }
  // Up to one edit for short words, two for longer ones: further than that is a different word.
  const std::size_t allowed = word.size() <= 4 ? 1 : 2;
  if (best && best_distance <= allowed) return best;
  return std::nullopt;
}

namespace {

bool takes_raw_text(topic t) {
  return t == topic::review || t == topic::decide || t == topic::vendor || t == topic::decisions;
}

// `review <text>`, `decide …`, `vendor …`, `decisions …`: the text after the subcommand as
// written, since a proposal's line breaks carry its structure and a rationale's punctuation is
// the user's. nullopt when the first word is none of these.
std::optional<parsed_command> parse_raw(std::string_view text, std::vector<std::string_view> ws) {
  std::size_t at = 0;
  parsed_command out;
  if (at < ws.size() && lowercase(ws[at]) == "public") {
    out.is_public = true;
    ++at;
  } else if (at < ws.size() && lowercase(ws[at]) == "private") {
    out.is_private = true;
    ++at;
  }
  if (at >= ws.size()) return std::nullopt;
  const std::string first = lowercase(ws[at]);
  const subcommand_info* found = nullptr;
  for (const auto& s : subcommands())
    if (takes_raw_text(s.what) &&
        (first == s.name || std::find(s.aliases.begin(), s.aliases.end(), first) != s.aliases.end()))
      found = &s;
  if (found == nullptr) return std::nullopt;
  out.what = found->what;
  ++at;
  if (out.what == topic::review) {
    if (at < ws.size() && lowercase(ws[at]) == "public") {
      out.is_public = true;
      ++at;
    }
  } else if (at < ws.size()) {
    // The modifier as the last word.
    const std::string last = lowercase(ws.back());
    if (last == "public" || last == "private") {
      (last == "public" ? out.is_public : out.is_private) = true;
      ws.pop_back();
    }
  }
  if (at < ws.size()) {
    const auto begin = static_cast<std::size_t>(ws[at].data() - text.data());
    const auto end = static_cast<std::size_t>(ws.back().data() + ws.back().size() - text.data());
    out.argument = std::string(text.substr(begin, end - begin));
  }
  return out;
}

}  // namespace

parsed_command parse_command_text(std::string_view text) {
  parsed_command out;
  auto ws = words(text);
  if (auto raw = parse_raw(text, ws)) return *raw;
  if (!ws.empty() && lowercase(ws.back()) == "public") {
    out.is_public = true;
    ws.pop_back();
  } else if (!ws.empty() && lowercase(ws.front()) == "public") {
    out.is_public = true;
    ws.erase(ws.begin());
  }
  if (ws.empty()) return out;

  std::string first = lowercase(ws.front());
  std::size_t consumed = 1;
  // "red flags" and "red flag" are two words for one subcommand.
  if ((first == "red" || first == "failure") && ws.size() >= 2) {
    const auto second = lowercase(ws[1]);
    if (first == "red" && (second == "flags" || second == "flag")) {
      first = "red-flags";
      consumed = 2;
    } else if (first == "failure" && second == "modes") {
      first = "failures";
      consumed = 2;
    }
  }

  const subcommand_info* found = nullptr;
  for (const auto& s : subcommands()) {
    if (s.name == first || std::find(s.aliases.begin(), s.aliases.end(), first) != s.aliases.end())
      found = &s;
  }

  auto rest_begin = ws.begin() + static_cast<std::ptrdiff_t>(consumed);
  std::string argument;
  for (auto it = rest_begin; it != ws.end(); ++it) {
    if (!argument.empty()) argument += ' ';
    argument += *it;
  }

  if (found == nullptr) {
    out.what = topic::unknown;
    out.unknown_word = std::string(ws.front());
    std::vector<std::string_view> names;
    std::vector<topic> owners;
    for (const auto& s : subcommands()) {
      names.push_back(s.name);
      owners.push_back(s.what);
      for (auto a : s.aliases) {
        if (a.size() < 3) continue;  // "q", "s", "?" would match too much
        names.push_back(a);
        owners.push_back(s.what);
      }
    }
    if (auto i = closest(first, names)) out.suggestion = owners[*i];
    for (auto w : ws) {
      if (!out.argument.empty()) out.argument += ' ';
      out.argument += w;
    }
    return out;
  }
  out.what = found->what;
  out.argument = std::move(argument);
  return out;
}

}  // namespace bot
