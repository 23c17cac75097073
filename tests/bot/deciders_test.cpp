// PLAYBOOK_DECIDERS: user ids on any or one platform, Slack user groups, and who may record.

#include "bot/deciders.hpp"

#include <gtest/gtest.h>

using bot::permission;
using integrations::platform;

namespace {

bot::decider_policy policy(std::vector<std::string> entries) {
  return bot::decider_policy(bot::parse_deciders(entries).value());
}

}  // namespace

TEST(deciders, an_empty_list_lets_everyone_record) {
  const auto p = policy({});
  EXPECT_TRUE(p.open());
  EXPECT_EQ(p.check(platform::slack, "U9", {}), permission::allowed);
  EXPECT_EQ(p.describe(), "everyone");
}

TEST(deciders, ids_are_matched_on_their_platform_or_any) {
  const auto p = policy({"U1", "slack:U2", "mattermost:abc", "teams:29:1xY-z"});
  EXPECT_EQ(p.check(platform::slack, "U1", {}), permission::allowed);
  EXPECT_EQ(p.check(platform::mattermost, "U1", {}), permission::allowed);
  EXPECT_EQ(p.check(platform::slack, "U2", {}), permission::allowed);
  EXPECT_EQ(p.check(platform::mattermost, "U2", {}), permission::not_allowed);
  EXPECT_EQ(p.check(platform::mattermost, "abc", {}), permission::allowed);
  EXPECT_EQ(p.check(platform::slack, "abc", {}), permission::not_allowed);
  EXPECT_EQ(p.check(platform::teams, "29:1xY-z", {}), permission::allowed);
  EXPECT_EQ(p.check(platform::slack, "u1", {}), permission::not_allowed);  // ids are exact
  EXPECT_EQ(p.describe(), "U1, slack:U2, mattermost:abc, teams:29:1xY-z");
}

TEST(deciders, slack_group_members_may_record_and_unknown_membership_is_not_a_yes) {
  const auto p = policy({"slack-group:S1"});
  EXPECT_EQ(p.slack_groups(), std::vector<std::string>{"S1"});
  const bot::group_membership known = [](std::string_view g, std::string_view u) -> std::optional<bool> {
    return g == "S1" && u == "U5";
  };
  EXPECT_EQ(p.check(platform::slack, "U5", known), permission::allowed);
  EXPECT_EQ(p.check(platform::slack, "U6", known), permission::not_allowed);
  EXPECT_EQ(p.check(platform::mattermost, "U5", known), permission::not_allowed);
  const bot::group_membership not_loaded = [](std::string_view, std::string_view) -> std::optional<bool> {
    return std::nullopt;
  };
  EXPECT_EQ(p.check(platform::slack, "U5", not_loaded), permission::unknown);
  EXPECT_EQ(p.check(platform::slack, "U5", {}), permission::unknown);
  EXPECT_EQ(p.describe(), "members of the Slack user group S1");
}

TEST(deciders, malformed_entries_are_errors_naming_them) {
  for (const char* bad : {"slack:", "U1 U2", "<@U1>", "slack-group:", "@alice"}) {
    const auto r = bot::parse_deciders({bad});
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
  }
}
