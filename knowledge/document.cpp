#include "knowledge/document.hpp"

#include "knowledge/text.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <pugixml.hpp>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

namespace knowledge {
namespace {

// One line of extracted text before it becomes a text_line. Its index + 1 is its line number.
struct raw_line {
  std::string text;  // normalized; "" when blank
  std::size_t page = 0;
  bool page_start = false;  // the first line of a PDF page
  bool drop = false;        // markup only (a setext underline, a table delimiter row): not listed
  bool no_heading = false;  // never a heading (code, running headers and footers)
  bool heading = false;
  std::string title;  // the section a heading opens
};

raw_line line_of(std::string text, std::size_t page = 0) {
  raw_line l;
  l.text = std::move(text);
  l.page = page;
  return l;
}

error fail(std::string message) { return error{std::move(message)}; }

// ---- UTF-8 -------------------------------------------------------------------------------------

// Decodes the strict UTF-8 sequence at s[i] (no overlongs, surrogates or values past U+10FFFF).
// Returns its length, or 0 when the bytes there are not UTF-8.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    cp = c & 0x1fu;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    cp = c & 0x0fu;
    if (c == 0xe0) lo = 0xa0;  // overlong
    if (c == 0xed) hi = 0x9f;  // surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    cp = c & 0x07u;
    if (c == 0xf0) lo = 0x90;  // overlong
    if (c == 0xf4) hi = 0x8f;  // past U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned char b = byte(i + k);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) return 0;
    cp = (cp << 6) | (b & 0x3fu);
  }
  return n;
}

