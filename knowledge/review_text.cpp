#include "knowledge/review_text.hpp"

#include "knowledge/text.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstring>
#include <optional>
#include <unordered_set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace knowledge {
namespace {

// The bytes std::isspace accepts in the C locale.
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_table_row(std::string_view line) {
  line = trim(line);
  return line.size() >= 2 && line.front() == '|' &&
         std::count(line.begin(), line.end(), '|') >= 2;
}

bool is_table_separator(std::string_view line) {
  line = trim(line);
  if (!is_table_row(line)) return false;
  return line.find_first_not_of("|-: \t") == std::string_view::npos &&
         line.find('-') != std::string_view::npos;
}

std::vector<std::string> table_cells(std::string_view line) {
  line = trim(line);
  if (!line.empty() && line.front() == '|') line.remove_prefix(1);
  if (!line.empty() && line.back() == '|') line.remove_suffix(1);
  std::vector<std::string> cells;
  std::size_t pos = 0;
  while (pos <= line.size()) {
    auto bar = line.find('|', pos);
    if (bar == std::string_view::npos) bar = line.size();
    cells.emplace_back(trim(line.substr(pos, bar - pos)));
    pos = bar + 1;
  }
  return cells;
}

// "- item", "* item", "• item", "1. item", "2) item", "a) item": the text after the marker.
std::optional<std::string_view> list_item_text(std::string_view line) {
  line = trim(line);
  for (std::string_view bullet : {"- ", "* ", "+ ", "\xE2\x80\xA2 ", "\xE2\x80\x93 ", "\xE2\x97\xA6 "})
    if (line.starts_with(bullet)) return trim(line.substr(bullet.size()));
  std::size_t i = 0;
  while (i < line.size() && i < 3 && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  if (i == 0 && line.size() > 2 && std::isalpha(static_cast<unsigned char>(line[0])) &&
      line[1] == ')')
    return trim(line.substr(2));
  if (i > 0 && i < line.size() && (line[i] == '.' || line[i] == ')') && i + 1 < line.size() &&
      line[i + 1] == ' ')
    return trim(line.substr(i + 2));
  return std::nullopt;
}

// A line that opens like an entry of a plan: "Day 2:", "Weeks 1-3 —", "Module 4.", "Monday —".
bool opens_schedule_line(std::string_view line) {
  // Every opening below starts with one of these letters; most lines are decided here.
  if (line.empty() || std::string_view("dDwWmMsStTfF").find(line[0]) == std::string_view::npos)
    return false;
  char buffer[24];
  const std::size_t n = std::min(line.size(), sizeof buffer);
  for (std::size_t i = 0; i < n; ++i)
    buffer[i] = line[i] >= 'A' && line[i] <= 'Z' ? static_cast<char>(line[i] - 'A' + 'a') : line[i];
  const std::string_view lower(buffer, n);
  for (std::string_view word : {"day ", "days ", "week ", "weeks ", "module ", "session ", "wk "}) {
    if (!lower.starts_with(word)) continue;
    const char next = lower.size() > word.size() ? lower[word.size()] : '\0';
    if (std::isdigit(static_cast<unsigned char>(next))) return true;
    for (std::string_view n : {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
      if (lower.substr(word.size()).starts_with(n)) return true;
  }
  for (std::string_view day : {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
    if (lower.starts_with(day) && lower.size() > day.size() &&
        !std::isalpha(static_cast<unsigned char>(lower[day.size()])))
      return true;
  return false;
}

bool is_abbreviation(std::string_view before_dot) {
  static constexpr std::array<std::string_view, 12> abbreviations = {
      "e.g", "i.e", "vs", "etc", "approx", "incl", "dr", "mr", "ms", "no", "fig", "cf"};
  std::size_t start = before_dot.size();
  while (start > 0 && !is_space(before_dot[start - 1]) &&
         before_dot[start - 1] != '(')
    --start;
  const std::string word = ascii_lower(before_dot.substr(start));
  return std::find(abbreviations.begin(), abbreviations.end(), word) != abbreviations.end() ||
         (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0])));
}

// Cuts a paragraph into sentences: after '.', '!' or '?' followed by a space and a capital,
// a digit or an opening quote or bracket; abbreviations ("e.g.") do not end a sentence.
// Where the next '.', '!' and '?' of a text are: each found with memchr, and looked for again
// only once passed, so a paragraph is scanned about three times in all, at memchr's speed,
// rather than byte by byte.
class sentence_ends {
 public:
  explicit sentence_ends(std::string_view text) : text_(text) {
    for (std::size_t k = 0; k < marks.size(); ++k) next_[k] = find(k, 0);
  }

  // The first '.', '!' or '?' at or after i; text.size() when there is none.
  std::size_t at_or_after(std::size_t i) {
    std::size_t first = text_.size();
    for (std::size_t k = 0; k < marks.size(); ++k) {
      if (next_[k] < i) next_[k] = find(k, i);
      first = std::min(first, next_[k]);
    }
    return first;
  }

 private:
  static constexpr std::array<char, 3> marks = {'.', '!', '?'};

  std::size_t find(std::size_t k, std::size_t from) const {
    if (from >= text_.size()) return text_.size();
    const void* p = std::memchr(text_.data() + from, marks[k], text_.size() - from);
    return p == nullptr ? text_.size() : static_cast<std::size_t>(static_cast<const char*>(p) - text_.data());
  }

  std::string_view text_;
  std::array<std::size_t, 3> next_{};
};

// What the text between two words does to a negation scope: strong punctuation (; : ( ) [ ],
// " - ", an em or en dash) ends the clause; otherwise a comma ends a contrast. One pass over the
// few bytes of the gap.
enum class gap_kind { none, comma, clause_end };
gap_kind gap_kind_of(std::string_view gap) {
  bool comma = false;
  for (std::size_t k = 0; k < gap.size(); ++k) {
    switch (gap[k]) {
      case ';': case ':': case '(': case ')': case '[': case ']':
        return gap_kind::clause_end;
      case '-':
        if (k > 0 && k + 1 < gap.size() && gap[k - 1] == ' ' && gap[k + 1] == ' ')
          return gap_kind::clause_end;
        break;
      case '\xE2':
        if (k + 2 < gap.size() && gap[k + 1] == '\x80' && (gap[k + 2] == '\x94' || gap[k + 2] == '\x93'))
          return gap_kind::clause_end;
        break;
      case ',':
        comma = true;
        break;
      default:
        break;
    }
  }
  return comma ? gap_kind::comma : gap_kind::none;
}

void sentence_spans(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& spans) {
  spans.clear();
  std::size_t start = 0;
  sentence_ends ends(text);
  for (std::size_t i = ends.at_or_after(0); i < text.size(); i = ends.at_or_after(i + 1)) {
    const char c = text[i];
    std::size_t j = i + 1;
    while (j < text.size() && (text[j] == '"' || text[j] == ')' || text[j] == '\'')) ++j;
    if (j >= text.size() || text[j] != ' ') continue;
    std::size_t k = j;
    while (k < text.size() && text[k] == ' ') ++k;
    if (k >= text.size()) break;
    const auto next = static_cast<unsigned char>(text[k]);
    const bool starts_sentence = std::isupper(next) || std::isdigit(next) || next == '"' ||
                                 next == '(' || next == '[' || next >= 0x80;
    if (!starts_sentence) continue;
    if (c == '.' && is_abbreviation(text.substr(start, i - start))) continue;
    spans.emplace_back(start, j);
    start = k;
    i = k - 1;
  }
  if (start < text.size()) spans.emplace_back(start, text.size());
}

}  // namespace

std::uint32_t prepared_text::key_of(std::string_view word) {
  // The first three bytes and (for shorter words) the length: every inflection and every
  // prefix match of a phrase word of three letters or more shares its first three bytes.
  std::uint32_t key = static_cast<std::uint32_t>(std::min<std::size_t>(word.size(), 3)) << 24;
  for (std::size_t i = 0; i < 3 && i < word.size(); ++i)
    key |= static_cast<std::uint32_t>(static_cast<unsigned char>(word[i])) << (16 - 8 * i);
  return key;
}

std::string_view text_arena::store(std::string_view s) {
  if (s.size() > left_) {
    const std::size_t size = std::max<std::size_t>(64 << 10, s.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    next_ = blocks_.back().get();
    left_ = size;
  }
  std::copy(s.begin(), s.end(), next_);
  const std::string_view stored(next_, s.size());
  next_ += s.size();
  left_ -= s.size();
  return stored;
}

namespace {

// Words are read eight bytes at a time, little-endian order or not: the first n bytes of a
// loaded word are these bits.
std::uint64_t first_bytes(std::size_t n) {
  if (n >= 8) return ~std::uint64_t{0};
  if constexpr (std::endian::native == std::endian::little)
    return (std::uint64_t{1} << (8 * n)) - 1;
  else
    return n == 0 ? 0 : ~std::uint64_t{0} << (64 - 8 * n);
}

std::uint64_t load8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The hash of a word, eight bytes at a time (the last ones masked): a multiply per eight bytes
// rather than per byte. `padded`: at least 8 readable bytes follow the word (the last eight
// are then loaded whole and masked instead of copied byte by byte); same value either way.
std::uint64_t word_hash(const char* w, std::size_t length, bool padded) {
  std::uint64_t h = length * 0x9E3779B97F4A7C15ull;
  std::size_t k = 0;
  for (; k + 8 <= length; k += 8) h = (h ^ load8(w + k)) * 0xFF51AFD7ED558CCDull;
  if (k < length) {
    std::uint64_t tail = 0;
    if (padded) {
      tail = load8(w + k) & first_bytes(length - k);
    } else {
      char bytes[8] = {};
      std::memcpy(bytes, w + k, length - k);
      tail = load8(bytes);
    }
    h = (h ^ tail) * 0xFF51AFD7ED558CCDull;
  }
  return h ^ (h >> 32);
}

constexpr std::size_t max_word_length = 0xFFFF;  // text_token::length

// Per byte, what cutting words needs: bit 0 an ASCII letter or digit, bit 1 a byte from 0x80
// up (UTF-8, which next_word classifies).
constexpr std::array<std::uint8_t, 256> byte_class = [] {
  std::array<std::uint8_t, 256> t{};
  for (std::size_t b = 0; b < 256; ++b)
    t[b] = b >= 0x80 ? 2 : ascii_word_bytes[b] > 1 ? 1 : 0;
  return t;
}();

// Per byte, its lowercase form (ASCII letters lowered, every other byte as it is).
constexpr std::array<char, 256> fold = [] {
  std::array<char, 256> t{};
  for (std::size_t b = 0; b < 256; ++b)
    t[b] = static_cast<char>(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
  return t;
}();

// The first position at or after `from` whose bit is set in bits (words), or `none`.
std::size_t next_set(const std::uint64_t* bits, std::size_t words, std::size_t from, std::size_t none) {
  std::size_t w = from >> 6;
  if (w >= words) return none;
  std::uint64_t m = bits[w] & (~std::uint64_t{0} << (from & 63));
  while (m == 0) {
    if (++w >= words) return none;
    m = bits[w];
  }
  return w * 64 + static_cast<std::size_t>(std::countr_zero(m));
}

}  // namespace

// The distinct words of a text, numbered in order of first occurrence while the text is cut
// into tokens. An open-addressing table of slots, its size a power of two kept above twice
// the number of types; each slot holds what a lookup compares (hash bits, length, where the
// word's bytes are), so a lookup reads one slot and then the bytes. Each type's bytes are
// copied once into chars_, which stays small and in cache, unlike the text where the word
// first occurred.
class prepared_text::word_table {
 public:
  // The type of the lowercase word [word, word + length), whose word_hash is hash; a new type
  // when the word is new. At least 8 readable bytes must follow the word.
  std::uint32_t intern(const char* word, std::uint32_t length, std::uint64_t hash) {
    const auto tag = static_cast<std::uint32_t>(hash);
    std::size_t k = tag & (slots_.size() - 1);
    for (; slots_[k].type != empty; k = (k + 1) & (slots_.size() - 1)) {
      const slot& e = slots_[k];
      if (e.tag == tag && e.length == length && same_bytes(chars_.data() + e.at, word, length))
        return e.type;
    }
    const auto type = static_cast<std::uint32_t>(spans_.size());
    const auto at = static_cast<std::uint32_t>(chars_.size() - padding);
    chars_.resize(at + length + padding);  // the zeros after the word are its padding
    std::memcpy(chars_.data() + at, word, length);
    slots_[k] = {tag, type, at, length};
    spans_.emplace_back(at, length);
    if (spans_.size() * 2 > slots_.size()) grow();
    return type;
  }

  // Per type: the offset and length of its bytes in chars().
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& spans() const { return spans_; }
  // The bytes of every type, one after the other (and 8 zero bytes of padding).
  std::vector<char>& chars() { return chars_; }

 private:
  static constexpr std::uint32_t empty = static_cast<std::uint32_t>(-1);
  static constexpr std::size_t padding = 8;
  struct slot {
    std::uint32_t tag = 0;  // the low half of the word's hash (which also picks the slot)
    std::uint32_t type = empty;
    std::uint32_t at = 0;   // its bytes: chars_[at, at + length)
    std::uint32_t length = 0;
  };

  // Eight bytes at a time, the last ones masked (both words are padded).
  static bool same_bytes(const char* a, const char* b, std::uint32_t length) {
    if (length <= 8) return ((load8(a) ^ load8(b)) & first_bytes(length)) == 0;  // most words
    std::uint32_t k = 0;
    for (; k + 8 <= length; k += 8)
      if (load8(a + k) != load8(b + k)) return false;
    return k == length || ((load8(a + k) ^ load8(b + k)) & first_bytes(length - k)) == 0;
  }

  void grow() {
    std::vector<slot> bigger(slots_.size() * 2);
    for (const auto& e : slots_) {
      if (e.type == empty) continue;
      std::size_t k = e.tag & (bigger.size() - 1);
      while (bigger[k].type != empty) k = (k + 1) & (bigger.size() - 1);
      bigger[k] = e;
    }
    slots_.swap(bigger);
  }

  std::vector<slot> slots_ = std::vector<slot>(1024);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans_;
  std::vector<char> chars_ = std::vector<char>(padding);
};

void prepared_text::add_unit(unit_kind kind, std::string_view text, std::size_t line,
                             std::size_t page, std::size_t heading, word_table& words) {
  text_unit u;
  u.kind = kind;
  u.text = arena_.store(text);
  u.line = line;
  u.page = page;
  u.heading = heading;
  u.first_token = tokens_.size();
  const auto unit_index = static_cast<std::uint32_t>(units_.size());
  const std::string_view s = u.text;
  const std::size_t n = s.size();

  // One pass over the unit, without a branch per byte: its lowercase copy goes to the end of
  // lower_ (plain words are read there in place, so a token's lowercase form is that copy's
  // bytes at its position), and two bitmaps mark the ASCII letters and digits (word_bits_) and
  // the bytes from 0x80 up (utf8_bits_).
  const std::size_t base = lower_.size();
  lower_.resize(base + n + 8);  // and 8 bytes of padding for reads eight bytes at a time
  char* const low = lower_.data() + base;
  const std::size_t words_of_bits = (n + 63) / 64;
  word_bits_.assign(words_of_bits, 0);
  utf8_bits_.assign(words_of_bits, 0);
  start_bits_.assign(words_of_bits, 0);
  for (std::size_t w = 0; w < words_of_bits; ++w) {
    const std::size_t from = w * 64, to = std::min(n, from + 64);
    std::uint64_t word = 0, utf8 = 0;
    std::size_t k = from;
#if defined(__SSE2__)
    // Sixteen bytes at a time: letters and digits by signed range compares (bytes from 0x80
    // up are negative, so neither), uppercase letters lowered by adding 0x20.
    for (; k + 16 <= to; k += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + k));
      const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                          _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
      const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                          _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
      const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
      const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                           _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(low + k),
                       _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
      const auto shift = k - from;
      word |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(
                  _mm_movemask_epi8(_mm_or_si128(digit, letter)))) << shift;
      utf8 |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(v))) << shift;
    }
#endif
    for (; k < to; ++k) {
      const auto b = static_cast<unsigned char>(s[k]);
      low[k] = fold[b];
      const std::uint64_t c = byte_class[b];
      word |= (c & 1) << (k - from);
      utf8 |= (c >> 1) << (k - from);
    }
    word_bits_[w] = word;
    utf8_bits_[w] = utf8;
    start_bits_[w] = word | utf8;  // where a word may start
  }

  // Words that next_word cuts (other scripts, apostrophes) are not the bytes of the copy:
  // they are kept apart and put after it when the unit is done.
  std::string others;
  std::vector<std::size_t> other_tokens;  // tokens whose lower is an offset into others
  std::string other;
  std::size_t pos = 0;
  while (true) {
    const std::size_t begin = next_set(start_bits_.data(), words_of_bits, pos, n);
    if (begin >= n) break;
    // Most words are ASCII letters and digits up to an ASCII separator.
    std::size_t end = begin;
    bool plain = (utf8_bits_[begin >> 6] >> (begin & 63) & 1) == 0;
    if (plain) {
      // The first byte after begin that is not a letter or digit.
      std::size_t w = begin >> 6;
      std::uint64_t m = ~word_bits_[w] & (~std::uint64_t{0} << (begin & 63));
      while (m == 0 && ++w < words_of_bits) m = ~word_bits_[w];
      end = m == 0 ? n : std::min(n, w * 64 + static_cast<std::size_t>(std::countr_zero(m)));
      plain = end - begin <= max_word_length &&
              (end == n || ((utf8_bits_[end >> 6] >> (end & 63) & 1) == 0 && s[end] != '\''));
    }
    text_token& t = tokens_.emplace_back();
    t.unit = unit_index;
    if (plain) {
      const auto length = static_cast<std::uint32_t>(end - begin);
      t.begin = static_cast<std::uint32_t>(begin);
      t.end = static_cast<std::uint32_t>(end);
      t.lower = static_cast<std::uint32_t>(base + begin);
      t.length = static_cast<std::uint16_t>(length);
      t.type = words.intern(low + begin, length, word_hash(low + begin, length, true));
      pos = end;
      continue;
    }
    // Other scripts, apostrophes inside words, typographic punctuation: next_word decides.
    std::size_t word_begin = 0, word_end = 0;
    other.clear();
    if (!next_word(s, begin, other, word_begin, word_end)) {
      tokens_.pop_back();
      break;
    }
    const std::size_t length = std::min(other.size(), max_word_length);
    other.resize(length);
    t.begin = static_cast<std::uint32_t>(word_begin);
    t.end = static_cast<std::uint32_t>(word_end);
    t.lower = static_cast<std::uint32_t>(others.size());
    t.length = static_cast<std::uint16_t>(length);
    const std::uint64_t hash = word_hash(other.data(), length, false);
    other.append(8, '\0');  // padding for intern
    t.type = words.intern(other.data(), static_cast<std::uint32_t>(length), hash);
    others.append(other, 0, length);
    other_tokens.push_back(tokens_.size() - 1);
    pos = word_end;
  }
  lower_.resize(base + n);
  for (const std::size_t i : other_tokens) tokens_[i].lower += static_cast<std::uint32_t>(lower_.size());
  lower_ += others;
  u.last_token = tokens_.size();
  units_.push_back(std::move(u));
}

