#pragma once
// ASCII helpers for scanning user text for words such as "http" or "www." in any case.

#include <cctype>
#include <cstddef>
#include <string_view>

namespace integrations::text {

// True when s holds word at position at, compared without regard to ASCII case; word must be
// lowercase.
inline bool starts_with_icase(std::string_view s, std::size_t at, std::string_view word) {
  if (at > s.size() || s.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[at + i])) != word[i]) return false;
  return true;
}

}  // namespace integrations::text