// Where text stops being text: the offset of the first NUL or malformed UTF-8, or npos.
std::size_t binary_at(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // Eight bytes at a time while they are all ASCII and none is NUL: with v read as a word,
    // (v - 0x01..01) | v has a byte's high bit set exactly when that byte (or, by a borrow, a
    // byte after a NUL) is NUL or 0x80 and above.
    std::uint64_t v;
    if (i + 8 <= s.size()) {
      std::memcpy(&v, s.data() + i, 8);
      if ((((v - 0x0101010101010101ull) | v) & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c != 0 && c < 0x80) {  // plain ASCII, the common case
      ++i;
      continue;
    }
    if (s[i] == '\0') return i;
    char32_t cp;
    const std::size_t n = decode(s, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

bool is_space(char32_t cp) {
  return cp <= 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0xa0) || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
         cp == 0x205f || cp == 0x3000;
}

// Invisible characters that only break words apart when kept (soft hyphen, zero-width space and
// joiners, word joiner, BOM).
bool is_invisible(char32_t cp) {
  return cp == 0xad || (cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff;
}

// Evidence is quoted and matched line by line, so every kind of whitespace (tabs, no-break and
// typographic spaces, control characters) becomes one space. Malformed UTF-8, possible only in
// DOCX XML (pugixml does not check it), becomes U+FFFD so lines are always valid UTF-8.
// What a byte is to normalize(): printable ASCII (copied as it is), the ASCII space, or anything
// else (control characters, tabs, the bytes of UTF-8 sequences), which is decoded.
enum class byte_kind : unsigned char { printable, space, other };

constexpr std::array<byte_kind, 256> byte_kinds = [] {
  std::array<byte_kind, 256> t{};
  t.fill(byte_kind::other);
  for (int c = 0x21; c < 0x7f; ++c) t[static_cast<std::size_t>(c)] = byte_kind::printable;
  t[' '] = byte_kind::space;
  return t;
}();

byte_kind kind_of(char c) { return byte_kinds[static_cast<unsigned char>(c)]; }

// Printable ASCII with single spaces between words and none at either end: a line that
// normalize() leaves as it is. One pass without an early exit, which the compiler vectorizes.
bool is_plain(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  unsigned other = kind_of(s[0]) != byte_kind::printable;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto before = static_cast<unsigned char>(s[i - 1]);
    other |= (c < 0x20) | (c >= 0x7f) | ((c == ' ') & (before == ' '));
  }
  return other == 0;
}

std::string normalize(std::string_view s) {
  // Most lines are plain: copied whole after one cheap scan.
  if (is_plain(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    if (kind_of(s[i]) == byte_kind::printable) {
      // A run of printable ASCII, with single spaces between its words: copied as it is.
      std::size_t run = i + 1;
      while (run < s.size() &&
             (kind_of(s[run]) == byte_kind::printable ||
              (s[run] == ' ' && run + 1 < s.size() && kind_of(s[run + 1]) == byte_kind::printable)))
        ++run;
      if (pending_space) out += ' ';
      pending_space = false;
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    char32_t cp;
    std::size_t n = decode(s, i, cp);
    if (n == 0) {
      cp = 0xfffd;
      n = 1;
    }
    i += n;
    if (is_invisible(cp)) continue;
    if (is_space(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    if (n == 1 && cp == 0xfffd)
      append_utf8(out, cp);
    else
      out.append(s.substr(i - n, n));
  }
  return out;
}

// ---- Letters, for the heading rules ------------------------------------------------------------

enum class letter { none, upper, lower, other };

// Case for the scripts proposals are written in (Latin, Greek, Cyrillic); letters of other scripts
// count as letters without case, so they never make a line look capitalized.
letter letter_of(char32_t c) {
  if (c >= 'A' && c <= 'Z') return letter::upper;
  if (c >= 'a' && c <= 'z') return letter::lower;
  if (c < 0xc0) return letter::none;
  if (c <= 0xde) return c == 0xd7 ? letter::none : letter::upper;
  if (c <= 0xff) return c == 0xf7 ? letter::none : letter::lower;
  if (c <= 0x17f) {
    const bool odd = c & 1u;
    if (c <= 0x137 || (c >= 0x14a && c <= 0x177)) return odd ? letter::lower : letter::upper;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
      return odd ? letter::upper : letter::lower;
    return c == 0x178 ? letter::upper : letter::lower;
  }
  if (c >= 0x391 && c <= 0x3a9) return letter::upper;
  if (c >= 0x3ac && c <= 0x3ce) return letter::lower;
  if (c >= 0x400 && c <= 0x42f) return letter::upper;
  if (c >= 0x430 && c <= 0x45f) return letter::lower;
  if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xfe00 && c <= 0xfe6f))
    return letter::none;  // punctuation, symbols, arrows, dingbats
  return letter::other;
}

char32_t first_code_point(std::string_view s) {
  if (s.empty()) return 0;
  char32_t cp;
  return decode(s, 0, cp) == 0 ? 0xfffd : cp;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<std::string_view> split_on_spaces(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t end = std::min(s.find(' ', i), s.size());
    if (end > i) words.push_back(s.substr(i, end - i));
    i = end + 1;
  }
  return words;
}

// A word without the punctuation around it: "(MOOCs)" → "MOOCs", "“Real" → "Real".
std::string_view word_core(std::string_view w) {
  std::size_t b = 0;
  while (b < w.size()) {
    char32_t cp;
    const std::size_t n = decode(w, b, cp);
    if (n == 0 || letter_of(cp) != letter::none || (cp < 0x80 && is_digit(static_cast<char>(cp))))
      break;
    b += n;
  }
  return w.substr(b);
}

// ---- Plain-text headings (text, PDF; Markdown and DOCX without headings of their own) ----------

bool is_bullet(std::string_view s) {
  static constexpr std::array<std::string_view, 11> bullets = {"- ", "* ", "+ ", "• ", "◦ ", "▪ ",
                                                               "‣ ", "– ", "— ", "· ", "o "};
  return std::any_of(bullets.begin(), bullets.end(),
                     [&](std::string_view b) { return s.starts_with(b); });
}

bool is_table_row(std::string_view s) {
  return s.starts_with('|') || s.find(" | ") != std::string_view::npos;
}

// "7", "Page 7", "page 7 of 20", "7 / 20", "- 7 -".
bool is_page_number(std::string_view s) {
  std::string l = ascii_lower(s);
  std::string_view v = l;
  if (v.starts_with("- ") && v.ends_with(" -")) v = v.substr(2, v.size() - 4);
  if (v.starts_with("page ")) v.remove_prefix(5);
  std::size_t i = 0;
  while (i < v.size() && is_digit(v[i])) ++i;
  if (i == 0 || i > 4) return false;
  v.remove_prefix(i);
  if (v.empty()) return true;
  for (std::string_view sep : {" of ", " / ", "/"}) {
    if (v.starts_with(sep)) {
      v.remove_prefix(sep.size());
      return !v.empty() && v.size() <= 4 && std::all_of(v.begin(), v.end(), is_digit);
    }
  }
  return false;
}

// Consumes a number token at s[i]: 1-3 digits with optional ".digits" levels, a Roman numeral or
// a single capital letter ("Appendix A"). Returns the position after it, or npos.
std::size_t number_token(std::string_view s, std::size_t i, bool allow_letters) {
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j]) && j - i < 3) ++j;
  if (j > i) {
    while (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
      ++j;
      while (j < s.size() && is_digit(s[j])) ++j;
    }
    return j;
  }
  if (!allow_letters) return std::string_view::npos;
  while (j < s.size() && std::string_view("IVXLC").find(s[j]) != std::string_view::npos &&
         j - i < 6)
    ++j;
  if (j == i && j < s.size() && s[j] >= 'A' && s[j] <= 'Z') ++j;
  if (j == i || (j < s.size() && s[j] != ' ' && s[j] != ':' && s[j] != '.'))
    return std::string_view::npos;
  return j;
}

// Skips one dash (-, – or —) at s[i]; returns the position after it or npos.
std::size_t dash(std::string_view s, std::size_t i) {
  for (std::string_view d : {"-", "–", "—"})
    if (s.substr(i).starts_with(d)) return i + d.size();
  return std::string_view::npos;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

// How a numbered heading is numbered ("1." "1)" "1.1" or the keyword, "module"), so that lines
// numbered alike next to each other are recognized as a list; "" when s is not numbered.
std::string numbered_form(std::string_view s) {
  if (s.empty()) return "";
  if (is_digit(s[0])) {
    // "1. Overview", "2) Curriculum", "3.1 Scope": a bare "3 Pricing" is too often a quantity.
    std::size_t i = number_token(s, 0, false);
    if (i == std::string_view::npos || i >= s.size()) return "";
    const bool levels = s.substr(0, i).find('.') != std::string_view::npos;
    std::string form = levels ? "1.1" : "1";
    if (s[i] == '.' || s[i] == ')') form += s[i++];
    if (form == "1" || i >= s.size() || s[i] != ' ') return "";
    return letter_of(first_code_point(s.substr(i + 1))) == letter::upper ? form : "";
  }
  static const std::unordered_set<std::string> keywords = {
      "part",   "section", "chapter", "module",    "unit",     "week",
      "weeks",  "day",     "days",    "phase",     "stage",    "step",
      "lesson", "session", "sprint",  "milestone", "appendix", "annex"};
  if (letter_of(first_code_point(s)) != letter::upper) return "";
  const std::size_t space = s.find(' ');
  if (space == std::string_view::npos) return "";
  std::string keyword = ascii_lower(s.substr(0, space));
  if (!keywords.contains(keyword)) return "";
  std::size_t i = number_token(s, space + 1, true);
  if (i == std::string_view::npos) return "";
  // An optional range: "Week 1–3", "Days 1 - 2".
  if (const std::size_t d = dash(s, skip_spaces(s, i)); d != std::string_view::npos) {
    const std::size_t after = number_token(s, skip_spaces(s, d), false);
    if (after != std::string_view::npos) i = after;
  }
  if (keyword.ends_with('s') && keyword != "annex") keyword.pop_back();
  if (i == s.size()) return keyword;  // "Module 3" alone
  // Then a separator and a title ("Module 3: RAG", "Day 2 — Evaluation"), or a capitalized title.
  std::size_t t = skip_spaces(s, i);
  if (t < s.size() && (s[t] == ':' || s[t] == '.')) {
    ++t;
  } else if (const std::size_t d = dash(s, t); d != std::string_view::npos) {
    t = d;
  } else if (t == i) {
    return "";  // "Module3x"
  } else if (letter_of(first_code_point(s.substr(t))) != letter::upper) {
    return "";  // "Week 3 we start ..."
  }
  t = skip_spaces(s, t);
  return t < s.size() ? keyword : "";
}

// Capitals from the first character ("PRICING", "AI/ML TRACK"), mostly letters ("USD 40,000" is a
// figure).
bool is_all_caps(std::string_view s) {
  if (letter_of(first_code_point(s)) != letter::upper) return false;
  std::size_t upper = 0, letters = 0, non_space = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const std::size_t n = std::max<std::size_t>(1, decode(s, i, cp));
    i += n;
    if (cp == ' ') continue;
    ++non_space;
    switch (letter_of(cp)) {
      case letter::lower: return false;
      case letter::upper:
        ++upper;
        ++letters;
        break;
      case letter::other: ++letters; break;
      case letter::none: break;
    }
  }
  return upper >= 2 && 2 * letters > non_space;
}

bool is_lead_in(std::string_view s) {
  return s.ends_with(':') && split_on_spaces(s).size() <= 8 &&
         letter_of(first_code_point(s)) == letter::upper;
}

bool is_title_case(std::string_view s) {
  static const std::unordered_set<std::string_view> minor = {
      "a",    "an",  "and", "as",  "at",   "but",    "by",      "for", "from", "in",
      "into", "nor", "of",  "on",  "onto", "or",     "over",    "per", "the",  "to",
      "up",   "via", "vs",  "vs.", "with", "within", "without", "&"};
  const auto words = split_on_spaces(s);
  if (words.empty() || words.size() > 8) return false;
  // Two sentences on one line are text, not a title.
  for (std::string_view stop : {". ", "? ", "! "})
    if (s.find(stop) != std::string_view::npos) return false;
  std::size_t capitalized = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view core = word_core(words[i]);
    if (core.empty() || is_digit(core[0])) continue;
    switch (letter_of(first_code_point(core))) {
      case letter::upper: ++capitalized; break;
      case letter::lower:
        if (i == 0 || !minor.contains(core)) return false;
        break;
      default: return false;
    }
  }
  // Capitals only ("4 CARD32 OFFSET") is the ALL CAPS rule's business, which refused it.
  bool lowercase = false;
  for (std::size_t i = 0; i < s.size() && !lowercase;) {
    char32_t cp;
    const std::size_t n = decode(s, i, cp);
    lowercase = n > 0 && letter_of(cp) == letter::lower;
    i += std::max<std::size_t>(n, 1);
  }
  return capitalized > 0 && lowercase;
}

bool ends_sentence(std::string_view s) {
  while (!s.empty() && (s.back() == '"' || s.back() == ')' || s.back() == '\'')) s.remove_suffix(1);
  if (s.ends_with("”") || s.ends_with("’")) s.remove_suffix(3);
  return !s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?' || s.back() == ':');
}

// Lines that open or close pages of a PDF are running headers and footers when they repeat: the
// same text on at least 3 pages, or the same text but for its numbers ("Page 3 of 9") on most
// pages. They must not reset the section on every page. Numbered headings that merely look alike
// ("1. Overview" and "2. Pricing" opening their pages) are only caught by the first test.
void mark_running_lines(std::vector<raw_line>& lines) {
  std::vector<std::pair<std::size_t, std::size_t>> page_ranges;  // [first, last] non-blank
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].page_start) page_ranges.emplace_back(std::string_view::npos, 0);
    if (lines[i].text.empty() || page_ranges.empty()) continue;
    if (page_ranges.back().first == std::string_view::npos) page_ranges.back().first = i;
    page_ranges.back().second = i;
  }
  if (page_ranges.size() < 3) return;
  const auto shape = [&](std::size_t i) {
    std::string k = lines[i].text;
    for (auto& c : k)
      if (is_digit(c)) c = '#';
    return k;
  };
  std::unordered_map<std::string, std::size_t> exact, shapes;
  for (const auto& [first, last] : page_ranges) {
    if (first == std::string_view::npos) continue;
    ++exact[lines[first].text];
    ++shapes[shape(first)];
    if (last == first) continue;
    ++exact[lines[last].text];
    ++shapes[shape(last)];
  }
  for (const auto& [first, last] : page_ranges) {
    if (first == std::string_view::npos) continue;
    for (const std::size_t i : {first, last}) {
      if (exact[lines[i].text] >= 3 ||
          (2 * shapes[shape(i)] > page_ranges.size() && numbered_form(lines[i].text).empty()))
        lines[i].no_heading = true;
    }
  }
}

