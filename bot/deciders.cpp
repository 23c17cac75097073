#include "bot/deciders.hpp"

#include <algorithm>
#include <cctype>

namespace bot {

namespace {

namespace im = integrations;

bool id_chars(std::string_view s) {
  // Slack ids are upper-case letters and digits; Mattermost ids lower-case; Teams ids look like
  // "29:1AbC-dEf_..." (letters, digits, ':', '-', '_', '.').
  return !s.empty() && s.size() <= 200 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '-' || c == '_' ||
                  c == '.';
         });
}

}  // namespace

boost::system::result<std::vector<decider>, deciders_error> parse_deciders(
    const std::vector<std::string>& entries) {
  std::vector<decider> out;
  for (const auto& entry : entries) {
    decider d;
    std::string_view id = entry;
    const auto colon = id.find(':');
    const std::string_view head = colon == std::string_view::npos ? "" : id.substr(0, colon);
    if (head == "slack-group") {
      d.what = decider::kind::slack_group;
      d.on = im::platform::slack;
      id.remove_prefix(colon + 1);
    } else if (head == "slack" || head == "mattermost" || head == "teams") {
      d.on = head == "slack" ? im::platform::slack
             : head == "mattermost" ? im::platform::mattermost
                                    : im::platform::teams;
      id.remove_prefix(colon + 1);
    }
    if (!id_chars(id))
      return deciders_error{"'" + entry.substr(0, 80) +
             "' is not a user id (U012AB3CD, slack:U012AB3CD, mattermost:<id>, teams:<id>) or a "
             "Slack user group (slack-group:S0123ABC)"};
    d.id = std::string(id);
    out.push_back(std::move(d));
  }
  return out;
}

permission decider_policy::check(im::platform p, std::string_view user_id,
                                 const group_membership& in_group) const {
  if (list_.empty()) return permission::allowed;
  bool unknown = false;
  for (const auto& d : list_) {
    if (d.on && *d.on != p) continue;
    if (d.what == decider::kind::user) {
      if (d.id == user_id) return permission::allowed;
      continue;
    }
    const auto member = in_group ? in_group(d.id, user_id) : std::nullopt;
    if (member && *member) return permission::allowed;
    if (!member) unknown = true;
  }
  return unknown ? permission::unknown : permission::not_allowed;
}

std::string decider_policy::describe() const {
  std::string out;
  for (const auto& d : list_) {
    if (!out.empty()) out += ", ";
    if (d.what == decider::kind::slack_group)
      out += "members of the Slack user group " + d.id;
    else
      out += (d.on ? std::string(im::platform_name(*d.on)) + ":" : std::string()) + d.id;
  }
  return out.empty() ? "everyone" : out;
}

std::vector<std::string> decider_policy::slack_groups() const {
  std::vector<std::string> out;
  for (const auto& d : list_)
    if (d.what == decider::kind::slack_group) out.push_back(d.id);
  return out;
}

}  // namespace bot
