#pragma once
// Wording shared by every answer that shows a proposal review (chat, terminal, ticket comments):
// shares, where a quote was found, long quotes shortened.

#include "knowledge/review.hpp"

#include <cstddef>
#include <string>

namespace bot {

// 0.57 → "57 %".
std::string percent(double share);

// Where a quote was found: "line 12, page 3, under "Capstone"".
std::string location(const knowledge::evidence_entry& e);

// s when it has at most max_bytes, else its start (never half a UTF-8 sequence) and "…".
std::string shortened(const std::string& s, std::size_t max_bytes);

}  // namespace bot
