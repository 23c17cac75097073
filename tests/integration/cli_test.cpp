// The playbook-bot executable as an operator runs it: `ask`, `settings`, and `serve` with its
// start-up log, per-request log lines, configuration errors and SIGTERM.

#include "tests/integration/bot_process.hpp"
#include "tests/integration/spawn.hpp"
#include "tests/integration/test_client.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
constexpr std::string_view secret = "cli-test-signing-secret-0123456789";
constexpr std::string_view mm_token = "cli-test-mattermost-token";

using test::child;
using test::temp_dir;

std::map<std::string, std::string> serve_env(const temp_dir& dir) {
  return {{"PLAYBOOK_LISTEN", "127.0.0.1:0"},
          {"PLAYBOOK_DB", (dir.path() / "var" / "playbook.db").string()},
          {"SLACK_SIGNING_SECRET", std::string(secret)},
          {"MATTERMOST_COMMAND_TOKENS", std::string(mm_token)},
          {"PLAYBOOK_THREADS", "2"}};
}

std::uint16_t port_from(const std::string& listening_line) {
  const auto json = boost::json::parse(listening_line).as_object();
  return static_cast<std::uint16_t>(json.at("port").as_int64());
}

TEST(cli, ask_prints_the_answer_as_markdown) {
  child p({"ask", "criteria"}, {});
  ASSERT_EQ(p.wait_exit(), 0);
  EXPECT_NE(p.out().find("# How VPs Evaluate AI Training Providers"), std::string::npos);
  EXPECT_NE(p.out().find("**Practitioner instructors.**"), std::string::npos);
}

TEST(cli, ask_with_several_words_and_aliases) {
  child p({"ask", "red", "flags"}, {});
  ASSERT_EQ(p.wait_exit(), 0);
  EXPECT_NE(p.out().find("Common Red Flags Leaders Still Miss"), std::string::npos);
}

TEST(cli, settings_lists_every_setting) {
  child p({"settings"}, {});
  ASSERT_EQ(p.wait_exit(), 0);
  for (const char* name : {"PLAYBOOK_LISTEN", "PLAYBOOK_DB", "PLAYBOOK_FILE", "PLAYBOOK_BODY_LIMIT",
                           "SLACK_SIGNING_SECRET", "MATTERMOST_COMMAND_TOKENS"})
    EXPECT_NE(p.out().find(name), std::string::npos) << name;
}

TEST(cli, serve_logs_integrations_and_one_line_per_request_then_exits_0_on_sigterm) {
  temp_dir dir;
  child p({"serve"}, serve_env(dir));
  const auto integrations = p.wait_for_stderr_line("\"msg\":\"integrations\"");
  EXPECT_NE(integrations.find("\"slack\":\"on\""), std::string::npos);
  EXPECT_NE(integrations.find("\"mattermost\":\"on\""), std::string::npos);
  const auto listening = p.wait_for_stderr_line("\"msg\":\"listening\"");
  ASSERT_FALSE(listening.empty()) << p.err();
  const auto port = port_from(listening);
  EXPECT_TRUE(fs::exists(dir.path() / "var" / "playbook.db"));

  {
    test::connection c(port);
    auto res = c.round_trip(test::slack_post(secret, test::unix_now(), test::command_body("criteria")));
    EXPECT_EQ(res.result_int(), 200);
    const std::string id(res["X-Request-Id"]);
    const auto line = p.wait_for_stderr_line("\"request_id\":\"" + id + "\",\"method\"");
    ASSERT_FALSE(line.empty());
    const auto log = boost::json::parse(line).as_object();
    EXPECT_EQ(log.at("method").as_string(), "POST");
    EXPECT_EQ(log.at("path").as_string(), "/slack/commands");
    EXPECT_EQ(log.at("status").as_int64(), 200);
    EXPECT_TRUE(log.at("duration_us").is_int64());

    // A Mattermost GET carries its token in the query string: it must not reach the log.
    test::request get{test::http::verb::get,
                      "/mattermost/commands?token=" + std::string(mm_token) +
                          "&command=%2Fplaybook&user_id=u1&text=help",
                      11};
    get.set(test::http::field::host, "x");
    EXPECT_EQ(c.round_trip(get).result_int(), 200);
    const auto mm_line = p.wait_for_stderr_line("\"path\":\"/mattermost/commands\"");
    EXPECT_FALSE(mm_line.empty());
  }

  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(), 0);
  EXPECT_NE(p.err().find("\"msg\":\"stopped\""), std::string::npos);
  EXPECT_EQ(p.err().find(secret), std::string::npos) << "a secret reached the log";
  EXPECT_EQ(p.err().find(mm_token), std::string::npos) << "a token reached the log";
}

