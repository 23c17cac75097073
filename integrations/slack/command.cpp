#include "integrations/slack/command.hpp"

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
  chat_command cmd;
  cmd.from = platform::slack;
  struct slot {
    std::string_view name;
    std::string* target;
    bool required;
  };
  const slot slots[] = {
      {"command", &cmd.command, true},         {"user_id", &cmd.user_id, true},
      {"team_id", &cmd.team_id, false},        {"user_name", &cmd.user_name, false},
      {"channel_id", &cmd.channel_id, false},  {"channel_name", &cmd.channel_name, false},
      {"response_url", &cmd.response_url, false}, {"text", &cmd.text, false},
  };
  for (const auto& s : slots) {
    auto v = fields.single(s.name);
    if (!v) return v.error();
    if (!*v || (*v)->empty()) {
      if (s.required) return error{"missing field '" + std::string(s.name) + "'"};
      continue;
    }
    s.target->assign(**v);
  }
  if (!cmd.command.starts_with('/')) return error{"field 'command' must start with '/'"};
  cmd.text = unescape_text(cmd.text);
  return cmd;
}

}  // namespace integrations::slack
