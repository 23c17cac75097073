#pragma once
// A proposal review as the bot's comment on a procurement ticket (Jira, GitHub, GitLab): the
// verdict and score on one line, every red flag and warning with the sentences that raise it and
// where they are, the coverage gaps, the questions to ask before signing; the score breakdown,
// provider type, what is covered and what could not be read go in the collapsed details.
// integrations::tickets::render_markdown and integrations::jira::render_adf/render_wiki turn it
// into each system's comment body.

#include "integrations/chat/message.hpp"
#include "knowledge/review.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace bot {

struct ticket_review_context {
  std::string ticket_key;               // "PROC-12", "owner/repo#42"
  std::string vendor;                   // "" when not known
  std::vector<std::string> sources;     // what was read, in order: "description", "attachment proposal.pdf"
  std::vector<std::string> unreadable;  // "scan.pdf: PDF has no extractable text"
  // Optional, one per source: the line of the reviewed text where that source begins (1-based),
  // so each quote names its source and its line within it. Without it a quote names its source
  // only when there is a single one.
  std::vector<std::size_t> source_lines;
};

// "Proposal review: Do not proceed — score 32/100 · 3 red flags, 2 warnings".
std::string ticket_summary(const knowledge::review& r);

// Where a quote was found, with its source when the context tells: "attachment proposal.pdf,
// line 3, page 1, under "Capstone"".
std::string ticket_location(const knowledge::evidence_entry& e, const ticket_review_context& c);

integrations::message ticket_comment(const knowledge::review& r, const ticket_review_context& c);

}  // namespace bot
