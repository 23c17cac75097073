#pragma once
// Ranked full-text search over the playbook's passages (BM25 over lightly stemmed words).

#include "knowledge/playbook.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace knowledge {

// One searchable passage: an item, a list entry or a paragraph of the playbook.
struct passage {
  std::string section;  // the playbook section's title
  std::string label;    // the item's title, or "" for plain list entries and paragraphs
  std::string text;
  std::string topic;    // the answer that shows the passage in full, e.g. "criteria", "types mooc"
};

struct search_hit {
  const passage* match;
  double score;
};

// Lowercased, stemmed words of text without stop words; what queries and passages are compared on.
std::vector<std::string> search_terms(std::string_view text);

class search_index {
 public:
  // Indexes every passage of p (copied: p need not outlive the index).
  explicit search_index(const playbook& p);

  // The best `limit` passages for the words of query, best first; empty when nothing matches.
  // A word of three letters or more also matches, with less weight, the words it begins ("eval").
  std::vector<search_hit> search(std::string_view query, std::size_t limit) const;

  const std::vector<passage>& passages() const { return passages_; }

 private:
  struct posting {
    std::size_t passage;
    double frequency;
  };
  void add(passage p);

  std::vector<passage> passages_;
  std::vector<double> lengths_;
  double average_length_ = 0;
  std::unordered_map<std::string, std::vector<posting>> postings_;
};

}  // namespace knowledge
