#pragma once
// Reads a Slack slash-command request body (after its signature has been verified).

#include "integrations/chat/command.hpp"
#include "integrations/error.hpp"
#include "integrations/http/form.hpp"

#include <string>
#include <string_view>

namespace integrations::slack {

// The fields of a slash command; an error names a missing, repeated or malformed field.
result<chat_command> parse_command(const form& fields);

// Slack sends '&', '<' and '>' in `text` as &amp; &lt; &gt;; this turns them back.
std::string unescape_text(std::string_view text);

}  // namespace integrations::slack
