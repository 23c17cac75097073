#pragma once
// Reads a Mattermost slash-command request (POST form body or GET query string).

#include "integrations/chat/command.hpp"
#include "integrations/error.hpp"
#include "integrations/http/form.hpp"

namespace integrations::mattermost {

// The fields of a slash command; an error names a missing or repeated field.
result<chat_command> parse_command(const form& fields);

}  // namespace integrations::mattermost
