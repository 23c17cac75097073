// Slack user-group membership for the deciders: unknown until fetched, kept when a refresh fails,
// refreshed on its own thread.

#include "bot/slack_groups.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

TEST(slack_groups, membership_is_unknown_until_fetched_and_kept_when_a_refresh_fails) {
  bool fail = false;
  bot::slack_groups groups({"S1"}, [&](const std::string& g) -> integrations::result<std::vector<std::string>> {
    if (fail) return integrations::error{"Slack says invalid_auth"};
    return std::vector<std::string>{g == "S1" ? "U1" : "U9"};
  });
  EXPECT_EQ(groups.member("S1", "U1"), std::nullopt);
  groups.refresh_now();
  EXPECT_EQ(groups.member("S1", "U1"), true);
  EXPECT_EQ(groups.member("S1", "U2"), false);
  EXPECT_EQ(groups.member("S2", "U1"), std::nullopt);
  fail = true;
  groups.refresh_now();
  EXPECT_EQ(groups.member("S1", "U1"), true);
}

TEST(slack_groups, the_refresh_thread_fetches_at_once_and_stops_with_the_object) {
  std::atomic<int> fetches{0};
  {
    bot::slack_groups groups({"S1", "S2"}, [&](const std::string&) -> integrations::result<std::vector<std::string>> {
      ++fetches;
      return std::vector<std::string>{"U1"};
    }, std::chrono::milliseconds(10));
    groups.start();
    for (int i = 0; i < 500 && !groups.member("S2", "U1"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(groups.member("S2", "U1"), true);
  }
  EXPECT_GE(fetches.load(), 2);
}
