#include "integrations/chat/command_form.hpp"

namespace integrations {

result<chat_command> command_from_form(const form& fields, platform from) {
  chat_command cmd;
  cmd.from = from;
  struct slot {
    std::string_view name;
    std::string* target;
    bool required;
  };
  const slot slots[] = {
      {"command", &cmd.command, true},          {"user_id", &cmd.user_id, true},
      {"team_id", &cmd.team_id, false},         {"user_name", &cmd.user_name, false},
      {"channel_id", &cmd.channel_id, false},   {"channel_name", &cmd.channel_name, false},
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
  return cmd;
}

}  // namespace integrations
