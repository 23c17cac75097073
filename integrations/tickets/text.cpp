#include "integrations/tickets/text.hpp"

#include "integrations/text/ascii.hpp"
#include "integrations/text/utf8.hpp"

#include <cctype>
#include <cstdint>

namespace integrations::tickets {
namespace {

using text::starts_with_icase;

// Code point of the well-formed sequence of length n at s[i].
char32_t decode(std::string_view s, std::size_t i, std::size_t n) {
  const auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<std::uint8_t>(s[i + k])); };
  switch (n) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

// Characters that change how the text around them reads or displays rather than being read:
// a proposal could use them to make a quote look different from what it says (Trojan Source).
bool dropped(char32_t c) {
  if (c < 0x20) return c != '\n' && c != '\t' && c != '\r';
  return (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

}  // namespace

std::string inert_text(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 16);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8::sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    const char32_t c = decode(s, i, n);
    if (c == '\r') {
      if (i + 1 >= s.size() || s[i + 1] != '\n') out += '\n';
    } else if (c == '\t') {
      out += ' ';
    } else if (c == 0x2028 || c == 0x2029) {
      out += '\n';
    } else if (!dropped(c)) {
      out.append(s.substr(i, n));
      // Systems link bare addresses (GitHub and GitLab "http://x" and "www.x", Jira "http://x"),
      // and a link is what a proposal must not be able to place in front of a reviewer.
      if (c == ':' && s.substr(i + 1, 2) == "//") out += word_joiner;
      if ((c == 'w' || c == 'W') && starts_with_icase(s, i, "www.")) {
        out.append(s.substr(i + 1, 2));
        out += word_joiner;
        i += 3;
        continue;
      }
    }
    i += n;
  }
  return out;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  return utf8::prefix_bytes(s, max_bytes);
}

fit_plan plan_fit(const fit_input& in, std::size_t limit) {
  const std::size_t n = in.pieces.size();
  const auto size_with = [&](std::size_t kept, std::size_t sum) {
    return in.fixed + sum + (kept > in.body_count ? in.details_frame : 0) + (kept < n ? in.note : 0);
  };
  std::size_t total = 0;
  for (auto p : in.pieces) total += p;
  fit_plan plan;
  if (size_with(n, total) <= limit) {
    plan.kept = n;
    return plan;
  }
  if (size_with(0, 0) > limit) {
    plan.fits = false;
    plan.left_out = n;
    return plan;
  }
  // Sizes grow with every kept piece (the note is there for every k < n), so the first k that
  // does not fit ends the search.
  std::size_t kept = 0, sum = 0;
  while (kept < n && size_with(kept + 1, sum + in.pieces[kept]) <= limit) sum += in.pieces[kept++];
  plan.kept = kept;
  plan.left_out = n - kept;
  if (kept < n) {
    const std::size_t frame = kept + 1 > in.body_count && kept <= in.body_count ? in.details_frame : 0;
    const std::size_t used = size_with(kept, sum) + frame;
    if (used < limit && limit - used >= in.min_cut) {
      plan.cut_budget = limit - used;
      --plan.left_out;
    }
  }
  return plan;
}

std::string shortened_note(const fit_plan& plan, std::size_t total_pieces) {
  std::string out = "Shortened to fit the comment size limit: " + std::to_string(plan.left_out) +
                    " of " + std::to_string(total_pieces) + " parts not shown";
  if (plan.cut_budget > 0) out += ", one cut short";
  return out + ".";
}

std::string longest_note(std::size_t total_pieces) {
  fit_plan longest;
  longest.left_out = total_pieces;
  longest.cut_budget = 1;
  return shortened_note(longest, total_pieces);
}

}  // namespace integrations::tickets
