#include "integrations/mattermost/command.hpp"

#include "integrations/chat/command_form.hpp"

namespace integrations::mattermost {

result<chat_command> parse_command(const form& fields) {
  return command_from_form(fields, platform::mattermost);
}

}  // namespace integrations::mattermost
