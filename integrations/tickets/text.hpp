#pragma once
// Shared by the ticket renderers (GitHub/GitLab Markdown, Jira ADF and wiki markup): user text made
// inert before each format escapes it, and the plan that fits a comment within a size limit.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace integrations::tickets {

// U+2060 WORD JOINER: invisible, and splits a token so no parser sees "@user" or "http://".
inline constexpr std::string_view word_joiner = "\xE2\x81\xA0";

// s as text that cannot act on a reader: ill-formed UTF-8 replaced by U+FFFD; control characters
// (C0 but line breaks, DEL, C1), text-direction controls (U+061C, U+200E/F, U+202A–E, U+2066–9)
// and U+FEFF dropped; tabs become spaces, \r\n and U+2028/U+2029 become \n; "://" and "www."
// split with a word joiner so no system turns an address into a link. Formats escape the rest.
std::string inert_text(std::string_view s);

// The longest prefix of s of at most max_bytes that does not split a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// How a rendered comment is laid out, in bytes (bytes are never fewer than the characters,
// code points or UTF-16 units, that GitHub, GitLab and Jira count).
struct fit_input {
  std::size_t fixed = 0;              // always there: marker, title
  std::vector<std::size_t> pieces;    // body pieces, then details pieces, each with its separator
  std::size_t body_count = 0;         // how many of pieces belong to the body
  std::size_t details_frame = 0;      // the wrapper around the details, when one is kept
  std::size_t note = 0;               // the "left out" note at its longest, with its separator
  std::size_t min_cut = 160;          // room needed to show a piece cut rather than drop it
};

struct fit_plan {
  bool fits = true;            // false: not even the fixed part and the note fit
  std::size_t kept = 0;        // pieces kept whole: pieces[0, kept)
  std::size_t cut_budget = 0;  // > 0: pieces[kept] is shown cut to this many bytes (separator included)
  std::size_t left_out = 0;    // pieces not shown at all
  bool shortened() const { return left_out > 0 || cut_budget > 0; }
};

// Keeps as many pieces as fit, dropping from the end (so the details go first, then the body),
// and cuts the first dropped piece instead when at least min_cut bytes are left for it.
fit_plan plan_fit(const fit_input& in, std::size_t limit);

// "Shortened to fit the comment size limit: 3 of 40 parts not shown, one cut short."
std::string shortened_note(const fit_plan& plan, std::size_t total_pieces);

// The note at its longest for total_pieces, for fit_input::note.
std::string longest_note(std::size_t total_pieces);

}  // namespace integrations::tickets