// Symbols of code, formulas, addresses and identifiers, which headings do not carry.
bool has_code_symbols(std::string_view s) {
  return s.find_first_of("{}<>=[]@$^*_|~\\") != std::string_view::npos ||
         s.find("::") != std::string_view::npos;
}

// Dot leaders are a table of contents line: "Pricing . . . . 12".
bool has_dot_leader(std::string_view s) {
  return s.find(". . .") != std::string_view::npos || s.find("....") != std::string_view::npos ||
         s.find("……") != std::string_view::npos;
}

// "**Pricing**" → "Pricing": emphasis around a whole heading is markup, not title.
std::string strip_emphasis(std::string t) {
  for (std::string_view e : {"**", "__", "*", "_"}) {
    if (t.size() > 2 * e.size() && t.starts_with(e) && t.ends_with(e))
      t = t.substr(e.size(), t.size() - 2 * e.size());
  }
  return t;
}

void plain_headings(std::vector<raw_line>& lines) {
  const auto blank = [&](std::size_t i) { return lines[i].text.empty() || lines[i].drop; };
  std::size_t last_content = std::string_view::npos;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!blank(i)) last_content = i;
  if (last_content == std::string_view::npos) return;

  for (std::size_t i = 0; i < last_content; ++i) {
    raw_line& l = lines[i];
    if (blank(i) || l.no_heading || l.heading) continue;
    // A line in bold ("**Pricing**") is how Markdown without headings marks them.
    const std::string candidate = strip_emphasis(l.text);
    const std::string_view s = candidate;
    if (code_points(s) > 80 || s.ends_with('.') || s.ends_with(',') || s.ends_with(';')) continue;
    if (is_bullet(s) || is_table_row(s) || is_page_number(s) || has_dot_leader(s)) continue;

    const bool after_break = i == 0 || l.page_start || blank(i - 1);
    const bool before_break = blank(i + 1) || lines[i + 1].page_start;
    bool heading = false;
    if (const std::string form = numbered_form(s); !form.empty()) {
      const bool list = (!after_break && numbered_form(lines[i - 1].text) == form) ||
                        (!before_break && numbered_form(lines[i + 1].text) == form);
      heading = !list;
    } else if (is_lead_in(s)) {
      heading = true;
    } else if (has_code_symbols(s)) {
      heading = false;
    } else if (is_all_caps(s)) {
      // Lines of capitals next to each other are a block (an address, a table, code), not a
      // heading over text.
      const bool block = (!after_break && is_all_caps(lines[i - 1].text)) ||
                         (!before_break && is_all_caps(lines[i + 1].text));
      heading = !block;
    } else if (is_title_case(s)) {
      const raw_line* prev = after_break ? nullptr : &lines[i - 1];
      const bool alone_before = prev == nullptr || prev->heading || ends_sentence(prev->text) ||
                                is_bullet(prev->text) || is_table_row(prev->text);
      const std::string_view next = lines[i + 1].text;
      const letter next_first = letter_of(first_code_point(next));
      const bool alone_after = before_break || next_first == letter::upper ||
                               (!next.empty() && is_digit(next[0])) || is_bullet(next) ||
                               is_table_row(next);
      heading = alone_before && alone_after;
    }
    if (heading) {
      l.heading = true;
      l.title = candidate;
      if (l.title.size() > 1 && l.title.back() == ':') l.title.pop_back();
    }
  }
}