TEST(cli, sigterm_while_a_request_is_in_flight_answers_it_then_exits_0) {
  temp_dir dir;
  child p({"serve"}, serve_env(dir));
  const auto listening = p.wait_for_stderr_line("\"msg\":\"listening\"");
  ASSERT_FALSE(listening.empty()) << p.err();
  test::connection c(port_from(listening));

  const std::string body = test::command_body("questions");
  auto req = test::slack_post(secret, test::unix_now(), body);
  c.write(test::head_of(req) + body.substr(0, 10));
  // The headers are in; give the server a moment to read them, then ask it to stop.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  p.signal(SIGTERM);
  ASSERT_FALSE(p.wait_for_stderr_line("\"msg\":\"shutting down\"").empty());
  c.write(body.substr(10));
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_FALSE(res->keep_alive());
  EXPECT_EQ(p.wait_exit(), 0);
}

TEST(cli, disabled_platform_is_logged_and_its_route_says_so) {
  temp_dir dir;
  auto env = serve_env(dir);
  env.erase("SLACK_SIGNING_SECRET");
  child p({"serve"}, env);
  const auto integrations = p.wait_for_stderr_line("\"msg\":\"integrations\"");
  EXPECT_NE(integrations.find("\"slack\":\"off"), std::string::npos);
  const auto listening = p.wait_for_stderr_line("\"msg\":\"listening\"");
  ASSERT_FALSE(listening.empty()) << p.err();
  test::connection c(port_from(listening));
  auto res = c.round_trip(test::slack_post(secret, test::unix_now(), test::command_body("criteria")));
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_NE(res.body().find("SLACK_SIGNING_SECRET"), std::string::npos);
  p.signal(SIGINT);
  EXPECT_EQ(p.wait_exit(), 0);
}

TEST(cli, unknown_config_key_is_a_startup_error_naming_it) {
  temp_dir dir;
  const auto config = dir.path() / "bot.toml";
  std::ofstream(config) << "[playbook]\nlisten = \"127.0.0.1:0\"\nbody_limt = 10\n";
  child p({"serve", "--config", config.string()}, serve_env(dir));
  EXPECT_EQ(p.wait_exit(), 2);
  EXPECT_NE(p.err().find("body_limt"), std::string::npos) << p.err();
  EXPECT_EQ(p.err().find("listening"), std::string::npos);
}

TEST(cli, secrets_from_files_and_config_file_settings_work) {
  temp_dir dir;
  const auto secret_file = dir.path() / "slack-secret";
  std::ofstream(secret_file) << secret << "\n";
  const auto config = dir.path() / "bot.toml";
  std::ofstream(config) << "[playbook]\nlisten = \"127.0.0.1:0\"\ndb = \""
                        << (dir.path() / "db" / "bot.db").string() << "\"\n";
  child p({"serve", "--config", config.string()},
          {{"SLACK_SIGNING_SECRET_FILE", secret_file.string()}});
  const auto listening = p.wait_for_stderr_line("\"msg\":\"listening\"");
  ASSERT_FALSE(listening.empty()) << p.err();
  EXPECT_TRUE(fs::exists(dir.path() / "db" / "bot.db"));
  test::connection c(port_from(listening));
  auto res = c.round_trip(test::slack_post(secret, test::unix_now(), test::command_body("help")));
  EXPECT_EQ(res.result_int(), 200);
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(), 0);
  EXPECT_EQ(p.err().find(secret), std::string::npos);
}

TEST(cli, invalid_playbook_file_is_a_startup_error_naming_the_file) {
  temp_dir dir;
  const auto book = dir.path() / "playbook.json";
  std::ofstream(book) << R"({"format": 1, "title": "x"})";
  auto env = serve_env(dir);
  env["PLAYBOOK_FILE"] = book.string();
  child p({"serve"}, env);
  EXPECT_EQ(p.wait_exit(), 1);
  EXPECT_NE(p.err().find(book.string()), std::string::npos) << p.err();
}

TEST(cli, port_in_use_is_a_startup_error) {
  temp_dir dir;
  child first({"serve"}, serve_env(dir));
  const auto listening = first.wait_for_stderr_line("\"msg\":\"listening\"");
  ASSERT_FALSE(listening.empty()) << first.err();
  temp_dir other;  // its own database: the same one would be refused before the port is tried
  auto env = serve_env(other);
  env["PLAYBOOK_LISTEN"] = "127.0.0.1:" + std::to_string(port_from(listening));
  child second({"serve"}, env);
  EXPECT_EQ(second.wait_exit(), 1);
  EXPECT_NE(second.err().find("cannot listen"), std::string::npos) << second.err();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait_exit(), 0);
}

TEST(cli, unknown_command_is_a_usage_error) {
  child p({"frobnicate"}, {});
  EXPECT_EQ(p.wait_exit(), 2);
  EXPECT_NE(p.err().find("unknown command"), std::string::npos);
}

}  // namespace