prepared_text::prepared_text(const document& doc, const review_settings& settings) {
  std::size_t bytes = 0;
  for (const auto& l : doc.lines) bytes += l.text.size();
  lower_.reserve(bytes + bytes / 8 + 64);
  tokens_.reserve(bytes / 5);
  units_.reserve(doc.lines.size() + doc.lines.size() / 2);
  std::size_t heading = text_unit::npos;
  std::string section;

  word_table words;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // sentences of a paragraph or line

  // A paragraph gathers consecutive prose lines; it becomes sentences when it ends.
  std::string para;
  std::vector<std::pair<std::size_t, const text_line*>> para_lines;  // offset in para, line
  const auto flush_paragraph = [&] {
    if (para.empty()) return;
    sentence_spans(para, spans);
    for (const auto& [b, e] : spans) {
      auto it = std::upper_bound(para_lines.begin(), para_lines.end(), b,
                                 [](std::size_t off, const auto& pl) { return off < pl.first; });
      const text_line* where = std::prev(it)->second;
      const auto sentence = trim(std::string_view(para).substr(b, e - b));
      if (!sentence.empty())
        add_unit(unit_kind::sentence, sentence, where->line, where->page, heading, words);
    }
    para.clear();
    para_lines.clear();
  };
  const auto add_sentences = [&](unit_kind first_kind, std::string_view text, const text_line& l) {
    bool first = true;
    sentence_spans(text, spans);
    for (const auto& [b, e] : spans) {
      const auto sentence = trim(text.substr(b, e - b));
      if (sentence.empty()) continue;
      add_unit(first ? first_kind : unit_kind::sentence, sentence, l.line, l.page, heading, words);
      first = false;
    }
  };

  std::size_t previous_line = 0;
  std::size_t table = text_unit::npos;
  std::size_t table_last_line = 0;
  for (std::size_t i = 0; i < doc.lines.size(); ++i) {
    const text_line& l = doc.lines[i];
    const std::string_view text = trim(l.text);
    const bool contiguous = l.line == previous_line + 1;
    previous_line = l.line;
    if (text.empty()) continue;

    if (l.is_heading) {
      flush_paragraph();
      table = text_unit::npos;
      // The extractor gives the heading's text without its markup ("## ") as its section.
      section = l.section.empty() ? std::string(text) : l.section;
      heading = units_.size();
      add_unit(unit_kind::heading, section, l.line, l.page, heading, words);
      continue;
    }
    if (is_table_row(text)) {
      flush_paragraph();
      if (is_table_separator(text)) continue;
      // Rows continue a table when they follow it directly (or after its header's separator).
      const bool continues = table != text_unit::npos && l.line <= table_last_line + 2;
      // A header row is followed by a separator row ("|---|---|"), which the extractor may
      // already have dropped: then the next row comes one line number later than adjacent.
      const bool next_is_separator =
          i + 1 < doc.lines.size() && is_table_separator(doc.lines[i + 1].text);
      const bool separator_dropped = i + 1 < doc.lines.size() &&
                                     doc.lines[i + 1].line == l.line + 2 &&
                                     is_table_row(doc.lines[i + 1].text);
      const bool header = next_is_separator || (!continues && separator_dropped);
      if (!continues || header) {
        tables_.emplace_back();
        table = tables_.size() - 1;
      }
      table_last_line = l.line;
      auto cells = table_cells(text);
      if (header) {
        for (auto& c : cells) tables_[table].header.push_back(ascii_lower(c));
        continue;
      }
      std::string joined;
      std::vector<std::pair<std::size_t, std::size_t>> spans;  // bytes of each cell in joined
      for (const auto& c : cells) {
        if (!c.empty() && !joined.empty()) joined += " | ";
        spans.emplace_back(joined.size(), joined.size() + c.size());
        joined += c;
      }
      if (joined.empty()) continue;
      add_unit(unit_kind::table_row, joined, l.line, l.page, heading, words);
      auto& row = units_.back();
      row.table = table;
      for (const auto& [b, e] : spans) row.cells.push_back(row.text.substr(b, e - b));
      for (const auto& [b, e] : spans) {
        std::size_t first = row.first_token;
        while (first < row.last_token && tokens_[first].begin < b) ++first;
        std::size_t last = first;
        while (last < row.last_token && tokens_[last].begin < e) ++last;
        row.cell_tokens.emplace_back(first, last);
      }
      continue;
    }
    table = text_unit::npos;
    if (const auto item = list_item_text(text)) {
      flush_paragraph();
      add_sentences(unit_kind::list_item, *item, l);
      continue;
    }
    const bool schedule_line = opens_schedule_line(text);
    if (!contiguous || schedule_line) flush_paragraph();
    if (schedule_line) {
      // "Day 2: RAG" on a line of its own is an entry of a plan, not part of a paragraph.
      add_sentences(unit_kind::list_item, text, l);
      continue;
    }
    if (!para.empty()) para += ' ';
    para_lines.emplace_back(para.size(), &l);
    para += text;
  }
  flush_paragraph();

  index_words(words);
  // Where two cues of the same length match, the first kind listed wins.
  const std::pair<const phrase_set*, cue_kind> kinds[] = {
      {&settings.clause_breaks, cue_kind::clause_break},
      {&settings.post_negation_cues, cue_kind::post_negation},
      {&settings.negation_cues, cue_kind::negation},
      {&settings.contrast_cues, cue_kind::contrast}};
  for (const auto& [cues, kind] : kinds) {
    for (const auto& c : *cues) {
      cue entry{&c, kind, {}};
      for (std::size_t j = 0; j < c.words.size(); ++j) entry.types.push_back(&matching_types(c, j));
      cues_.push_back(std::move(entry));
    }
  }
  cues_at_.assign(types_.size(), {});
  for (const auto& c : cues_)  // complete: the pointers stay valid
    for (auto t : *c.types.front()) cues_at_[t].push_back(&c);
  for (const auto& u : units_) mark_negation(u, settings);
  negated_bits_.assign(tokens_.size() / 64 + 1, 0);
  for (std::size_t i = 0; i < tokens_.size(); ++i)
    if (tokens_[i].negated) negated_bits_[i >> 6] |= std::uint64_t{1} << (i & 63);
}