// ---- Markdown ----------------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::size_t indent(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if (c == ' ')
      ++n;
    else if (c == '\t')
      n += 4;
    else
      break;
  }
  return n;
}

// An ATX heading's level (1-6) and title, or 0.
int atx_heading(std::string_view s, std::string_view& title) {
  if (indent(s) > 3) return 0;
  s = trim(s);
  int level = 0;
  while (level < static_cast<int>(s.size()) && s[static_cast<std::size_t>(level)] == '#') ++level;
  if (level < 1 || level > 6) return 0;
  s.remove_prefix(static_cast<std::size_t>(level));
  if (!s.empty() && s[0] != ' ' && s[0] != '\t') return 0;  // "#hashtag"
  s = trim(s);
  // A closing run of '#' preceded by a space is not part of the title.
  std::size_t end = s.size();
  while (end > 0 && s[end - 1] == '#') --end;
  if (end == 0 || s[end - 1] == ' ' || s[end - 1] == '\t') s = trim(s.substr(0, end));
  title = s;
  return level;
}

// A setext underline: '=' or '-' only (at least 3), at most 3 spaces in.
char setext_underline(std::string_view s) {
  if (indent(s) > 3) return 0;
  s = trim(s);
  if (s.size() < 3 || (s[0] != '=' && s[0] != '-')) return 0;
  return std::all_of(s.begin(), s.end(), [&](char c) { return c == s[0]; }) ? s[0] : 0;
}

// "---", "***", "___", "- - -": a thematic break.
bool thematic_break(std::string_view s) {
  if (indent(s) > 3) return false;
  s = trim(s);
  if (s.empty() || (s[0] != '-' && s[0] != '*' && s[0] != '_')) return false;
  std::size_t marks = 0;
  for (const char c : s) {
    if (c == s[0])
      ++marks;
    else if (c != ' ' && c != '\t')
      return false;
  }
  return marks >= 3;
}

// A GFM table delimiter row: "|---|:---:|", "--- | ---".
bool table_delimiter(std::string_view s) {
  s = trim(s);
  if (s.find('|') == std::string_view::npos || s.find('-') == std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == '|' || c == '-' || c == ':' || c == ' ' || c == '\t';
  });
}

// A fence opening or closing a code block: its character and length, or 0.
std::size_t fence(std::string_view s, char& kind) {
  if (indent(s) > 3) return 0;
  s = trim(s);
  if (s.size() < 3 || (s[0] != '`' && s[0] != '~')) return 0;
  std::size_t n = 0;
  while (n < s.size() && s[n] == s[0]) ++n;
  if (n < 3) return 0;
  kind = s[0];
  return n;
}

bool markdown_list_item(std::string_view s) {
  if (indent(s) > 12) return false;
  s = trim(s);
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ') return true;
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i]) && i < 9) ++i;
  return i > 0 && i + 1 < s.size() && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

// Inline Markdown: a link "[text](url)", "**strong**", "__strong__" or "`code`".
bool inline_markdown(std::string_view s) {
  const std::size_t link = s.find("](");
  if (link != std::string_view::npos && s.rfind('[', link) != std::string_view::npos &&
      s.find(')', link) != std::string_view::npos)
    return true;
  for (std::string_view pair : {"**", "__", "`"}) {
    const std::size_t a = s.find(pair);
    if (a != std::string_view::npos && s.find(pair, a + pair.size() + 1) != std::string_view::npos)
      return true;
  }
  return false;
}

// A paragraph line that a setext underline below turns into a heading.
bool setext_text(std::string_view s) {
  std::string_view unused;
  return !trim(s).empty() && indent(s) <= 3 && atx_heading(s, unused) == 0 &&
         !markdown_list_item(s) && !table_delimiter(s) && !thematic_break(s) &&
         trim(s).find('|') == std::string_view::npos;
}

// The rule: Markdown when the text has an ATX heading, a "===" setext underline under text, a GFM
// table (a delimiter row under a row with '|') or a closed fenced code block; or when it has list
// items together with inline Markdown. List items alone ("- item", "1. item") are as common in
// plain text, where the plain-text heading rule serves better.
bool looks_like_markdown(const std::vector<std::string_view>& raw) {
  bool list = false, inline_markup = false;
  char open_kind = 0;
  std::size_t open_length = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string_view s = raw[i];
    char kind = 0;
    const std::size_t f = fence(s, kind);
    if (open_length > 0) {
      if (f >= open_length && kind == open_kind && trim(s).size() == f) return true;
      continue;
    }
    if (f > 0) {
      open_kind = kind;
      open_length = f;
      continue;
    }
    std::string_view title;
    if (atx_heading(s, title) > 0 && !title.empty()) return true;
    if (i > 0 && table_delimiter(s) && raw[i - 1].find('|') != std::string_view::npos) return true;
    if (i > 0 && setext_underline(s) == '=' && setext_text(raw[i - 1])) return true;
    list = list || markdown_list_item(s);
    inline_markup = inline_markup || inline_markdown(s);
  }
  return list && inline_markup;
}

