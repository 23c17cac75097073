// The deploy/ artefacts agree with the code: the example configuration loads, names every
// setting the bot knows, and the documented defaults are the ones the code uses.

#include "bot/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

// Every `key = value` line of the example, commented out or not, under its [table].
struct example_line {
  std::string table, key, value;
  bool active = false;          // not commented out
  bool described = false;       // a comment describes it (the run of key lines it is in)
  int line = 0;
};

std::vector<example_line> example_lines() {
  std::ifstream in(example_path);
  std::vector<example_line> out;
  std::string table, text;
  bool prose = false;  // a descriptive comment line since the last blank line or table
  for (int n = 1; std::getline(in, text); ++n) {
    if (text.empty() || text.starts_with("[")) {
      prose = false;
      if (!text.empty()) table = text.substr(1, text.find(']') - 1);
      continue;
    }
    const bool active = !text.starts_with("#");
    std::string body = active ? text : text.substr(1);
    body.erase(0, body.find_first_not_of(' '));
    const auto eq = body.find(" = ");
    const auto key = body.substr(0, eq);
    const bool is_key = eq != std::string::npos && !key.empty() &&
                        key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
    if (!is_key) {
      prose = prose || !active;
      continue;
    }
    if (!table.empty()) out.push_back({table, key, body.substr(eq + 3), active, prose, n});
  }
  return out;
}

// A TOML value as the settings table writes defaults: strings unquoted, arrays comma-joined.
std::string plain_value(std::string v) {
  std::string out;
  for (char c : v)
    if (c != '"' && c != '[' && c != ']' && c != ' ') out += c;
  return out;
}

TEST(deploy, example_config_names_no_setting_the_code_does_not_know) {
  const auto lines = example_lines();
  ASSERT_GT(lines.size(), 40u);
  for (const auto& l : lines) {
    bool known = false;
    for (const auto& info : bot::known_settings()) {
      if (info.table != l.table) continue;
      if (info.key == l.key || (info.secret && std::string(info.key) + "_file" == l.key)) known = true;
    }
    EXPECT_TRUE(known) << "line " << l.line << ": [" << l.table << "] " << l.key << " is not a setting";
    EXPECT_TRUE(l.described) << "line " << l.line << ": [" << l.table << "] " << l.key
                             << " has no comment saying what it does";
  }
}

TEST(deploy, example_config_has_a_line_for_every_setting_showing_its_default) {
  const auto lines = example_lines();
  for (const auto& info : bot::known_settings()) {
    const example_line* found = nullptr;
    for (const auto& l : lines)
      if (l.table == info.table && (l.key == info.key || (info.secret && l.key == std::string(info.key) + "_file")))
        found = &l;
    ASSERT_NE(found, nullptr) << info.env << " has no line in the example";
    if (found->active) {
      EXPECT_EQ(plain_value(found->value), plain_value(std::string(info.default_text)))
          << info.env << " (line " << found->line << ")";
    } else {
      // Commented out: the setting is unset by default, and the line shows an example value.
      EXPECT_TRUE(info.default_text.empty()) << info.env;
    }
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
