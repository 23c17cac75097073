#pragma once
// A document prepared for review: cut into units (sentences, headings, list items, table rows)
// with their location, split into words once, with negation scopes marked and an index from
// words to where they occur, so that each rule looks up its phrases instead of rescanning.

#include "knowledge/document.hpp"
#include "knowledge/rules.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace knowledge {

enum class unit_kind { heading, sentence, list_item, table_row };

struct text_unit {
  unit_kind kind = unit_kind::sentence;
  std::string_view text;    // as written (whitespace collapsed), for quotes; owned by the
                            // prepared_text it belongs to
  std::size_t line = 0;     // where the unit starts
  std::size_t page = 0;
  std::size_t heading = npos;  // index of the heading unit above it, npos before the first
  std::size_t first_token = 0;  // [first_token, last_token) in prepared_text::tokens
  std::size_t last_token = 0;
  std::size_t table = npos;      // table_row: index into prepared_text::tables
  std::vector<std::string_view> cells;  // table_row: the cells as written
  std::vector<std::pair<std::size_t, std::size_t>> cell_tokens;  // table_row: each cell's tokens

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

struct text_token {
  std::uint32_t unit = 0;
  std::uint32_t type = 0;    // which distinct word it is (index into the word types)
  std::uint32_t begin = 0;   // offset of the word in its unit's text
  std::uint32_t end = 0;
  std::uint32_t lower = 0;   // offset of its lowercase form in prepared_text::lower
  std::uint16_t length = 0;  // length of the lowercase form
  bool negated = false;      // inside the scope of a negation or contrast
};

struct table_info {
  std::vector<std::string> header;  // lowercase column names ("" when the table has no header)
};

// Stable storage for the text of units: blocks that never move, so views into them stay valid
// (one allocation per 64 KB instead of one per sentence).
class text_arena {
 public:
  std::string_view store(std::string_view s);

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  std::size_t left_ = 0;
};

class prepared_text {
 public:
  prepared_text(const document& doc, const review_settings& settings);
  // Units view text the arena owns: copies would dangle, moves are fine.
  prepared_text(const prepared_text&) = delete;
  prepared_text& operator=(const prepared_text&) = delete;
  prepared_text(prepared_text&&) = default;
  prepared_text& operator=(prepared_text&&) = default;

  const std::vector<text_unit>& units() const { return units_; }
  const std::vector<text_token>& tokens() const { return tokens_; }
  const std::vector<table_info>& tables() const { return tables_; }

  // The heading a unit sits under ("" before the first heading, and for a heading itself).
  std::string_view section_of(const text_unit& u) const {
    if (u.heading == text_unit::npos || u.kind == unit_kind::heading) return {};
    return units_[u.heading].text;
  }

  std::string_view word(std::size_t token) const {
    const auto& t = tokens_[token];
    return std::string_view(lower_).substr(t.lower, t.length);
  }

  // How many distinct words there are (text_token::type is below this).
  std::size_t type_count() const { return types_.size(); }

  // The number token i writes ("12", "three"), looked up once per distinct word.
  std::optional<double> number_at(std::size_t token) const {
    const double v = numbers_[tokens_[token].type];
    return v >= 0 ? std::optional<double>(v) : std::nullopt;
  }

  // The text between two tokens of one unit (punctuation, spaces), as written.
  std::string_view gap(std::size_t before, std::size_t after) const;

  // Where p occurs: the index of each occurrence's first token (the phrase fills
  // p.words.size() tokens from there, within one unit). Negated occurrences are left out
  // unless with_negated.
  std::vector<std::size_t> find(const phrase& p, bool with_negated = false) const;

  // Whether p occurs at token i (all its words, within one unit).
  bool matches_at(const phrase& p, std::size_t i) const;

  // Where any phrase of set occurs (first tokens, sorted), computed once per set and cached:
  // rules ask about the same sets again and again. Not thread-safe (one review, one thread).
  const std::vector<std::size_t>& occurrences(const phrase_set& set, bool with_negated = false) const;

