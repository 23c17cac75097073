#pragma once
// A message as a GitHub or GitLab issue comment: Markdown with the bot's hidden marker on the first
// line, the details in a collapsed <details> section, every piece of text escaped so that what a
// proposal says cannot become markup, HTML, a mention, a reference, a link or an image.

#include "integrations/chat/message.hpp"
#include "integrations/tickets/marker.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace integrations::tickets {

// review_marker (marker.hpp) is the first line of every bot comment on GitHub and GitLab; user
// text can never produce it: '<' is always escaped.

// Comment size limits, in characters (render_markdown counts bytes, which is never fewer).
inline constexpr std::size_t github_comment_limit = 65'535;
inline constexpr std::size_t gitlab_comment_limit = 1'000'000;

// The comment body, at most `limit` bytes (and at least the marker: limits below a few hundred
// bytes give the marker alone). Over the limit, details are dropped from the end first, then the
// body, and a closing line says how many parts were left out.
std::string render_markdown(const message& m, std::size_t limit);

// Text escaped for a Markdown paragraph (exposed for tests): backslash before Markdown
// punctuation, & < > as entities, a word joiner after @ # ! ~ % $ & ^ and inside "://", "www."
// and "GH-1", control and text-direction characters dropped.
std::string escape_markdown(std::string_view text);

}  // namespace integrations::tickets
