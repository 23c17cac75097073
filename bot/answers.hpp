#pragma once
// Turns a parsed /playbook command into the answer: a platform-neutral message built from the
// playbook data (knowledge/) in the chat model (integrations/).

#include "bot/commands.hpp"
#include "integrations/chat/message.hpp"
#include "knowledge/document.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/search.hpp"

#include <string>

namespace bot {

// Where answers are read: chat answers mention the `public` modifier; channel answers (Microsoft
// Teams outgoing webhooks, which can only reply in the thread) are always public and do not;
// terminal answers name the CLI instead of the decision commands.
enum class surface { chat, channel, terminal };

class answer_composer {
 public:
  // prefix is how users invoke the bot, e.g. "/playbook" or "playbook-bot ask"; both references
  // must outlive the composer.
  answer_composer(const knowledge::playbook& book, const knowledge::search_index& index,
                  std::string prefix, surface where = surface::chat,
                  knowledge::extract_limits limits = {});

  // The answer; failed is set when it is an error (an unknown subcommand, a proposal that
  // cannot be read), which is never posted to the channel.
  integrations::message compose(const parsed_command& cmd, bool* failed = nullptr) const;

  // True when the answer depends only on the subcommand and its argument (not on free text),
  // so it can be rendered once and reused.
  static bool is_static(const parsed_command& cmd);

  // Number of passages a search answer shows at most.
  static constexpr std::size_t search_results = 5;

 private:
  integrations::message help() const;
  integrations::message criteria() const;
  integrations::message red_flags() const;
  integrations::message questions() const;
  integrations::message types(const std::string& which) const;
  integrations::message capabilities() const;
  integrations::message formats() const;
  integrations::message tracks(const std::string& which) const;
  integrations::message invest() const;
  integrations::message failures() const;
  integrations::message takeaways() const;
  integrations::message about() const;
  integrations::message search(const std::string& words) const;
  integrations::message review(const std::string& proposal, bool* failed) const;
  integrations::message no_decisions_here(const parsed_command& cmd) const;
  integrations::message unknown(const parsed_command& cmd) const;

  std::string command(std::string_view sub) const;
  integrations::context_line related(std::initializer_list<std::string_view> subs) const;

  const knowledge::playbook& book_;
  const knowledge::search_index& index_;
  std::string prefix_;
  surface where_;
  knowledge::extract_limits limits_;  // for proposals pasted into `review`
};

}  // namespace bot
