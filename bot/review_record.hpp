#pragma once
// A proposal review as the decision log keeps it: score, verdict, a one-line summary, the whole
// review as JSON and its findings as searchable text. Pure.

#include "knowledge/review.hpp"
#include "storage/decisions.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bot {

// content is the reviewed text (hashed, so a re-review of the same text is recognisable).
storage::review_input review_record(const knowledge::review& r, std::string vendor,
                                    std::string_view content, std::string source,
                                    storage::actor by, std::int64_t at);

}  // namespace bot
