#pragma once
// What a user asked for: `/playbook criteria public` → {criteria, "", public}. Pure text parsing,
// with the aliases people type and a "did you mean" for near misses.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

enum class topic {
  help,
  criteria,
  red_flags,
  questions,
  types,
  capabilities,
  formats,
  tracks,
  invest,
  failures,
  takeaways,
  about,
  search,
  review,
  decide,
  vendor,
  decisions,
  unknown,
};

struct parsed_command {
  topic what = topic::help;
  std::string argument;       // the words after the subcommand ("mooc", the search words)
  bool is_public = false;     // `public` given: answer in the channel
  bool is_private = false;    // `private` given: a decision's confirmation only to its author
  std::string unknown_word;   // for topic::unknown: what the user typed
  std::optional<topic> suggestion;  // for topic::unknown: the closest subcommand, if any is close
};

struct subcommand_info {
  topic what;
  std::string_view name;       // canonical, e.g. "red-flags"
  std::string_view argument;   // usage of its argument, e.g. "[mooc|cert|workshop|bootcamp]"
  std::string_view summary;    // one line for help
  std::vector<std::string_view> aliases;
};

// decide, vendor and decisions: answered from the decision log, not from the playbook.
inline bool is_decision_topic(topic t) {
  return t == topic::decide || t == topic::vendor || t == topic::decisions;
}

// Every subcommand in the order help lists them.
const std::vector<subcommand_info>& subcommands();

const subcommand_info& info(topic t);

// Parses the text after the slash command. Empty text is help. `public` as the first or last word
// is the visibility modifier (`private` too, for decide). `review`, `decide`, `vendor` and
// `decisions` keep their argument as written (a pasted proposal's line breaks, a rationale's
// punctuation); review takes `public` only before or right after the word review.
parsed_command parse_command_text(std::string_view text);

// Edit distance with adjacent transpositions (Damerau–Levenshtein, optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to word, if it is close enough to be what the user meant.
std::optional<std::size_t> closest(std::string_view word,
                                   const std::vector<std::string_view>& candidates);

// Lowercase ASCII copy.
std::string lowercase(std::string_view s);

// Splits on whitespace.
std::vector<std::string_view> words(std::string_view text);

}  // namespace bot
