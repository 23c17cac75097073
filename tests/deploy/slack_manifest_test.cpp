// deploy/slack-app-manifest.yaml: the Slack app the README asks for — one slash command posting
// to the route the bot serves, the one bot scope it needs, and nothing else switched on.

#include "tests/deploy/manifest_files.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using deploy_test::at;
using deploy_test::is_bool;
using deploy_test::text;

const std::string manifest = "deploy/slack-app-manifest.yaml";

YAML::Node load() {
  const auto documents = deploy_test::load_documents(manifest);
  return documents.size() == 1 ? documents[0] : YAML::Node(YAML::NodeType::Undefined);
}

TEST(slack_manifest, has_one_slash_command_playbook_posting_to_slack_commands) {
  const YAML::Node app = load();
  ASSERT_TRUE(app.IsDefined() && app.IsMap()) << "one YAML document";
  const YAML::Node commands = at(app, {"features", "slash_commands"});
  ASSERT_TRUE(commands.IsDefined() && commands.IsSequence());
  ASSERT_EQ(commands.size(), 1u);
  const YAML::Node command = commands[0];
  EXPECT_EQ(text(at(command, {"command"})), "/playbook");
  const std::string url = text(at(command, {"url"}));
  EXPECT_TRUE(url.starts_with("https://")) << url;
  EXPECT_TRUE(url.ends_with("/slack/commands")) << url;
  // The text arrives as typed; the bot parses vendor names and proposals itself.
  EXPECT_TRUE(is_bool(at(command, {"should_escape"}), false));
  EXPECT_FALSE(text(at(command, {"description"})).empty());
  // The route is the one the router serves.
  EXPECT_NE(deploy_test::read_text("bot/router.cpp").find("\"/slack/commands\""), std::string::npos);
}

TEST(slack_manifest, asks_for_the_commands_scope_and_nothing_more) {
  const YAML::Node app = load();
  ASSERT_TRUE(app.IsDefined() && app.IsMap());
  const YAML::Node bot = at(app, {"oauth_config", "scopes", "bot"});
  ASSERT_TRUE(bot.IsDefined() && bot.IsSequence());
  EXPECT_EQ(bot.as<std::vector<std::string>>(), std::vector<std::string>{"commands"});
  EXPECT_FALSE(at(app, {"oauth_config", "scopes", "user"}).IsDefined()) << "no user scopes";
  // usergroups:read only for PLAYBOOK_DECIDERS naming Slack groups: a comment says when to add it.
  EXPECT_NE(deploy_test::read_text(manifest).find("usergroups:read"), std::string::npos);
}

TEST(slack_manifest, turns_on_no_events_interactivity_or_socket_mode) {
  const YAML::Node app = load();
  ASSERT_TRUE(app.IsDefined() && app.IsMap());
  EXPECT_FALSE(at(app, {"settings", "event_subscriptions"}).IsDefined());
  // The bot serves no /slack/interactions: interactivity would post to a 404.
  const YAML::Node interactivity = at(app, {"settings", "interactivity"});
  EXPECT_TRUE(!interactivity.IsDefined() || is_bool(at(interactivity, {"is_enabled"}), false));
  EXPECT_TRUE(is_bool(at(app, {"settings", "socket_mode_enabled"}), false));
  EXPECT_FALSE(at(app, {"features", "shortcuts"}).IsDefined());
}

TEST(slack_manifest, names_and_describes_the_app_within_slacks_limits) {
  const YAML::Node app = load();
  ASSERT_TRUE(app.IsDefined() && app.IsMap());
  const std::string name = text(at(app, {"display_information", "name"}));
  const std::string description = text(at(app, {"display_information", "description"}));
  EXPECT_FALSE(name.empty());
  EXPECT_LE(name.size(), 35u);           // Slack's limit for an app name
  EXPECT_FALSE(description.empty());
  EXPECT_LE(description.size(), 140u);   // Slack's limit for the short description (bytes here)
  if (at(app, {"features", "bot_user"}).IsDefined()) {
    EXPECT_FALSE(text(at(app, {"features", "bot_user", "display_name"})).empty());
  }
}

}  // namespace
