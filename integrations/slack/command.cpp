#include "integrations/slack/command.hpp"

#include "integrations/chat/command_form.hpp"

namespace integrations::slack {

std::string unescape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("&amp;")) {
      out.push_back('&');
      i += 4;
    } else if (rest.starts_with("&lt;")) {
      out.push_back('<');
      i += 3;
    } else if (rest.starts_with("&gt;")) {
      out.push_back('>');
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

result<chat_command> parse_command(const form& fields) {
  auto cmd = command_from_form(fields, platform::slack);
  if (cmd) cmd->text = unescape_text(cmd->text);
  return cmd;
}

}  // namespace integrations::slack
