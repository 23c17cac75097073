#pragma once
// Answers chat commands: parses the text, composes the answer, renders it for the platform.
// Answers that depend only on the subcommand are rendered once, when the service is built, so
// the hot path of a slash command is a lookup.

#include "bot/answers.hpp"
#include "bot/decision_service.hpp"
#include "integrations/chat/command.hpp"
#include "integrations/chat/message.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/search.hpp"

#include <string>
#include <string_view>
#include <unordered_map>

namespace bot {

class chat_service {
 public:
  // book must outlive the service; prefix is how users invoke it ("/playbook").
  explicit chat_service(const knowledge::playbook& book, std::string prefix = "/playbook",
                        surface where = surface::chat, knowledge::extract_limits limits = {});

  // The answer to the text after the command. Errors (unknown subcommand, bad argument) are
  // always ephemeral, whatever the user asked for.
  integrations::reply answer(std::string_view text) const;

  // Decision commands (decide, vendor, decisions) go to decisions, which must outlive the
  // service; without one they are answered with where to find them.
  void attach(decision_service& decisions) { decisions_ = &decisions; }

  // The HTTP response body (JSON) answering text on platform (slack, mattermost or teams).
  std::string respond(integrations::platform p, std::string_view text) const;

  // The same for a whole command, whose sender matters to decision commands.
  std::string respond(const integrations::chat_command& cmd) const;

  // The answer as Markdown, for the terminal.
  std::string markdown(std::string_view text) const;

 private:
  // The cache key of a static answer, or "" when the answer must be composed per request.
  std::string cache_key(integrations::platform p, const parsed_command& cmd) const;
  std::string render(integrations::platform p, const integrations::reply& r) const;
  integrations::reply reply_for(const parsed_command& cmd) const;

  const knowledge::playbook& book_;
  knowledge::search_index index_;
  answer_composer composer_;
  std::unordered_map<std::string, std::string> rendered_;
  decision_service* decisions_ = nullptr;
};

}  // namespace bot
