#pragma once
// A message as a Jira Cloud comment body (REST v3): an Atlassian Document Format document,
// serialised as JSON text, details in a collapsed "expand" node.

#include "integrations/chat/message.hpp"

#include <cstddef>
#include <string>

namespace integrations::jira {

// Jira's comment limit, in characters (the renderers count bytes, which is never fewer).
inline constexpr std::size_t comment_limit = 32'767;

// {"type":"doc","version":1,"content":[...]} using paragraph, heading, bulletList, orderedList,
// listItem, blockquote, table, tableRow, tableHeader, tableCell, text (marks strong, em, code),
// hardBreak, rule and expand. ADF text is plain text, so nothing is escaped, but no link mark,
// mention, emoji or card node is ever produced, control and text-direction characters are
// dropped and bare addresses are split so no renderer links them. At most `limit` bytes of JSON
// (limits below a few hundred bytes give an empty document): details are dropped from the end
// first, then the body, and a closing paragraph says how many parts were left out.
std::string render_adf(const message& m, std::size_t limit);

}  // namespace integrations::jira
