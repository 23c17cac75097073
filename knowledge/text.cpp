#include "knowledge/text.hpp"

#include <array>
#include <algorithm>
#include <cstdint>
#include <iterator>

namespace knowledge {
namespace {

bool ends_with(const std::string& w, std::string_view suffix) { return w.ends_with(suffix); }

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

}  // namespace

std::string stem(std::string w) {
  if (ends_with(w, "'s")) w.resize(w.size() - 2);
  if (w.size() > 4 && ends_with(w, "ies")) {
    w.resize(w.size() - 3);
    w += 'y';
  } else if (ends_with(w, "sses")) {
    w.resize(w.size() - 2);
  } else if (w.size() > 4 && (ends_with(w, "ches") || ends_with(w, "shes") || ends_with(w, "xes"))) {
    w.resize(w.size() - 2);
  } else if (w.size() > 3 && w.back() == 's' && !ends_with(w, "ss") && !ends_with(w, "us") &&
             !ends_with(w, "is")) {
    w.pop_back();
  }
  if (w.size() >= 6 && ends_with(w, "ing")) {
    w.resize(w.size() - 3);
  } else if (w.size() >= 5 && ends_with(w, "ed")) {
    w.resize(w.size() - 2);
  } else if (w.size() >= 7 && ends_with(w, "ion")) {
    w.resize(w.size() - 3);
  }
  const std::size_t n = w.size();
  if (n >= 4 && w[n - 1] == w[n - 2] && !is_vowel(w[n - 1]) && w[n - 1] != 'l' &&
      w[n - 1] != 's' && w[n - 1] != 'z')
    w.pop_back();
  if (w.size() > 4 && w.back() == 'e') w.pop_back();
  return w;
}

namespace {

// What the character at i is: a word character, an apostrophe, or a separator; len is its
// length in bytes. Non-ASCII letters are word characters; general punctuation (dashes, curly
// quotes, bullets, no-break space) separates like its ASCII cousins.
enum class char_kind { letter, apostrophe, separator };

char_kind classify(std::string_view text, std::size_t i, std::size_t& len) {
  const auto c = static_cast<unsigned char>(text[i]);
  len = 1;
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
      return char_kind::letter;
    return c == '\'' ? char_kind::apostrophe : char_kind::separator;
  }
  len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + len > text.size()) len = text.size() - i;
  std::uint32_t cp = 0;
  if (len == 2) cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
  if (len == 3)
    cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
         (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
  if (cp == 0x2019) return char_kind::apostrophe;
  if (cp == 0x00A0 || cp == 0x00AB || cp == 0x00B7 || cp == 0x00BB ||
      (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2190 && cp <= 0x25FF))
    return char_kind::separator;
  return char_kind::letter;
}

}  // namespace

bool next_word(std::string_view text, std::size_t from, std::string& lower, std::size_t& begin,
               std::size_t& end) {
  std::size_t i = from;
  std::size_t len = 0;
  // Skip separators; plain ASCII ones without the full classification.
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (ascii_word_bytes[c] > 1) break;
      ++i;
      continue;
    }
    if (classify(text, i, len) == char_kind::letter) break;
    i += len;
  }
  if (i >= text.size()) return false;
  begin = i;
  while (i < text.size()) {
    // A run of plain ASCII letters and digits, lowercased in one go.
    std::size_t run = i;
    while (run < text.size() && static_cast<unsigned char>(text[run]) < 0x80 &&
           ascii_word_bytes[static_cast<unsigned char>(text[run])] > 1)
      ++run;
    if (run > i) {
      const std::size_t at = lower.size();
      lower.append(text.data() + i, run - i);
      for (std::size_t k = at; k < lower.size(); ++k)
        lower[k] = ascii_word_bytes[static_cast<unsigned char>(lower[k])];
      i = run;
      continue;
    }
    const char_kind k = classify(text, i, len);
    if (k == char_kind::letter) {
      lower.append(text.data() + i, len);
      i += len;
      continue;
    }
    // An apostrophe between two letters is inside the word ("don't") and is dropped.
    std::size_t next_len = 0;
    if (k == char_kind::apostrophe && i + len < text.size() &&
        classify(text, i + len, next_len) == char_kind::letter) {
      i += len;
      continue;
    }
    break;
  }
  end = i;
  return true;
}

std::vector<word> split_words(std::string_view text) {
  std::vector<word> out;
  word w;
  std::size_t pos = 0;
  while (next_word(text, pos, w.lower, w.begin, w.end)) {
    pos = w.end;
    out.push_back(std::move(w));
    w = word{};
  }
  return out;
}

std::optional<double> number_value(std::string_view w) {
  // Most words are neither digits nor number words: decided on the first byte.
  if (w.empty()) return std::nullopt;
  const char c0 = w.front();
  if (!(c0 >= '0' && c0 <= '9') && std::string_view("otfsenz").find(c0) == std::string_view::npos)
    return std::nullopt;
  static constexpr std::string_view words[] = {"zero", "one", "two", "three", "four", "five", "six",
                                               "seven", "eight", "nine", "ten", "eleven", "twelve"};
  static constexpr std::string_view tens[] = {"twenty", "thirty", "forty", "fifty",
                                              "sixty", "seventy", "eighty", "ninety"};
  for (std::size_t i = 0; i < std::size(words); ++i)
    if (w == words[i]) return static_cast<double>(i);
  for (std::size_t i = 0; i < std::size(tens); ++i)
    if (w == tens[i]) return static_cast<double>(20 + 10 * i);
  if (w.empty() || w.size() > 6 || !std::all_of(w.begin(), w.end(), [](char c) {
        return c >= '0' && c <= '9';
      }))
    return std::nullopt;
  double v = 0;
  for (char c : w) v = v * 10 + (c - '0');
  return v;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace knowledge
