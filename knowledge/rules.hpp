#pragma once
// The proposal review rules as data: a small closed set of condition kinds compiled in, and the
// rule instances (phrases, weights, thresholds) read from the playbook file's "review" section,
// so an organisation tunes them without recompiling.

#include "knowledge/error.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace knowledge {

// A phrase of one or more words. A word matches itself and its inflections ("chatbot" matches
// "chatbots", "evaluate" matches "evaluation"); a word written with a trailing '*' matches any
// word it begins ("fine-tun*"). Case and punctuation are ignored; words must be whole.
struct phrase {
  std::string text;                 // as written in the rules, for explanations
  std::vector<std::string> words;   // lowercase, apostrophes dropped
  std::vector<std::string> stems;   // stem of each word
  std::vector<bool> prefix;         // word ended in '*'
};

using phrase_set = std::vector<phrase>;

// Compiles phrases as written in a rules file; throws nothing, skips nothing (an empty phrase
// is rejected by the parser before this).
phrase make_phrase(std::string_view text);

enum class condition_kind {
  phrases,         // a unit mentions one of `phrases` (at least min_count mentions in the document)
  near,            // one of `phrases` and one of `other` in the same sentence, within `window` words
  in_section,      // a unit under a heading that mentions `other` mentions one of `phrases`
  all,             // every child holds
  any,             // some child holds
  absent,          // the one child does not hold anywhere in the document
  schedule_share,  // schedule items about `phrases` take at least min_share of the scheduled time
  leading_share,   // items about `phrases` before the first item about `other` take min_share
  stated_share,    // a sentence states a share (50 %, "half", "most") of the time for `phrases`
  vendors,         // exactly one proprietary vendor family named, and no open alternative
  groups,          // at most max_groups of the named phrase groups are mentioned
};

struct condition {
  condition_kind kind = condition_kind::phrases;
  phrase_set phrases;
  phrase_set other;
  std::size_t window = 12;
  std::size_t min_count = 1;
  double min_share = 0;
  std::string share_setting;  // when set, min_share comes from this setting
  bool ignore_negation = false;
  std::vector<condition> children;
  std::vector<std::pair<std::string, phrase_set>> named;  // vendors: families; groups: groups
  std::size_t max_groups = 0;
};

struct rule_examples {
  std::vector<std::string> match;     // texts that must raise the flag
  std::vector<std::string> no_match;  // texts that must not
};

struct flag_rule {
  std::string id;
  std::string severity;  // "red_flag" or "warning"
  std::string title;
  std::string why;       // the playbook's reason, shown with the finding
  std::string question;  // what to ask the vendor when the flag is raised
  std::string looked_for;  // for absence-based rules: what was looked for and not found
  condition when;
  rule_examples examples;
};

// One capability area or evaluation criterion: covered / partial / missing by how many of its
// groups of phrases the document mentions; hands-on time may also be judged from the schedule.
struct coverage_rule {
  std::string id;
  std::string kind;  // "capability" or "criterion"
  std::string title;
  std::vector<std::pair<std::string, phrase_set>> groups;
  std::size_t covered_at = 2;
  std::size_t partial_at = 1;
  phrase_set share_topic;      // when set: the share of scheduled or stated time on these topics
  double covered_share = 0;    // ... at least this is covered,
  double partial_share = 0;    // ... at least this is partial, below is missing
  int question = -1;           // index into the playbook's questions to ask when not covered
  rule_examples examples;
};

struct category_signal {
  std::string label;
  phrase_set phrases;        // mentioned anywhere
  double min_days = 0;       // or: the programme lasts between min_days and max_days
  double max_days = 0;
  double weight = 1;
};

struct category_rule {
  std::string id;       // the review's category id, e.g. "vendor_cert"
  std::string type_id;  // the playbook's provider type it stands for, e.g. "cert"
  std::vector<category_signal> signals;
  rule_examples examples;  // texts that must, and must not, be classified as this category
};

struct avoid_rule {
  std::string id;
  int avoid_item = -1;  // index into the playbook's "avoid external training when" list
  condition when;
  rule_examples examples;
};

struct scoring_rules {
  double start = 100;
  double red_flag = 15;
  double warning = 7;
  double coverage_missing = 4;
  double coverage_partial = 2;
  double avoid_signal = 5;
  double proceed_at = 80;            // and no red flag
  double do_not_proceed_below = 50;  // or ...
  std::size_t do_not_proceed_red_flags = 2;  // ... this many red flags
  std::size_t do_not_proceed_avoid_signals = 1;  // ... or this many "avoid training" signals
};

struct review_settings {
  double basics_share_threshold = 0.5;
  std::size_t negation_window = 6;
  double hours_per_day = 7;
  double days_per_week = 5;
  std::size_t max_evidence = 3;
  phrase_set negation_cues;       // negate what follows within the window, across commas
  phrase_set contrast_cues;       // "unlike", "rather than": negate what follows up to a comma
  phrase_set clause_breaks;       // "but", "however": end every negation
  phrase_set post_negation_cues;  // "is not", "isn't": negate what comes just before
  phrase_set schedule_exclusions; // "total": a line that sums a schedule is not an item
};

struct review_rules {
  review_settings settings;
  std::vector<flag_rule> flags;
  std::vector<coverage_rule> coverage;
  std::vector<category_rule> categories;
  std::vector<avoid_rule> avoid;
  scoring_rules scoring;
};

// Reads the "review" section. Errors name the JSON path and the rule id (unknown key or kind,
// missing or empty field, a threshold out of range, a duplicate id); failures are thrown as
// detail::load_failure by the caller's reader.
review_rules read_review_rules(const boost::json::value& v, const std::string& path);

// The effective rules as text: every rule, its kind, phrases and thresholds (check-playbook).
std::string describe_rules(const review_rules& rules);

}  // namespace knowledge
