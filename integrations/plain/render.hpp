#pragma once
// Renders a message as plain text for a terminal or a log: no markup, wrapped lists and quotes
// indented, table rows as "column: value" lines, control characters replaced.

#include "integrations/chat/message.hpp"

#include <string>

namespace integrations::plain {

std::string render(const message& msg);

}  // namespace integrations::plain
