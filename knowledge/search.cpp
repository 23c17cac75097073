#include "knowledge/search.hpp"

#include "knowledge/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

namespace knowledge {
namespace {

constexpr std::array<std::string_view, 72> stop_words = {
    "a",     "about", "after", "all",   "also",  "an",    "and",   "any",   "are",   "as",
    "at",    "be",    "been",  "but",   "by",    "can",   "do",    "does",  "for",   "from",
    "had",   "has",   "have",  "how",   "i",     "if",    "in",    "into",  "is",    "it",
    "its",   "me",    "more",  "most",  "my",    "no",    "not",   "of",    "on",    "or",
    "our",   "over",  "should", "so",   "such",  "than",  "that",  "the",   "their", "them",
    "then",  "there", "these", "they",  "this",  "those", "to",    "up",    "us",    "was",
    "we",    "were",  "what",  "when",  "where", "which", "while", "who",   "why",   "will",
    "with",  "you",
};

bool is_stop_word(std::string_view w) {
  return std::find(stop_words.begin(), stop_words.end(), w) != stop_words.end();
}

constexpr double k1 = 1.2;
constexpr double b = 0.75;
constexpr double label_weight = 2.0;  // a word in an item's title counts as much as two in its text
constexpr double prefix_weight = 0.6;

}  // namespace

std::vector<std::string> search_terms(std::string_view text) {
  std::vector<std::string> out;
  for (auto& w : split_words(text))
    if (!is_stop_word(w.lower)) out.push_back(stem(std::move(w.lower)));
  return out;
}

search_index::search_index(const playbook& p) {
  const auto add_items = [this](const item_section& s, const std::string& topic) {
    for (const auto& i : s.items) add({s.title, i.title, i.text, topic});
  };
  const auto add_texts = [this](const std::string& section, const std::vector<std::string>& texts,
                                const std::string& topic) {
    for (const auto& t : texts) add({section, "", t, topic});
  };
  add_texts(p.intro.title, p.intro.paragraphs, "help");
  add_items(p.failure_modes, "failures");
  for (const auto& t : p.types.items) {
    const auto topic = "types " + t.id;
    add({p.types.title, t.name, t.summary, topic});
    for (const auto& x : t.good_at)
      add({p.types.title, t.name + " \xE2\x80\x94 what they're good at", x, topic});
    for (const auto& x : t.falls_short)
      add({p.types.title, t.name + " \xE2\x80\x94 where they fall short", x, topic});
    for (const auto& x : t.typical_engagement)
      add({p.types.title, t.name + " \xE2\x80\x94 typical engagement", x, topic});
  }
  add_items(p.capabilities, "capabilities");
  add_texts(p.invest.title + ": " + p.invest.invest_when_title, p.invest.invest_when, "invest");
  add_texts(p.invest.title + ": " + p.invest.avoid_when_title, p.invest.avoid_when, "invest");
  add_items(p.criteria, "criteria");
  add_items(p.red_flags, "red-flags");
  add_items(p.formats, "formats");
  for (const auto& t : p.role_tracks.items)
    add({p.role_tracks.title, t.title, t.focus, "tracks " + t.id});
  add_texts(p.questions.title, p.questions.items, "questions");
  add_texts(p.closing.title, p.closing.paragraphs, "help");

  double total = 0;
  for (double len : lengths_) total += len;
  average_length_ = lengths_.empty() ? 1 : total / static_cast<double>(lengths_.size());
}

void search_index::add(passage p) {
  const std::size_t id = passages_.size();
  std::unordered_map<std::string, double> freq;
  double length = 0;
  for (auto& t : search_terms(p.label)) {
    freq[std::move(t)] += label_weight;
    length += label_weight;
  }
  for (auto& t : search_terms(p.text)) {
    freq[std::move(t)] += 1;
    length += 1;
  }
  for (auto& [term, f] : freq) postings_[term].push_back({id, f});
  lengths_.push_back(length);
  passages_.push_back(std::move(p));
}

std::vector<search_hit> search_index::search(std::string_view query, std::size_t limit) const {
  std::vector<double> scores(passages_.size(), 0.0);
  const double n = static_cast<double>(passages_.size());
  const auto score_term = [&](const std::vector<posting>& list, double weight) {
    const double df = static_cast<double>(list.size());
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (const auto& post : list) {
      const double tf = post.frequency;
      const double norm = k1 * (1 - b + b * lengths_[post.passage] / average_length_);
      scores[post.passage] += weight * idf * tf * (k1 + 1) / (tf + norm);
    }
  };

  std::unordered_set<std::string> seen;
  for (const auto& term : search_terms(query)) {
    if (!seen.insert(term).second) continue;
    if (auto it = postings_.find(term); it != postings_.end()) score_term(it->second, 1.0);
    if (term.size() < 3) continue;
    for (const auto& [word, list] : postings_)
      if (word.size() > term.size() && word.starts_with(term)) score_term(list, prefix_weight);
  }

  std::vector<search_hit> hits;
  for (std::size_t i = 0; i < scores.size(); ++i)
    if (scores[i] > 0) hits.push_back({&passages_[i], scores[i]});
  std::stable_sort(hits.begin(), hits.end(),
                   [](const search_hit& x, const search_hit& y) { return x.score > y.score; });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace knowledge
