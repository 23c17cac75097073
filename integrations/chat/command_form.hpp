#pragma once
// Reads the fields every slash-command form shares (Slack and Mattermost send the same names).

#include "integrations/chat/command.hpp"
#include "integrations/error.hpp"
#include "integrations/http/form.hpp"

namespace integrations {

// command and user_id are required, the rest optional; an error names a missing or repeated
// field, or a command that does not start with '/'. `text` is taken as sent.
result<chat_command> command_from_form(const form& fields, platform from);

}  // namespace integrations
