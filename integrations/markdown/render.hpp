#pragma once
// Renders a message as CommonMark-style Markdown (Mattermost posts, GitHub/GitLab comments, the
// terminal).

#include "integrations/chat/message.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace integrations::markdown {

struct options {
  // Break @mentions (@channel, @here, @user) with a zero-width space so echoed text cannot ping.
  bool defuse_mentions = false;
  // Heading level of the title (1 = "#"); block headings are one level below.
  int title_level = 3;
};

// Escapes characters that Markdown would read as formatting, so text shows as written.
std::string escape(std::string_view text, const options& opts = {});

// The message as Markdown pieces, one per block (the title first); joined with blank lines they
// form the whole message. Callers that must split long messages cut between pieces.
std::vector<std::string> render_pieces(const message& msg, const options& opts = {});

// The whole message as one Markdown document.
std::string render(const message& msg, const options& opts = {});

}  // namespace integrations::markdown
