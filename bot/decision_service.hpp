#pragma once
// Answers `/playbook decide`, `vendor` and `decisions`: checks who may record, reads and writes
// the decision store, and composes the reply. A decision is confirmed only after its row is
// committed; a failed write is answered "could not record the decision" and leaves nothing.

#include "bot/commands.hpp"
#include "bot/deciders.hpp"
#include "integrations/chat/command.hpp"
#include "integrations/chat/message.hpp"
#include "storage/decisions.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace bot {

class decision_service {
 public:
  using clock = std::function<std::int64_t()>;  // Unix seconds

  // store must outlive the service; in_group answers Slack user-group membership (may be empty
  // when the policy names no groups).
  decision_service(storage::decision_store& store, decider_policy policy, group_membership in_group,
                   clock now, std::string prefix = "/playbook");

  // The reply to a parsed decide/vendor/decisions command sent by who.
  integrations::reply answer(const parsed_command& cmd, const integrations::chat_command& who);

  const decider_policy& policy() const { return policy_; }

 private:
  integrations::reply decide(const parsed_command& cmd, const integrations::chat_command& who);
  integrations::reply vendor(const parsed_command& cmd);
  integrations::reply decisions(const parsed_command& cmd);

  storage::decision_store& store_;
  decider_policy policy_;
  group_membership in_group_;
  clock now_;
  std::string prefix_;
};

}  // namespace bot
