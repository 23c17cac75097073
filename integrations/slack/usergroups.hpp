#pragma once
// Slack's usergroups.users.list: who is in a user group (scope usergroups:read). The address to
// ask and the reading of the answer; bot/slack_groups.hpp does the asking.

#include "integrations/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace integrations::slack {

// api_base is e.g. "https://slack.com/api"; group an id such as "S0604QSJC".
std::string usergroup_users_url(std::string_view api_base, std::string_view group);

// The member ids from the method's JSON answer; an error carries Slack's own error code
// ("no_such_subteam", "missing_scope", "invalid_auth") or says what is malformed.
result<std::vector<std::string>> parse_usergroup_users(std::string_view json);

}  // namespace integrations::slack
