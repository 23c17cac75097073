#pragma once
// A proposal review as an answer: the full review (terminal, files) or a compact one that fits a
// chat message and says how much more there is.

#include "integrations/chat/message.hpp"
#include "knowledge/review.hpp"

#include <string>

namespace bot {

struct review_layout {
  bool compact = false;            // chat: one quote per flag, gaps on one line, no breakdown
  std::size_t max_flags = 100;     // findings shown at most, the rest counted
  std::size_t max_questions = 100;
  std::string full_review_hint;    // where the full review is, e.g. "playbook-bot review FILE"
};

// The verdict as people say it: "Proceed", "Proceed with conditions", "Do not proceed".
std::string verdict_label(const std::string& verdict);

integrations::message review_message(const knowledge::review& r, const review_layout& layout);

}  // namespace bot
