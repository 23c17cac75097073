#pragma once
// A message as a Jira Data Center comment body (REST v2): wiki markup, details in a titled panel
// (Data Center has no collapsible macro by default).

#include "integrations/chat/message.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace integrations::jira {

// The comment body, at most `limit` bytes (jira::comment_limit is Jira's; limits below a few
// hundred bytes give an empty body). Over the limit, details are dropped from the end first,
// then the body, and a closing line says how many parts were left out.
std::string render_wiki(const message& m, std::size_t limit);

// Text escaped for a wiki paragraph (exposed for tests): markup characters backslash-escaped,
// line starts that would open a heading, list, quote or table defused, emoticons and bare
// addresses split with a word joiner, backslashes shown as U+29F5 (Jira has no escape for one).
std::string escape_wiki(std::string_view text);

}  // namespace integrations::jira
