#pragma once
// Who is in the Slack user groups named in PLAYBOOK_DECIDERS: fetched from Slack's API when the
// service starts and every few minutes after, on a thread of its own, so a slash command never
// waits for Slack. Until a group's first fetch succeeds its membership is unknown (nobody is
// allowed through it); a failed refresh keeps the last membership and logs a warning.

#include "integrations/error.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace bot {

class slack_groups {
 public:
  // The members of one group, or why they could not be had.
  using fetch_fn = std::function<integrations::result<std::vector<std::string>>(const std::string& group)>;

  slack_groups(std::vector<std::string> groups, fetch_fn fetch,
               std::chrono::milliseconds refresh = std::chrono::minutes(5));
  ~slack_groups();
  slack_groups(const slack_groups&) = delete;
  slack_groups& operator=(const slack_groups&) = delete;

  // Starts the refresh thread (the first fetch happens at once).
  void start();

  // Fetches every group now, on the caller's thread.
  void refresh_now();

  // Is user in group? nullopt when the group's members are not known.
  std::optional<bool> member(std::string_view group, std::string_view user) const;

 private:
  void run();

  std::vector<std::string> groups_;
  fetch_fn fetch_;
  std::chrono::milliseconds refresh_;
  mutable std::shared_mutex members_mutex_;
  std::map<std::string, std::set<std::string>, std::less<>> members_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// A fetch_fn asking Slack's usergroups.users.list at api_base ("https://slack.com/api") with the
// bot token (scope usergroups:read).
slack_groups::fetch_fn slack_api_fetch(std::string api_base, std::string bot_token);

}  // namespace bot