void prepared_text::index_words(word_table& words) {
  // Every token has its type now: the types' bytes are complete and are kept (moving a vector
  // keeps its buffer, so the views stay valid).
  type_chars_ = std::move(words.chars());
  types_.reserve(words.spans().size());
  for (const auto& [at, length] : words.spans())
    types_.push_back(std::string_view(type_chars_.data() + at, length));
  for (std::uint32_t t = 0; t < types_.size(); ++t) types_by_key_[key_of(types_[t])].push_back(t);
  // Postings in one array, by counting first: no small vector per word. The packed words are
  // written in the counting pass (two passes over the tokens in all).
  posting_start_.assign(types_.size() + 1, 0);
  words_.resize(tokens_.size());
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const auto& t = tokens_[i];
    ++posting_start_[t.type + 1];
    words_[i] = static_cast<std::uint16_t>(std::min(t.type, many_types) << 1 |
                                           (i == 0 || t.unit != tokens_[i - 1].unit ? 1 : 0));
  }
  for (std::size_t t = 0; t < types_.size(); ++t) posting_start_[t + 1] += posting_start_[t];
  posting_.resize(tokens_.size());
  std::vector<std::uint32_t> fill(posting_start_.begin(), posting_start_.end() - 1);
  for (std::size_t i = 0; i < tokens_.size(); ++i)
    posting_[fill[tokens_[i].type]++] = static_cast<std::uint32_t>(i);
  stems_.resize(types_.size());
  numbers_.reserve(types_.size());
  for (const auto w : types_) numbers_.push_back(number_value(w).value_or(-1));
}