// Marks Markdown headings and syntax-only lines; returns whether there was any heading.
bool markdown_headings(const std::vector<std::string_view>& raw, std::vector<raw_line>& lines) {
  bool any = false;
  char open_kind = 0;
  std::size_t open_length = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string_view s = raw[i];
    char kind = 0;
    const std::size_t f = fence(s, kind);
    if (open_length > 0) {
      lines[i].no_heading = true;
      if (f >= open_length && kind == open_kind && trim(s).size() == f) open_length = 0;
      continue;
    }
    if (f > 0) {
      open_kind = kind;
      open_length = f;
      lines[i].no_heading = true;
      continue;
    }
    std::string_view title;
    if (atx_heading(s, title) > 0) {
      const std::string t = strip_emphasis(normalize(title));
      if (t.empty()) {
        lines[i].drop = true;  // "#" alone
      } else {
        lines[i].heading = true;
        lines[i].title = t;
        any = true;
      }
      continue;
    }
    const char underline = setext_underline(s);
    if (underline != 0 && i > 0 && setext_text(raw[i - 1]) && !lines[i - 1].heading &&
        !lines[i - 1].drop && !lines[i - 1].no_heading) {
      lines[i - 1].heading = true;
      lines[i - 1].title = strip_emphasis(lines[i - 1].text);
      lines[i].drop = true;
      any = true;
      continue;
    }
    if (thematic_break(s) || table_delimiter(s)) lines[i].drop = true;
  }
  return any;
}

// ---- Text --------------------------------------------------------------------------------------

std::vector<std::string_view> split_lines(std::string_view text) {
  // A line ends at "\n", "\r\n" or a lone "\r". Each line is found with memchr: the next '\n',
  // then a '\r' before it, if any.
  std::vector<std::string_view> out;
  const char* const data = text.data();
  const std::size_t size = text.size();
  std::size_t start = 0;
  while (start < size) {
    const auto* nl = static_cast<const char*>(std::memchr(data + start, '\n', size - start));
    const std::size_t stop = nl == nullptr ? size : static_cast<std::size_t>(nl - data);
    if (const auto* cr = static_cast<const char*>(std::memchr(data + start, '\r', stop - start))) {
      const auto at = static_cast<std::size_t>(cr - data);
      out.push_back(text.substr(start, at - start));
      start = at + 1 < size && data[at + 1] == '\n' ? at + 2 : at + 1;
      continue;
    }
    out.push_back(text.substr(start, stop - start));
    start = stop + 1;
  }
  return out;
}

// The document from its raw lines, whose texts it takes.
document finish(document_kind kind, std::vector<raw_line>& lines, std::size_t pages) {
  document d;
  d.kind = kind;
  d.pages = pages;
  d.lines.reserve(lines.size());
  std::string section;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    raw_line& l = lines[i];
    if (l.drop || l.text.empty()) continue;
    if (l.heading) section = l.title;
    d.lines.push_back(text_line{std::move(l.text), i + 1, l.page, section, l.heading});
  }
  return d;
}

