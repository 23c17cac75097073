#pragma once
// Word-level text tools shared by search and review: a light stemmer and a tokenizer that keeps
// each word's position in the text.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace knowledge {

// A light suffix stripper: enough that "caches"/"cache", "engineers"/"engineering",
// "debugging"/"debug" and "evaluation"/"evaluate" meet, without a full Porter stemmer.
// Expects a lowercase word.
std::string stem(std::string word);

// One word of a text: [begin, end) in the original, and its lowercase form.
struct word {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string lower;
};

// ASCII bytes as next_word reads them: 0 a separator, 1 an apostrophe, otherwise the lowercase
// form of a letter or digit. Bytes from 0x80 up (UTF-8) are classified by next_word itself.
inline constexpr std::array<char, 128> ascii_word_bytes = [] {
  std::array<char, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c - 'A' + 'a');
  t['\''] = 1;
  return t;
}();

// Finds the next word of text at or after `from`: letters and digits (other scripts' letters
// included), with apostrophes inside a word dropped ("don't", "don’t" → "dont"); punctuation,
// ASCII or typographic (dashes, curly quotes, bullets), separates. Appends the word's lowercase
// form to `lower`, sets [begin, end) to where it is in text and returns true; false at the end.
bool next_word(std::string_view text, std::size_t from, std::string& lower, std::size_t& begin,
               std::size_t& end);

// All the words of text (next_word in a loop).
std::vector<word> split_words(std::string_view text);

// The number a lowercase word writes: digits ("12"), or a number word ("three", "eighty");
// nullopt for anything else.
std::optional<double> number_value(std::string_view word);

// ASCII lowercase copy.
std::string ascii_lower(std::string_view text);

}  // namespace knowledge
