#pragma once
// Who may record decisions (PLAYBOOK_DECIDERS): platform user ids and, for Slack, user groups.
// Everyone may read; an empty list lets everyone record. Pure: group membership is asked of a
// function the caller provides (bot/slack_groups.hpp keeps it fresh from Slack's API).

#include "integrations/chat/command.hpp"

#include <boost/system/result.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

struct decider {
  enum class kind { user, slack_group } what = kind::user;
  std::optional<integrations::platform> on;  // nullopt: a user id on any platform
  std::string id;
};

struct deciders_error {
  std::string message;
};

[[noreturn]] inline void throw_exception_from_error(const deciders_error& e,
                                                    const boost::source_location&) {
  throw std::invalid_argument(e.message);
}

// Entries: "U012AB3CD" (a user id on any platform), "slack:U012AB3CD", "mattermost:<id>",
// "teams:<id>" (a user id on that platform), "slack-group:S0123ABC" (members of a Slack user
// group). An error names the entry that is not one of these.
boost::system::result<std::vector<decider>, deciders_error> parse_deciders(
    const std::vector<std::string>& entries);

// Whether a user is in a Slack user group: nullopt when not known (yet).
using group_membership = std::function<std::optional<bool>(std::string_view group, std::string_view user)>;

enum class permission { allowed, not_allowed, unknown };

class decider_policy {
 public:
  decider_policy() = default;
  explicit decider_policy(std::vector<decider> list) : list_(std::move(list)) {}

  // True when everyone may record (the list is empty).
  bool open() const { return list_.empty(); }

  // May user_id on platform p record? unknown when only a group whose members are not known yet
  // could allow it.
  permission check(integrations::platform p, std::string_view user_id,
                   const group_membership& in_group) const;

  // Who may record, for the "not allowed" answer: "slack:U012AB3CD, members of the Slack user
  // group S0123ABC".
  std::string describe() const;

  // The Slack user groups in the list, whose members must be known.
  std::vector<std::string> slack_groups() const;

 private:
  std::vector<decider> list_;
};

}  // namespace bot