result<document> extract_text(std::string_view bytes, const extract_limits& limits) {
  std::size_t start = bytes.starts_with("\xef\xbb\xbf") ? 3 : 0;
  if (bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff"))
    return fail("not a text, PDF or DOCX document (UTF-16 text: save it as UTF-8)");
  const std::string_view text = bytes.substr(start);
  if (const std::size_t at = binary_at(text); at != std::string_view::npos)
    return fail("not a text, PDF or DOCX document (binary data at byte " +
                std::to_string(start + at) + ")");
  if (text.size() > limits.max_text_bytes)
    return fail("text is " + std::to_string(text.size()) + " bytes; the limit is " +
                std::to_string(limits.max_text_bytes));

  const auto raw = split_lines(text);
  std::vector<raw_line> lines(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) lines[i].text = normalize(raw[i]);
  if (std::all_of(lines.begin(), lines.end(), [](const raw_line& l) { return l.text.empty(); }))
    return fail("empty document");

  const bool markdown = looks_like_markdown(raw);
  if (!markdown || !markdown_headings(raw, lines)) plain_headings(lines);
  document d = finish(markdown ? document_kind::markdown : document_kind::text, lines, 0);
  if (d.lines.empty()) return fail("empty document");
  return d;
}

// ---- PDF ---------------------------------------------------------------------------------------

// poppler reports problems of every PDF it opens on stderr unless told otherwise; they are not
// ours to print (the caller gets one error result), so they are dropped. Installed once: it is a
// process-wide setting.
void silence_poppler() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

// A complete PDF ends with "%%EOF" (at most 1024 bytes from the end, as readers allow). poppler
// rebuilds a cut-off file from what is left and would return its first pages as if they were all,
// so a missing marker is reported as truncation rather than read as a shorter document.
bool has_end_marker(std::string_view bytes) {
  while (!bytes.empty() && (bytes.back() == '\0' || bytes.back() == ' ' || bytes.back() == '\r' ||
                            bytes.back() == '\n' || bytes.back() == '\t'))
    bytes.remove_suffix(1);
  return bytes.substr(bytes.size() - std::min<std::size_t>(bytes.size(), 1024)).find("%%EOF") !=
         std::string_view::npos;
}

result<document> extract_pdf(std::string_view bytes, const extract_limits& limits) {
  const error damaged = fail("PDF is damaged or truncated");
  if (!has_end_marker(bytes) || bytes.size() > static_cast<std::size_t>(INT_MAX)) return damaged;
  silence_poppler();
  try {
    const std::unique_ptr<poppler::document> pdf(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!pdf) return damaged;
    // Nothing else may be asked of a locked document: poppler 22.12 crashes on pages().
    if (pdf->is_locked()) return fail("PDF is encrypted (password protected)");
    const int count = pdf->pages();
    if (count < 1) return damaged;
    const auto pages = static_cast<std::size_t>(count);
    if (pages > limits.max_pages)
      return fail("PDF has " + std::to_string(pages) + " pages; the limit is " +
                  std::to_string(limits.max_pages));

    std::vector<raw_line> lines;
    std::size_t text_bytes = 0;
    for (int p = 0; p < count; ++p) {
      const std::unique_ptr<poppler::page> page(pdf->create_page(p));
      if (!page) return damaged;
      // Physical layout keeps a table row on one line and blank lines where the page has gaps,
      // which the heading rule reads; reading order would split table cells into separate lines.
      const poppler::byte_array utf8 =
          page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
      text_bytes += utf8.size();
      if (text_bytes > limits.max_text_bytes)
        return fail("PDF text exceeds the limit of " + std::to_string(limits.max_text_bytes) +
                    " bytes");
      std::string_view text(utf8.data(), utf8.size());
      while (!text.empty() && (text.back() == '\f' || text.back() == '\n')) text.remove_suffix(1);
      const std::size_t first = lines.size();
      for (const auto raw : split_lines(text)) {
        raw_line l;
        l.text = normalize(raw);
        l.page = static_cast<std::size_t>(p) + 1;
        lines.push_back(std::move(l));
      }
      if (lines.size() == first) lines.push_back(line_of("", static_cast<std::size_t>(p) + 1));
      lines[first].page_start = true;
    }
    if (std::all_of(lines.begin(), lines.end(), [](const raw_line& l) { return l.text.empty(); }))
      return fail("PDF has no extractable text (scanned images?)");
    mark_running_lines(lines);
    plain_headings(lines);
    return finish(document_kind::pdf, lines, pages);
  } catch (...) {
    // poppler is not expected to throw, but a malformed file must not take the service down.
    return damaged;
  }
}

// ---- DOCX --------------------------------------------------------------------------------------

struct zip_closer {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct zip_file_closer {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using zip_ptr = std::unique_ptr<zip_t, zip_closer>;

enum class entry { ok, missing, too_big, damaged };

// Reads one member of the archive, at most `cap` bytes whatever its header declares: the declared
// size is checked first (a zip bomb is refused before any inflating), and the count of bytes
// actually inflated is checked too, since a header can lie.
entry read_entry(zip_t* zip, const char* name, std::size_t cap, std::string& out,
                 std::string& why) {
  const zip_int64_t index = zip_name_locate(zip, name, ZIP_FL_NOCASE);
  if (index < 0) return entry::missing;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st) != 0) {
    why = std::string(name) + ": " + zip_error_strerror(zip_get_error(zip));
    return entry::damaged;
  }
  if ((st.valid & ZIP_STAT_SIZE) && st.size > cap) return entry::too_big;
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
    why = std::string(name) + " is encrypted";
    return entry::damaged;
  }
  const std::unique_ptr<zip_file_t, zip_file_closer> file(
      zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0));
  if (!file) {
    why = std::string(name) + ": " + zip_error_strerror(zip_get_error(zip));
    return entry::damaged;
  }
  out.clear();
  if (st.valid & ZIP_STAT_SIZE) out.reserve(static_cast<std::size_t>(st.size));
  std::array<char, 64 * 1024> buffer;
  for (;;) {
    const zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
    if (n < 0) {
      why = std::string(name) + ": " + zip_error_strerror(zip_file_get_error(file.get()));
      return entry::damaged;
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > cap) return entry::too_big;
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return entry::ok;
}

constexpr std::array<const char*, 2> wordml_namespaces = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  // Strict OOXML
};

// pugixml does not resolve namespaces, so element names are compared with the prefix the part
// binds to WordprocessingML ("w" in every writer seen, but not guaranteed).
std::string wordml_prefix(const pugi::xml_node& root) {
  for (const auto& a : root.attributes()) {
    const std::string_view name = a.name();
    if (std::find_if(wordml_namespaces.begin(), wordml_namespaces.end(), [&](const char* ns) {
          return std::strcmp(ns, a.value()) == 0;
        }) == wordml_namespaces.end())
      continue;
    if (name == "xmlns") return "";
    if (name.starts_with("xmlns:")) return std::string(name.substr(6));
  }
  return "w";
}

bool heading_style_name(std::string_view name) {
  std::string n;
  for (const char c : ascii_lower(name))
    if (c != ' ') n += c;
  return n == "title" || (n.size() == 8 && n.starts_with("heading") && n[7] >= '1' && n[7] <= '9');
}

bool outline_heading(const pugi::xml_attribute& level) {
  const std::string_view v = level.value();
  return v.size() == 1 && v[0] >= '0' && v[0] <= '8';  // 9 means body text
}

class docx_reader {
 public:
  explicit docx_reader(const std::string& prefix)
      : q_(prefix.empty() ? "" : prefix + ":"),
        p_(q_ + "p"),
        t_(q_ + "t"),
        tab_(q_ + "tab"),
        ptab_(q_ + "ptab"),
        br_(q_ + "br"),
        cr_(q_ + "cr"),
        hyphen_(q_ + "noBreakHyphen"),
        tbl_(q_ + "tbl"),
        tr_(q_ + "tr"),
        tc_(q_ + "tc"),
        ppr_(q_ + "pPr"),
        style_(q_ + "pStyle"),
        outline_(q_ + "outlineLvl"),
        val_(q_ + "val"),
        txbx_(q_ + "txbxContent") {
    skipped_ = {q_ + "rPr",   q_ + "del",      q_ + "moveFrom",  q_ + "sectPr",
                q_ + "sdtPr", q_ + "sdtEndPr", q_ + "tblPr",     q_ + "tblGrid",
                q_ + "trPr",  q_ + "tcPr",     q_ + "instrText", q_ + "delText"};
  }

