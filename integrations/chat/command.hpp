#pragma once
// A slash command as the bot sees it, whatever platform it came from.

#include <string>
#include <string_view>

namespace integrations {

enum class platform { slack, mattermost, teams, cli };

std::string_view platform_name(platform p);

struct chat_command {
  platform from = platform::cli;
  std::string team_id;
  std::string user_id;
  std::string user_name;
  std::string channel_id;
  std::string channel_name;
  std::string command;  // e.g. "/playbook"
  std::string text;     // everything after the command, decoded to plain text
  std::string response_url;
  std::string request_id;  // the HTTP request it came in, for log lines ("" from the CLI)
};

}  // namespace integrations
