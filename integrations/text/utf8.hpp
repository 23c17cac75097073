#pragma once
// UTF-8 checks and cuts, for text that arrives from users and text that must fit platform limits.

#include <cstddef>
#include <string>
#include <string_view>

namespace integrations::utf8 {

// Length of the well-formed UTF-8 sequence starting at s[i] (1 to 4), or 0 when the bytes there
// are not one (a stray continuation byte, an overlong, a surrogate, above U+10FFFF, cut short).
std::size_t sequence_length(std::string_view s, std::size_t i);

// True when s is well-formed UTF-8.
bool valid(std::string_view s);

// s with every byte that is not part of well-formed UTF-8 replaced by U+FFFD; for echoing
// client-supplied bytes into JSON, which must be UTF-8.
std::string sanitize(std::string_view s);

// Number of code points in s (which must be valid UTF-8).
std::size_t length(std::string_view s);

// The longest prefix of s that is at most max_bytes long and does not split a code point.
std::string_view prefix_bytes(std::string_view s, std::size_t max_bytes);

// The longest prefix of s holding at most max_chars code points.
std::string_view prefix_chars(std::string_view s, std::size_t max_chars);

}  // namespace integrations::utf8
