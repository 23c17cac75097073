#include "integrations/text/echo_safety.hpp"

#include "integrations/text/ascii.hpp"
#include "integrations/text/utf8.hpp"

#include <array>
#include <cctype>

namespace integrations::text {

namespace {

bool word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '-' || u >= 0x80;
}

// Crowd mentions on Slack, Mattermost and Teams, typed as text.
constexpr std::array<std::string_view, 5> crowd = {"channel", "here", "everyone", "all",
                                                   "group"};

}  // namespace

std::optional<std::string> echo_problem(std::string_view s, echo_rules rules) {
  if (!utf8::valid(s)) return "is not valid UTF-8";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) {
      if (!rules.allow_line_breaks) return "contains a line break";
      continue;
    }
    if (c < 0x20 || c == 0x7F) return "contains a control character";
    // U+0080–U+009F (C1 controls): C2 80–C2 9F.
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0)
      return "contains a control character";
    // Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) can make text read other than
    // it is stored; zero-width joiners are harmless and allowed.
    if (c == 0xE2 && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      const auto b2 = static_cast<unsigned char>(s[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9))
        return "contains a text-direction control character";
    }
    // An address (sales@channel.example) is not a mention: a mention starts a word.
    if (c == '@' && (i == 0 || !word_char(s[i - 1]))) {
      for (auto word : crowd) {
        const std::size_t end = i + 1 + word.size();
        if (starts_with_icase(s, i + 1, word) && (end == s.size() || !word_char(s[end])))
          return "mentions @" + std::string(word) + ", which would notify everyone";
      }
    }
    if (c == '<' && i + 1 < s.size()) {
      // Slack's mention and link markup: <!here>, <@U123>, <#C123>, <!subteam^S1>, <http://x|y>.
      const char n = s[i + 1];
      if (n == '!' || n == '@' || n == '#') return "contains mention markup (<" + std::string(1, n) + "…>)";
      if (starts_with_icase(s, i + 1, "http") || starts_with_icase(s, i + 1, "mailto:"))
        return "contains link markup (<http…>)";
    }
    if (c == ']' && i + 1 < s.size() && s[i + 1] == '(') return "contains link markup ([text](url))";
    if (!rules.allow_urls && (starts_with_icase(s, i, "http://") || starts_with_icase(s, i, "https://") ||
                              starts_with_icase(s, i, "www.")))
      return "contains a web address";
  }
  return std::nullopt;
}

}  // namespace integrations::text