  // Style ids whose style in word/styles.xml is a heading by name or outline level (a
  // translated Word names the id "berschrift1" but the name stays "heading 1").
  void read_styles(const pugi::xml_document& styles) {
    const pugi::xml_node root = styles.document_element();
    const std::string q = [&] {
      const std::string p = wordml_prefix(root);
      return p.empty() ? p : p + ":";
    }();
    struct style {
      bool heading_name = false;
      std::optional<bool> outline;
      std::string based_on;
    };
    // Named, not temporaries: children(name) keeps the pointer for the whole loop.
    const std::string style_tag = q + "style", name = q + "name", val = q + "val", ppr = q + "pPr",
                      outline = q + "outlineLvl", based_on = q + "basedOn", id = q + "styleId";
    std::unordered_map<std::string, style> by_id;
    for (const auto& s : root.children(style_tag.c_str())) {
      style st;
      st.heading_name = heading_style_name(s.child(name.c_str()).attribute(val.c_str()).value());
      const auto level = s.child(ppr.c_str()).child(outline.c_str()).attribute(val.c_str());
      if (level) st.outline = outline_heading(level);
      st.based_on = s.child(based_on.c_str()).attribute(val.c_str()).value();
      by_id[ascii_lower(s.attribute(id.c_str()).value())] = std::move(st);
    }
    for (const auto& [style_id, st] : by_id) {
      bool heading = st.heading_name;
      const style* s = &st;
      for (int hops = 0; !heading && s != nullptr && hops < 10; ++hops) {
        if (s->outline) {
          heading = *s->outline;
          break;
        }
        const auto base = by_id.find(ascii_lower(s->based_on));
        s = base == by_id.end() ? nullptr : &base->second;
      }
      if (heading) heading_styles_.insert(style_id);
    }
  }

  // Reads the body's paragraphs and tables in order; false when nested too deep to trust.
  bool read_body(const pugi::xml_node& body) {
    blocks(body, 0);
    return !too_deep_;
  }

  std::vector<raw_line>& lines() { return lines_; }
  bool any_heading() const { return any_heading_; }

 private:
  // Real documents nest a few levels (tables in tables, content controls); thousands of levels
  // are an attack on the recursion below.
  static constexpr int max_depth = 100;

  bool is(const pugi::xml_node& n, const std::string& qname) const { return qname == n.name(); }
  bool skipped(const pugi::xml_node& n) const {
    const std::string_view name = n.name();
    // mc:Fallback repeats the text of mc:Choice for old readers.
    return skipped_.contains(std::string(name)) || name.ends_with(":Fallback");
  }
  bool deep(int depth) {
    if (depth > max_depth) too_deep_ = true;
    return too_deep_;
  }

  void blocks(const pugi::xml_node& parent, int depth) {
    if (deep(depth)) return;
    for (const auto& n : parent.children()) {
      if (n.type() != pugi::node_element || skipped(n)) continue;
      if (is(n, p_))
        paragraph(n, depth + 1);
      else if (is(n, tbl_))
        table(n, depth + 1);
      else
        blocks(n, depth + 1);  // content controls, custom XML, insertions
    }
  }

  bool heading(const pugi::xml_node& p) const {
    const pugi::xml_node ppr = p.child(ppr_.c_str());
    const std::string_view style = ppr.child(style_.c_str()).attribute(val_.c_str()).value();
    if (!style.empty() &&
        (heading_style_name(style) || heading_styles_.contains(ascii_lower(style))))
      return true;
    return outline_heading(ppr.child(outline_.c_str()).attribute(val_.c_str()));
  }

  void paragraph(const pugi::xml_node& p, int depth) {
    std::string text;
    std::vector<pugi::xml_node> boxes;
    runs(p, text, boxes, depth);
    if (heading(p)) {
      std::replace(text.begin(), text.end(), '\n', ' ');
      raw_line l = line_of(normalize(text));
      if (!l.text.empty()) {
        l.heading = true;
        l.title = l.text;
        any_heading_ = true;
      }
      lines_.push_back(std::move(l));
    } else {
      for (const auto& part : split_lines(text)) lines_.push_back(line_of(normalize(part)));
      if (text.empty() || text.back() == '\n') lines_.push_back(raw_line());
    }
    // A text box's paragraphs follow the paragraph it is anchored in.
    for (const auto& box : boxes) blocks(box, depth + 1);
  }

  // The text of a paragraph's runs, hyperlinks, fields and insertions, in order.
  void runs(const pugi::xml_node& parent, std::string& out, std::vector<pugi::xml_node>& boxes,
            int depth) {
    if (deep(depth)) return;
    for (const auto& n : parent.children()) {
      if (n.type() != pugi::node_element || skipped(n) || is(n, ppr_)) continue;
      if (is(n, t_))
        out += n.child_value();
      else if (is(n, tab_) || is(n, ptab_))
        out += ' ';
      else if (is(n, br_) || is(n, cr_))
        out += '\n';
      else if (is(n, hyphen_))
        out += '-';
      else if (is(n, txbx_))
        boxes.push_back(n);
      else
        runs(n, out, boxes, depth + 1);
    }
  }

  // All the text under n, paragraphs and rows separated by spaces: a table cell's content.
  void flat(const pugi::xml_node& parent, std::string& out, int depth) {
    if (deep(depth)) return;
    for (const auto& n : parent.children()) {
      if (n.type() != pugi::node_element || skipped(n) || is(n, ppr_)) continue;
      if (is(n, t_))
        out += n.child_value();
      else if (is(n, tab_) || is(n, ptab_) || is(n, br_) || is(n, cr_))
        out += ' ';
      else if (is(n, hyphen_))
        out += '-';
      else {
        flat(n, out, depth + 1);
        if (is(n, p_) || is(n, tr_) || is(n, tc_)) out += ' ';
      }
    }
  }

  void table(const pugi::xml_node& tbl, int depth) {
    if (deep(depth)) return;
    for (const auto& n : tbl.children()) {
      if (n.type() != pugi::node_element || skipped(n)) continue;
      if (is(n, tr_)) {
        std::vector<std::string> cells;
        cells_of(n, cells, depth + 1);
        std::string row;
        bool any_text = false;
        for (std::size_t i = 0; i < cells.size(); ++i) {
          const std::string cell = normalize(cells[i]);
          any_text = any_text || !cell.empty();
          row += (i ? " | " : "") + cell;
        }
        lines_.push_back(any_text ? line_of(normalize(row)) : raw_line());
      } else {
        table(n, depth + 1);  // rows inside a content control
      }
    }
  }

  void cells_of(const pugi::xml_node& row, std::vector<std::string>& cells, int depth) {
    if (deep(depth)) return;
    for (const auto& n : row.children()) {
      if (n.type() != pugi::node_element || skipped(n)) continue;
      if (is(n, tc_)) {
        cells.emplace_back();
        flat(n, cells.back(), depth + 1);
      } else {
        cells_of(n, cells, depth + 1);
      }
    }
  }

