#include "bot/slack_groups.hpp"

#include "bot/log.hpp"
#include "integrations/http/client.hpp"
#include "integrations/slack/usergroups.hpp"

namespace bot {

slack_groups::slack_groups(std::vector<std::string> groups, fetch_fn fetch,
                           std::chrono::milliseconds refresh)
    : groups_(std::move(groups)), fetch_(std::move(fetch)), refresh_(refresh) {}

slack_groups::~slack_groups() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void slack_groups::start() {
  if (groups_.empty() || thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void slack_groups::run() {
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    lock.unlock();
    refresh_now();
    lock.lock();
    wake_.wait_for(lock, refresh_, [this] { return stopping_; });
  }
}

void slack_groups::refresh_now() {
  for (const auto& group : groups_) {
    auto users = fetch_(group);
    if (!users) {
      log::warn("slack user group not refreshed",
                {{"group", group}, {"reason", users.error().message}});
      continue;
    }
    std::set<std::string> set(users->begin(), users->end());
    const auto count = set.size();
    {
      std::unique_lock lock(members_mutex_);
      members_[group] = std::move(set);
    }
    log::debug("slack user group refreshed", {{"group", group}, {"members", count}});
  }
}

std::optional<bool> slack_groups::member(std::string_view group, std::string_view user) const {
  std::shared_lock lock(members_mutex_);
  const auto it = members_.find(group);
  if (it == members_.end()) return std::nullopt;
  return it->second.count(std::string(user)) != 0;
}

slack_groups::fetch_fn slack_api_fetch(std::string api_base, std::string bot_token) {
  return [base = std::move(api_base), token = std::move(bot_token)](const std::string& group)
             -> integrations::result<std::vector<std::string>> {
    integrations::http::get_options o;
    o.headers.emplace_back("Authorization", "Bearer " + token);
    const auto res = integrations::http::get(integrations::slack::usergroup_users_url(base, group), o);
    if (!res) return res.error();
    if (res->status != 200)
      return integrations::error{"Slack answered HTTP " + std::to_string(res->status)};
    return integrations::slack::parse_usergroup_users(res->body);
  };
}

}  // namespace bot