  // Whether any phrase of set occurs starting within tokens [first, last).
  bool occurs_in(const phrase_set& set, std::size_t first, std::size_t last) const;

 private:
  class word_table;
  void add_unit(unit_kind kind, std::string_view text, std::size_t line, std::size_t page,
                std::size_t heading, word_table& words);
  void mark_negation(const text_unit& u, const review_settings& settings);
  void index_words(word_table& words);
  static std::uint32_t key_of(std::string_view word);

  // The distinct words a phrase word matches (itself, its inflections, what it begins when it
  // ends in '*'), sorted; computed once per phrase word.
  const std::vector<std::uint32_t>& matching_types(const phrase& p, std::size_t j) const;
  bool type_matches(const phrase& p, std::size_t j, std::uint32_t type) const;
  // The stem of a distinct word, computed the first time a phrase word needs it.
  const std::string& stem_of(std::uint32_t type) const;

  // Scratch of add_unit: per byte of a unit, whether it is an ASCII letter or digit, a byte
  // from 0x80 up, either of those (where a word may start).
  std::vector<std::uint64_t> word_bits_, utf8_bits_, start_bits_;

  text_arena arena_;
  std::vector<text_unit> units_;
  std::vector<text_token> tokens_;
  std::vector<table_info> tables_;
  std::string lower_;
  // Each distinct word once (views into type_chars_, which holds their bytes one after another);
  // where its tokens are, and the words sharing its first three bytes.
  std::vector<char> type_chars_;
  std::vector<std::string_view> types_;
  // Where each type occurs: tokens posting_[posting_start_[t] .. posting_start_[t + 1]).
  std::vector<std::uint32_t> posting_;
  std::vector<std::uint32_t> posting_start_;
  // Per token, packed for find, which reads them at each posting: the type shifted left by
  // one, the low bit set on the first token of a unit (16 bits a token, so that the array of a
  // long proposal stays in cache; types from many_types up are written as many_types, and read
  // from tokens_); and the negated flags, one bit each.
  static constexpr std::uint32_t many_types = 0x7FFF;
  std::vector<std::uint16_t> words_;
  std::vector<std::uint64_t> negated_bits_;
  std::vector<double> numbers_;  // per type: the number it writes, or -1
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> types_by_key_;
  // The negation cues of the settings, each with the distinct words its words match (looked
  // up once), and per type the cues that may start there.
  enum class cue_kind { negation, contrast, clause_break, post_negation };
  struct cue {
    const phrase* p = nullptr;
    cue_kind kind = cue_kind::negation;
    std::vector<const std::vector<std::uint32_t>*> types;  // matching_types of each word
  };
  std::vector<cue> cues_;
  std::vector<std::vector<const cue*>> cues_at_;
  // Whether the words at i, i + 1, ... (in one unit) have the types listed for them.
  bool types_at(const std::vector<const std::vector<std::uint32_t>*>& types, std::size_t i) const;
  // What matching_types found, keyed by the phrase word (a view into the rules, which live as
  // long as the review); [1] for words that end in '*' (prefixes), [0] for the others.
  mutable std::unordered_map<std::string_view, std::vector<std::uint32_t>> matching_[2];
  mutable std::vector<std::optional<std::string>> stems_;  // per type, once computed
  mutable std::unordered_map<const phrase_set*, std::vector<std::size_t>> found_[2];
  // Token positions put in order and without repeats (find, occurrences), by a bitmap over all
  // tokens when there are many; the bitmap is all zero between calls, and so is its summary
  // (one bit per word of the bitmap: whether it has any bit set).
  void sort_tokens(std::vector<std::size_t>& positions) const;
  mutable std::vector<std::uint64_t> scratch_bits_;
  mutable std::vector<std::uint64_t> scratch_summary_;
};

}  // namespace knowledge
