// The deploy/ artefacts agree with the code: the example configuration loads, names every
// setting the bot knows, and the documented defaults are the ones the code uses.

#include "bot/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

const std::string example_path = std::string(PLAYBOOK_SOURCE_DIR) + "/deploy/playbook-bot.example.toml";

std::optional<std::string> no_env(std::string_view) { return std::nullopt; }

TEST(deploy, example_config_loads_without_error) {
  auto s = bot::load_settings(example_path, no_env);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->listen.port, 8080);
}

TEST(deploy, example_config_mentions_every_setting) {
  std::ifstream in(example_path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  for (const auto& info : bot::known_settings()) {
    EXPECT_NE(content.find("[" + std::string(info.table) + "]"), std::string::npos) << info.env;
    EXPECT_NE(content.find(std::string(info.key)), std::string::npos) << info.env;
  }
}

TEST(deploy, documented_defaults_are_the_struct_defaults) {
  auto loaded = bot::load_settings(std::nullopt, no_env);
  ASSERT_TRUE(loaded);
  const bot::settings plain;
  EXPECT_EQ(loaded->listen.host, plain.listen.host);
  EXPECT_EQ(loaded->listen.port, plain.listen.port);
  EXPECT_EQ(loaded->db_path, plain.db_path);
  EXPECT_EQ(loaded->threads, plain.threads);
  EXPECT_EQ(loaded->max_connections, plain.max_connections);
  EXPECT_EQ(loaded->body_limit, plain.body_limit);
  EXPECT_EQ(loaded->header_limit, plain.header_limit);
  EXPECT_EQ(loaded->header_timeout, plain.header_timeout);
  EXPECT_EQ(loaded->body_timeout, plain.body_timeout);
  EXPECT_EQ(loaded->idle_timeout, plain.idle_timeout);
  EXPECT_EQ(loaded->write_timeout, plain.write_timeout);
  EXPECT_EQ(loaded->shutdown_timeout, plain.shutdown_timeout);
  EXPECT_EQ(loaded->log_level, plain.log_level);
  EXPECT_EQ(loaded->max_document_bytes, plain.max_document_bytes);
  EXPECT_EQ(loaded->max_document_pages, plain.max_document_pages);
}

TEST(deploy, scripts_exist_and_are_executable) {
  namespace fs = std::filesystem;
  for (const char* script : {"deploy/setup.sh", "deploy/run.sh", "deploy/test.sh", ".ci/run"}) {
    const auto path = fs::path(PLAYBOOK_SOURCE_DIR) / script;
    ASSERT_TRUE(fs::exists(path)) << script;
    EXPECT_NE(fs::status(path).permissions() & fs::perms::owner_exec, fs::perms::none) << script;
  }
}

}  // namespace