const std::string& prepared_text::stem_of(std::uint32_t type) const {
  auto& s = stems_[type];
  if (!s) s = stem(std::string(types_[type]));
  return *s;
}

const std::vector<std::uint32_t>& prepared_text::matching_types(const phrase& p, std::size_t j) const {
  // The same word recurs in many phrases ("production", "hands"): its types are found once.
  const std::string& pw = p.words[j];
  auto& memo = matching_[p.prefix[j] ? 1 : 0];
  if (auto it = memo.find(pw); it != memo.end()) return it->second;
  std::vector<std::uint32_t> out;
  // Every word a phrase word can match shares its first three bytes (inflections only change
  // the end), so only those words are compared.
  if (auto it = types_by_key_.find(key_of(pw)); it != types_by_key_.end()) {
    for (const std::uint32_t t : it->second) {
      const std::string_view w = types_[t];
      bool ok = w == pw;
      if (!ok && p.prefix[j]) {
        ok = w.starts_with(pw);
      } else if (!ok) {
        const std::size_t diff = w.size() > pw.size() ? w.size() - pw.size() : pw.size() - w.size();
        ok = diff <= 4 && w.size() >= 3 && stem_of(t) == p.stems[j];
      }
      if (ok) out.push_back(t);
    }
  }
  // A prefix shorter than three bytes ("ml*") reaches words with other keys.
  if (p.prefix[j] && pw.size() < 3) {
    for (std::uint32_t t = 0; t < types_.size(); ++t)
      if (types_[t].starts_with(pw) && types_[t].size() >= 3) out.push_back(t);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return memo.emplace(std::string_view(pw), std::move(out)).first->second;
}

bool prepared_text::type_matches(const phrase& p, std::size_t j, std::uint32_t type) const {
  const auto& types = matching_types(p, j);
  return std::binary_search(types.begin(), types.end(), type);
}

std::string_view prepared_text::gap(std::size_t before, std::size_t after) const {
  const auto& a = tokens_[before];
  const auto& b = tokens_[after];
  if (a.unit != b.unit || a.end > b.begin) return {};
  return std::string_view(units_[a.unit].text).substr(a.end, b.begin - a.end);
}

bool prepared_text::matches_at(const phrase& p, std::size_t i) const {
  if (i + p.words.size() > tokens_.size()) return false;
  const auto unit = tokens_[i].unit;
  for (std::size_t j = 0; j < p.words.size(); ++j) {
    const auto& t = tokens_[i + j];
    if (t.unit != unit || !type_matches(p, j, t.type)) return false;
  }
  return true;
}

bool prepared_text::types_at(const std::vector<const std::vector<std::uint32_t>*>& types,
                             std::size_t i) const {
  if (i + types.size() > tokens_.size()) return false;
  for (std::size_t j = 0; j < types.size(); ++j) {
    const auto& t = tokens_[i + j];
    if (t.unit != tokens_[i].unit || !std::binary_search(types[j]->begin(), types[j]->end(), t.type))
      return false;
  }
  return true;
}

std::vector<std::size_t> prepared_text::find(const phrase& p, bool with_negated) const {
  std::vector<std::size_t> out;
  const std::size_t n = p.words.size();
  if (n == 0) return out;
  // The phrase is looked for where its rarest word occurs (the anchor: fewest postings), and
  // its other words are checked around each of those tokens.
  std::vector<const std::vector<std::uint32_t>*> types(n);
  std::size_t anchor = 0;
  std::size_t fewest = static_cast<std::size_t>(-1);
  for (std::size_t j = 0; j < n; ++j) {
    types[j] = &matching_types(p, j);
    std::size_t count = 0;
    for (const std::uint32_t t : *types[j]) count += posting_start_[t + 1] - posting_start_[t];
    if (count == 0) return out;
    if (count < fewest) {
      fewest = count;
      anchor = j;
    }
  }
  // Only the packed arrays are read here (negated_bits_, words_): reading tokens_ at each
  // posting missed the cache.
  // The postings are read in order but the tokens they point to are far apart: the tokens of
  // a few postings ahead are fetched early.
  constexpr std::uint32_t ahead = 8;
  for (const std::uint32_t type : *types[anchor]) {
    const std::uint32_t last = posting_start_[type + 1];
    for (std::uint32_t p_at = posting_start_[type]; p_at < last; ++p_at) {
      if (n > 1 && p_at + ahead < last) __builtin_prefetch(&words_[posting_[p_at + ahead]]);
      const std::size_t at = posting_[p_at];
      if (at < anchor || at - anchor + n > tokens_.size()) continue;
      const std::size_t i = at - anchor;  // where the phrase would start
      if (!with_negated && (negated_bits_[i >> 6] >> (i & 63) & 1) != 0) continue;
      bool all = true;
      for (std::size_t j = 1; all && j < n; ++j) all = (words_[i + j] & 1) == 0;  // one unit
      for (std::size_t j = 0; all && j < n; ++j) {
        if (j == anchor) continue;
        const std::uint32_t packed = words_[i + j] >> 1;
        const std::uint32_t type = packed < many_types ? packed : tokens_[i + j].type;
        all = std::binary_search(types[j]->begin(), types[j]->end(), type);
      }
      if (all) out.push_back(i);
    }
  }
  // Each type's postings are in text order; several types' lists are merged.
  if (types[anchor]->size() > 1) sort_tokens(out);
  return out;
}

void prepared_text::sort_tokens(std::vector<std::size_t>& positions) const {
  // Few positions: sorted. More: set in a bitmap over all tokens (zero between uses) and read
  // back in order, which costs about one step per position instead of log n compares.
  const std::size_t n = positions.size();
  if (n < 2) return;
  if (n < 64) {
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    return;
  }
  if (scratch_bits_.empty()) {
    scratch_bits_.assign(tokens_.size() / 64 + 1, 0);
    scratch_summary_.assign(scratch_bits_.size() / 64 + 1, 0);
  }
  for (const std::size_t i : positions) {
    scratch_bits_[i >> 6] |= std::uint64_t{1} << (i & 63);
    scratch_summary_[i >> 12] |= std::uint64_t{1} << ((i >> 6) & 63);
  }
  // At most n positions come back: written through a pointer, then trimmed. Only the words of
  // the bitmap that the summary marks are read.
  std::size_t* out = positions.data();
  for (std::size_t s = 0; s < scratch_summary_.size(); ++s) {
    for (std::uint64_t words = scratch_summary_[s]; words != 0; words &= words - 1) {
      const std::size_t w = s * 64 + static_cast<std::size_t>(std::countr_zero(words));
      for (std::uint64_t bits = scratch_bits_[w]; bits != 0; bits &= bits - 1)
        *out++ = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      scratch_bits_[w] = 0;
    }
    scratch_summary_[s] = 0;
  }
  positions.resize(static_cast<std::size_t>(out - positions.data()));
}

const std::vector<std::size_t>& prepared_text::occurrences(const phrase_set& set,
                                                           bool with_negated) const {
  auto& cache = found_[with_negated ? 1 : 0];
  if (auto it = cache.find(&set); it != cache.end()) return it->second;
  std::vector<std::size_t> all;
  for (const auto& p : set) {
    auto some = find(p, with_negated);
    all.insert(all.end(), some.begin(), some.end());
  }
  sort_tokens(all);
  return cache.emplace(&set, std::move(all)).first->second;
}

bool prepared_text::occurs_in(const phrase_set& set, std::size_t first, std::size_t last) const {
  const auto& all = occurrences(set);
  const auto it = std::lower_bound(all.begin(), all.end(), first);
  return it != all.end() && *it < last;
}

void prepared_text::mark_negation(const text_unit& u, const review_settings& settings) {
  // Scopes: a negation cue ("no", "not", "without", "avoid") covers the next negation_window
  // words, across commas (lists: "no Streamlit, Gradio or chat demos"); a contrast cue
  // ("unlike", "rather than") covers words up to the next comma; a clause break ("but",
  // "however") or strong punctuation (; : ( ) and dashes) ends both. A cue after the words
  // ("is not", "isn't") covers the words before it back to the clause start.
  std::size_t negation_left = 0;
  bool contrast = false;
  std::size_t clause_start = u.first_token;
  for (std::size_t i = u.first_token; i < u.last_token; ++i) {
    if (i > u.first_token) {
      // The text between this word and the one before (both in u).
      const std::uint32_t from = tokens_[i - 1].end, to = tokens_[i].begin;
      const auto between = u.text.substr(from, to - from);
      // Most words are separated by one space, which neither ends nor narrows a scope.
      if (to == from + 1 && u.text[from] == ' ') {
      } else if (const auto g = gap_kind_of(between); g == gap_kind::clause_end) {
        negation_left = 0;
        contrast = false;
        clause_start = i;
      } else if (g == gap_kind::comma) {
        contrast = false;
      }
    }
    const phrase* cue = nullptr;
    cue_kind kind = cue_kind::negation;
    // The longest cue that matches wins: "instead of" (contrast) over "instead" (a break),
    // "is not" (after) over "not".
    for (const auto* c : cues_at_[tokens_[i].type]) {
      if ((cue == nullptr || c->p->words.size() > cue->words.size()) && types_at(c->types, i)) {
        cue = c->p;
        kind = c->kind;
      }
    }
    if (cue == nullptr) {
      tokens_[i].negated = negation_left > 0 || contrast;
      if (negation_left > 0) --negation_left;
      continue;
    }
    const std::size_t n = cue->words.size();
    switch (kind) {
      case cue_kind::clause_break:
        negation_left = 0;
        contrast = false;
        clause_start = i + n;
        break;
      case cue_kind::post_negation: {
        const std::size_t from = std::max(
            clause_start, i >= settings.negation_window ? i - settings.negation_window : 0);
        for (std::size_t j = from; j < i; ++j) tokens_[j].negated = true;
        negation_left = settings.negation_window;
        break;
      }
      case cue_kind::negation:
        negation_left = settings.negation_window;
        break;
      case cue_kind::contrast:
        contrast = true;
        break;
    }
    i += n - 1;
  }
}

}  // namespace knowledge
