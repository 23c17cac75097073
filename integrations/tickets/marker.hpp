#pragma once
// The hidden marker that opens the bot's own comment on GitHub and GitLab (Markdown renders an
// HTML comment as nothing), so the comment is found again after a crash lost its id.

#include <string_view>

namespace integrations::tickets {

inline constexpr std::string_view review_marker = "<!-- playbook-bot:review -->";

}  // namespace integrations::tickets