  std::string q_, p_, t_, tab_, ptab_, br_, cr_, hyphen_, tbl_, tr_, tc_, ppr_, style_, outline_,
      val_, txbx_;
  std::unordered_set<std::string> skipped_;
  std::unordered_set<std::string> heading_styles_;
  std::vector<raw_line> lines_;
  bool any_heading_ = false;
  bool too_deep_ = false;
};

result<document> extract_docx(zip_t* zip, const extract_limits& limits) {
  const std::string limit =
      "DOCX text exceeds the limit of " + std::to_string(limits.max_text_bytes) + " bytes";
  std::string xml, why;
  switch (read_entry(zip, "word/document.xml", limits.max_text_bytes, xml, why)) {
    case entry::ok: break;
    case entry::missing: return fail("a ZIP archive that is not a Word document");
    case entry::too_big: return fail(limit);
    case entry::damaged: return fail("DOCX is damaged: " + why);
  }

  pugi::xml_document doc;
  // Whitespace-only text matters in Word (<w:t xml:space="preserve"> </w:t> between words).
  constexpr unsigned parse = pugi::parse_default | pugi::parse_ws_pcdata;
  const pugi::xml_parse_result parsed = doc.load_buffer_inplace(xml.data(), xml.size(), parse);
  if (!parsed)
    return fail(std::string("DOCX is damaged: word/document.xml is not valid XML (") +
                parsed.description() + " at byte " + std::to_string(parsed.offset) + ")");
  const pugi::xml_node root = doc.document_element();
  const std::string prefix = wordml_prefix(root);
  const pugi::xml_node body =
      root.child((prefix.empty() ? std::string("body") : prefix + ":body").c_str());
  if (!body) return fail("DOCX is damaged: word/document.xml has no document body");

  docx_reader reader(prefix);
  // Styles only name headings; a document whose styles part is missing or unreadable still has
  // its text, so a problem there is not an error.
  std::string styles_xml;
  if (read_entry(zip, "word/styles.xml", limits.max_text_bytes, styles_xml, why) == entry::ok) {
    pugi::xml_document styles;
    if (styles.load_buffer_inplace(styles_xml.data(), styles_xml.size()))
      reader.read_styles(styles);
  }
  if (!reader.read_body(body)) return fail("DOCX is damaged: its XML is nested too deeply");

  auto& lines = reader.lines();
  std::size_t text_bytes = 0;
  for (const auto& l : lines) text_bytes += l.text.size() + 1;
  if (text_bytes > limits.max_text_bytes) return fail(limit);
  if (std::all_of(lines.begin(), lines.end(), [](const raw_line& l) { return l.text.empty(); }))
    return fail("empty document (the DOCX has no text)");
  if (!reader.any_heading()) plain_headings(lines);
  return finish(document_kind::docx, lines, 0);
}

result<document> extract_zip(std::string_view bytes, const extract_limits& limits) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (source == nullptr) {
    zip_error_fini(&err);
    throw std::bad_alloc();  // the only way a buffer source fails
  }
  zip_ptr zip(zip_open_from_source(source, ZIP_RDONLY, &err));
  if (!zip) {
    zip_source_free(source);  // not taken over by a failed open
    std::string why = zip_error_strerror(&err);
    zip_error_fini(&err);
    return fail("DOCX is damaged: not a readable ZIP archive (" + why + ")");
  }
  zip_error_fini(&err);
  return extract_docx(zip.get(), limits);
}

}  // namespace

std::string_view kind_name(document_kind k) {
  switch (k) {
    case document_kind::text: return "text";
    case document_kind::markdown: return "markdown";
    case document_kind::pdf: return "pdf";
    case document_kind::docx: return "docx";
  }
  return "text";
}

result<document> extract_document(std::string_view bytes, const extract_limits& limits) {
  if (bytes.size() > limits.max_bytes)
    return fail("document is " + std::to_string(bytes.size()) + " bytes; the limit is " +
                std::to_string(limits.max_bytes));
  if (bytes.empty()) return fail("empty document");
  if (bytes.starts_with("%PDF-")) return extract_pdf(bytes, limits);
  if (bytes.starts_with("PK\x03\x04") || bytes.starts_with("PK\x05\x06"))
    return extract_zip(bytes, limits);
  if (bytes.starts_with("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
    return fail(
        "a legacy Word (.doc) or password-protected Office file, which is not supported "
        "(save it as DOCX or PDF without a password)");
  return extract_text(bytes, limits);
}

result<document> read_document(const std::string& path, const extract_limits& limits) {
  const std::string name = path == "-" ? "standard input" : path;
  const auto failed = [&](const std::string& message) { return fail(name + ": " + message); };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
  std::FILE* in = stdin;
  if (path != "-") {
    owned.reset(std::fopen(path.c_str(), "rb"));
    if (!owned) return failed("cannot read (" + std::generic_category().message(errno) + ")");
    in = owned.get();
  }
  // Read one byte past the limit: enough to know the file is too big without reading it all.
  std::string bytes;
  const std::size_t want = limits.max_bytes == SIZE_MAX ? SIZE_MAX : limits.max_bytes + 1;
  std::array<char, 64 * 1024> buffer;
  while (bytes.size() < want) {
    const std::size_t n =
        std::fread(buffer.data(), 1, std::min(buffer.size(), want - bytes.size()), in);
    bytes.append(buffer.data(), n);
    if (n == 0) break;
  }
  if (std::ferror(in))
    return failed("cannot read (" + std::generic_category().message(errno) + ")");
  if (bytes.size() > limits.max_bytes) {
    std::error_code ec;
    const auto size = path == "-" ? 0 : std::filesystem::file_size(path, ec);
    if (path == "-" || ec)
      return failed("document is more than " + std::to_string(limits.max_bytes) +
                    " bytes; the limit is " + std::to_string(limits.max_bytes));
    return failed("document is " + std::to_string(size) + " bytes; the limit is " +
                  std::to_string(limits.max_bytes));
  }
  auto doc = extract_document(bytes, limits);
  if (!doc) return failed(doc.error().message);
  return doc;
}

}  // namespace knowledge
