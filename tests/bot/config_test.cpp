// Settings: defaults, the TOML file, the environment over it, secrets from NAME_FILE, and strict
// errors that name the setting and never show a secret.

#include "bot/config.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view secret = "xoxs-SUPER-SECRET-7f3a9c";

// An environment made of a map; unset and empty names are nullopt, as for the process.
bot::env_lookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

const bot::env_lookup no_env = env_of({});

// A file under the temp directory, removed when the test ends.
class temp_file {
 public:
  explicit temp_file(std::string_view contents) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("unit_config_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(counter++));
    std::ofstream out(path_, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  ~temp_file() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

bot::settings load(std::string_view toml, const bot::env_lookup& env = no_env) {
  auto r = bot::load_settings_from_text(toml, "test.toml", env);
  if (!r) ADD_FAILURE() << r.error().message;
  return r ? *r : bot::settings{};
}

// The error message of loading toml with env; "" when it loaded.
std::string error_of(std::string_view toml, const bot::env_lookup& env = no_env) {
  const auto r = bot::load_settings_from_text(toml, "test.toml", env);
  return r ? std::string() : r.error().message;
}

::testing::AssertionResult mentions(const std::string& message, std::string_view what) {
  if (message.find(what) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << message << "\" does not mention \"" << what << "\"";
}

}  // namespace

TEST(config, defaults_without_file_or_environment) {
  const auto s = load("");
  EXPECT_EQ(s.listen.host, "127.0.0.1");
  EXPECT_EQ(s.listen.port, 8080);
  EXPECT_EQ(s.db_path, "./var/playbook.db");
  EXPECT_EQ(s.playbook_file, "");
  EXPECT_EQ(s.threads, 0u);
  EXPECT_EQ(s.max_connections, 1024u);
  EXPECT_EQ(s.body_limit, 1u << 20);
  EXPECT_EQ(s.header_limit, 8u << 10);
  EXPECT_EQ(s.header_timeout, 10'000ms);
  EXPECT_EQ(s.body_timeout, 30'000ms);
  EXPECT_EQ(s.idle_timeout, 60'000ms);
  EXPECT_EQ(s.write_timeout, 10'000ms);
  EXPECT_EQ(s.shutdown_timeout, 10'000ms);
  EXPECT_EQ(s.log_level, "info");
  EXPECT_EQ(s.slack_signing_secret, "");
  EXPECT_TRUE(s.mattermost_command_tokens.empty());
  EXPECT_FALSE(s.slack_enabled());
  EXPECT_FALSE(s.mattermost_enabled());
}

TEST(config, load_settings_without_a_path_gives_the_defaults) {
  const auto r = bot::load_settings(std::nullopt, no_env);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->listen.port, 8080);
  EXPECT_EQ(r->db_path, "./var/playbook.db");
}

TEST(config, documented_defaults_are_the_real_defaults) {
  // Setting each variable to its documented default changes nothing.
  std::map<std::string, std::string> vars;
  for (const auto& s : bot::known_settings())
    if (!s.default_text.empty()) vars[std::string(s.env)] = std::string(s.default_text);
  const auto documented = load("", env_of(vars));
  const auto builtin = load("");
  EXPECT_EQ(documented.listen.host, builtin.listen.host);
  EXPECT_EQ(documented.listen.port, builtin.listen.port);
  EXPECT_EQ(documented.db_path, builtin.db_path);
  EXPECT_EQ(documented.threads, builtin.threads);
  EXPECT_EQ(documented.max_connections, builtin.max_connections);
  EXPECT_EQ(documented.body_limit, builtin.body_limit);
  EXPECT_EQ(documented.header_limit, builtin.header_limit);
  EXPECT_EQ(documented.header_timeout, builtin.header_timeout);
  EXPECT_EQ(documented.body_timeout, builtin.body_timeout);
  EXPECT_EQ(documented.idle_timeout, builtin.idle_timeout);
  EXPECT_EQ(documented.write_timeout, builtin.write_timeout);
  EXPECT_EQ(documented.shutdown_timeout, builtin.shutdown_timeout);
  EXPECT_EQ(documented.log_level, builtin.log_level);
}

TEST(config, toml_values_are_applied) {
  const auto s = load(R"(
[playbook]
listen = "0.0.0.0:9090"
db = "/data/bot.db"
file = "/etc/playbook-bot/playbook.json"
threads = 4
max_connections = 10
body_limit = 2048
header_limit = 4096
header_timeout_ms = 1000
body_timeout_ms = 2000
idle_timeout_ms = 3000
write_timeout_ms = 4000
shutdown_timeout_ms = 5000
log_level = "debug"

[slack]
signing_secret = "abc123"

[mattermost]
command_tokens = ["tok1", "tok2"]
)");
  EXPECT_EQ(s.listen.host, "0.0.0.0");
  EXPECT_EQ(s.listen.port, 9090);
  EXPECT_EQ(s.db_path, "/data/bot.db");
  EXPECT_EQ(s.playbook_file, "/etc/playbook-bot/playbook.json");
  EXPECT_EQ(s.threads, 4u);
  EXPECT_EQ(s.max_connections, 10u);
  EXPECT_EQ(s.body_limit, 2048u);
  EXPECT_EQ(s.header_limit, 4096u);
  EXPECT_EQ(s.header_timeout, 1000ms);
  EXPECT_EQ(s.body_timeout, 2000ms);
  EXPECT_EQ(s.idle_timeout, 3000ms);
  EXPECT_EQ(s.write_timeout, 4000ms);
  EXPECT_EQ(s.shutdown_timeout, 5000ms);
  EXPECT_EQ(s.log_level, "debug");
  EXPECT_EQ(s.slack_signing_secret, "abc123");
  EXPECT_EQ(s.mattermost_command_tokens, (std::vector<std::string>{"tok1", "tok2"}));
  EXPECT_TRUE(s.slack_enabled());
  EXPECT_TRUE(s.mattermost_enabled());
}

TEST(config, mattermost_tokens_may_be_a_comma_separated_string) {
  const auto s = load("[mattermost]\ncommand_tokens = \" tok1 ,tok2,, tok3 \"\n");
  EXPECT_EQ(s.mattermost_command_tokens, (std::vector<std::string>{"tok1", "tok2", "tok3"}));
}

TEST(config, mattermost_token_array_items_may_not_contain_commas) {
  const auto e = error_of("[mattermost]\ncommand_tokens = [\"a,b\"]\n");
  EXPECT_TRUE(mentions(e, "[mattermost] command_tokens"));
  EXPECT_TRUE(mentions(e, "','"));
}

TEST(config, mattermost_token_array_must_hold_strings) {
  const auto e = error_of("[mattermost]\ncommand_tokens = [1, 2]\n");
  EXPECT_TRUE(mentions(e, "[mattermost] command_tokens"));
}

TEST(config, empty_token_list_leaves_mattermost_disabled) {
  EXPECT_FALSE(load("[mattermost]\ncommand_tokens = []\n").mattermost_enabled());
  EXPECT_FALSE(load("[mattermost]\ncommand_tokens = \" , \"\n").mattermost_enabled());
}

TEST(config, numbers_may_be_given_as_strings_in_toml) {
  EXPECT_EQ(load("[playbook]\nbody_limit = \"4096\"\n").body_limit, 4096u);
}

TEST(config, environment_overrides_the_file) {
  const auto s = load("[playbook]\nbody_limit = 2048\ndb = \"/from/file.db\"\n",
                      env_of({{"PLAYBOOK_BODY_LIMIT", "4096"}, {"PLAYBOOK_LISTEN", "[::1]:9000"}}));
  EXPECT_EQ(s.body_limit, 4096u);
  EXPECT_EQ(s.db_path, "/from/file.db");
  EXPECT_EQ(s.listen.host, "::1");
  EXPECT_EQ(s.listen.port, 9000);
}

TEST(config, every_setting_can_come_from_the_environment) {
  const auto s = load("", env_of({{"PLAYBOOK_LISTEN", "127.0.0.1:1"},
                                  {"PLAYBOOK_DB", "/x.db"},
                                  {"PLAYBOOK_FILE", "/p.json"},
                                  {"PLAYBOOK_THREADS", "2"},
                                  {"PLAYBOOK_MAX_CONNECTIONS", "3"},
                                  {"PLAYBOOK_BODY_LIMIT", "1024"},
                                  {"PLAYBOOK_HEADER_LIMIT", "1024"},
                                  {"PLAYBOOK_HEADER_TIMEOUT_MS", "5"},
                                  {"PLAYBOOK_BODY_TIMEOUT_MS", "6"},
                                  {"PLAYBOOK_IDLE_TIMEOUT_MS", "7"},
                                  {"PLAYBOOK_WRITE_TIMEOUT_MS", "8"},
                                  {"PLAYBOOK_SHUTDOWN_TIMEOUT_MS", "9"},
                                  {"PLAYBOOK_LOG_LEVEL", "error"},
                                  {"SLACK_SIGNING_SECRET", "s"},
                                  {"MATTERMOST_COMMAND_TOKENS", "a,b"}}));
  EXPECT_EQ(s.listen.port, 1);
  EXPECT_EQ(s.db_path, "/x.db");
  EXPECT_EQ(s.playbook_file, "/p.json");
  EXPECT_EQ(s.threads, 2u);
  EXPECT_EQ(s.max_connections, 3u);
  EXPECT_EQ(s.body_limit, 1024u);
  EXPECT_EQ(s.header_limit, 1024u);
  EXPECT_EQ(s.header_timeout, 5ms);
  EXPECT_EQ(s.body_timeout, 6ms);
  EXPECT_EQ(s.idle_timeout, 7ms);
  EXPECT_EQ(s.write_timeout, 8ms);
  EXPECT_EQ(s.shutdown_timeout, 9ms);
  EXPECT_EQ(s.log_level, "error");
  EXPECT_EQ(s.slack_signing_secret, "s");
  EXPECT_EQ(s.mattermost_command_tokens, (std::vector<std::string>{"a", "b"}));
}

TEST(config, an_empty_environment_variable_counts_as_unset) {
  const auto s = load("[slack]\nsigning_secret = \"from-file\"\n",
                      env_of({{"SLACK_SIGNING_SECRET", ""}}));
  EXPECT_EQ(s.slack_signing_secret, "from-file");
}

TEST(config, secret_from_a_name_file_variable_has_its_trailing_newline_trimmed) {
  const temp_file file(std::string(secret) + "\n");
  const auto s = load("", env_of({{"SLACK_SIGNING_SECRET_FILE", file.path()}}));
  EXPECT_EQ(s.slack_signing_secret, secret);

  const temp_file crlf("tokA,tokB\r\n\r\n");
  const auto m = load("", env_of({{"MATTERMOST_COMMAND_TOKENS_FILE", crlf.path()}}));
  EXPECT_EQ(m.mattermost_command_tokens, (std::vector<std::string>{"tokA", "tokB"}));
}

TEST(config, secret_file_keeps_inner_and_leading_whitespace) {
  const temp_file file(" a b\n");
  EXPECT_EQ(load("", env_of({{"SLACK_SIGNING_SECRET_FILE", file.path()}})).slack_signing_secret,
            " a b");
}

TEST(config, name_file_overrides_the_toml_file) {
  const temp_file file("from-secret-file\n");
  const auto s = load("[slack]\nsigning_secret = \"from-toml\"\n",
                      env_of({{"SLACK_SIGNING_SECRET_FILE", file.path()}}));
  EXPECT_EQ(s.slack_signing_secret, "from-secret-file");
}

TEST(config, both_name_and_name_file_is_an_error_without_the_secret) {
  const temp_file file{std::string(secret)};
  const auto e = error_of("", env_of({{"SLACK_SIGNING_SECRET", std::string(secret)},
                                      {"SLACK_SIGNING_SECRET_FILE", file.path()}}));
  EXPECT_TRUE(mentions(e, "SLACK_SIGNING_SECRET"));
  EXPECT_TRUE(mentions(e, "SLACK_SIGNING_SECRET_FILE"));
  EXPECT_EQ(e.find(secret), std::string::npos) << e;
}

TEST(config, name_file_is_only_read_for_secrets) {
  // PLAYBOOK_DB is not a secret: PLAYBOOK_DB_FILE means nothing.
  const auto s = load("", env_of({{"PLAYBOOK_DB_FILE", "/nonexistent/file"}}));
  EXPECT_EQ(s.db_path, "./var/playbook.db");
}

TEST(config, secret_file_key_in_toml_is_read) {
  const temp_file file(std::string(secret) + "\n");
  const auto s = load("[slack]\nsigning_secret_file = \"" + file.path() + "\"\n");
  EXPECT_EQ(s.slack_signing_secret, secret);

  const temp_file tokens("t1,t2\n");
  const auto m = load("[mattermost]\ncommand_tokens_file = \"" + tokens.path() + "\"\n");
  EXPECT_EQ(m.mattermost_command_tokens, (std::vector<std::string>{"t1", "t2"}));
}

TEST(config, secret_and_secret_file_both_in_toml_is_an_error) {
  const temp_file file(std::string(secret) + "\n");
  const auto e = error_of("[slack]\nsigning_secret = \"" + std::string(secret) +
                          "\"\nsigning_secret_file = \"" + file.path() + "\"\n");
  EXPECT_TRUE(mentions(e, "signing_secret"));
  EXPECT_TRUE(mentions(e, "not both"));
  EXPECT_EQ(e.find(secret), std::string::npos) << e;
}

TEST(config, unreadable_secret_file_is_an_error_naming_the_setting) {
  const auto missing = (fs::temp_directory_path() / "unit_config_no_such_secret").string();
  const auto e = error_of("", env_of({{"SLACK_SIGNING_SECRET_FILE", missing}}));
  EXPECT_TRUE(mentions(e, "SLACK_SIGNING_SECRET_FILE"));
  EXPECT_TRUE(mentions(e, missing));

  const auto t = error_of("[slack]\nsigning_secret_file = \"" + missing + "\"\n");
  EXPECT_TRUE(mentions(t, "[slack] signing_secret_file"));
}

TEST(config, empty_secret_file_is_an_error_naming_the_setting) {
  const temp_file file("\n");
  const auto e = error_of("", env_of({{"MATTERMOST_COMMAND_TOKENS_FILE", file.path()}}));
  EXPECT_TRUE(mentions(e, "MATTERMOST_COMMAND_TOKENS_FILE"));
  EXPECT_TRUE(mentions(e, "empty"));
}

TEST(config, file_key_for_a_setting_that_is_not_secret_is_unknown) {
  const auto e = error_of("[playbook]\ndb_file = \"/x\"\n");
  EXPECT_TRUE(mentions(e, "[playbook] db_file"));
  EXPECT_TRUE(mentions(e, "unknown key"));
}

TEST(config, unknown_key_in_a_table_is_an_error_naming_it) {
  const auto e = error_of("[playbook]\ncolour = \"red\"\n");
  EXPECT_TRUE(mentions(e, "test.toml"));
  EXPECT_TRUE(mentions(e, "[playbook] colour"));
  EXPECT_TRUE(mentions(e, "unknown key"));
}

TEST(config, key_in_the_wrong_table_is_unknown) {
  const auto e = error_of("[slack]\nlisten = \"127.0.0.1:1\"\n");
  EXPECT_TRUE(mentions(e, "[slack] listen"));
}

TEST(config, unknown_table_is_an_error_naming_its_key) {
  const auto e = error_of("[teams]\nhmac_secret = \"x\"\n");
  EXPECT_TRUE(mentions(e, "[teams] hmac_secret"));
}

TEST(config, unknown_top_level_key_is_an_error_naming_it) {
  const auto e = error_of("listen = \"127.0.0.1:1\"\n");
  EXPECT_TRUE(mentions(e, "test.toml"));
  EXPECT_TRUE(mentions(e, "'listen'"));
  EXPECT_TRUE(mentions(e, "unknown key"));
}

TEST(config, wrong_type_is_an_error_naming_the_setting) {
  for (std::string_view toml : {"[playbook]\nbody_limit = 1.5\n", "[playbook]\nthreads = \"many\"\n",
                                "[playbook]\nthreads = true\n", "[playbook]\nlisten = 8080\n",
                                "[playbook]\nlog_level = [\"info\"]\n",
                                "[playbook]\nbody_limit = { a = 1 }\n",
                                "[playbook]\ndb = 1979-05-27\n"}) {
    const auto e = error_of(toml);
    EXPECT_FALSE(e.empty()) << toml;
    EXPECT_TRUE(mentions(e, "[playbook]")) << toml;
  }
}

TEST(config, booleans_are_refused_for_text_settings) {
  const auto e = error_of("[playbook]\ndb = true\n");
  EXPECT_TRUE(mentions(e, "[playbook] db")) << e;
}

TEST(config, an_array_is_only_taken_for_a_list_setting) {
  for (std::string_view toml : {"[playbook]\ndb = [\"a\", \"b\"]\n",
                                "[playbook]\nlog_level = [\"info\"]\n",
                                "[slack]\nsigning_secret = [\"a\", \"b\"]\n",
                                "[slack]\nsigning_secret_file = [\"/a\"]\n",
                                "[mattermost]\ncommand_tokens_file = [\"/a\", \"/b\"]\n"}) {
    const auto e = error_of(toml);
    EXPECT_TRUE(mentions(e, "expected a string or a whole number")) << toml;
  }
  EXPECT_EQ(load("[mattermost]\ncommand_tokens = [\"a\"]\n").mattermost_command_tokens,
            (std::vector<std::string>{"a"}));
}

TEST(config, out_of_range_number_is_an_error_naming_the_setting) {
  struct expectation {
    std::string_view toml;
    std::string_view names;
  };
  for (const auto& [toml, names] : std::initializer_list<expectation>{
           {"[playbook]\nbody_limit = 10\n", "[playbook] body_limit"},
           {"[playbook]\nbody_limit = 2000000000\n", "[playbook] body_limit"},
           {"[playbook]\nthreads = 257\n", "[playbook] threads"},
           {"[playbook]\nthreads = -1\n", "[playbook] threads"},
           {"[playbook]\nmax_connections = 0\n", "[playbook] max_connections"},
           {"[playbook]\nheader_timeout_ms = 0\n", "[playbook] header_timeout_ms"},
           {"[playbook]\nidle_timeout_ms = 86400001\n", "[playbook] idle_timeout_ms"},
           {"[playbook]\nheader_limit = 99999999999999999\n", "[playbook] header_limit"},
       }) {
    const auto e = error_of(toml);
    EXPECT_TRUE(mentions(e, names)) << toml;
  }
  EXPECT_TRUE(mentions(error_of("[playbook]\nbody_limit = 10\n"), "between 1024 and"));
}

TEST(config, out_of_range_environment_value_is_an_error_naming_the_variable) {
  const auto e = error_of("", env_of({{"PLAYBOOK_THREADS", "1000"}}));
  EXPECT_TRUE(mentions(e, "PLAYBOOK_THREADS"));
  const auto n = error_of("", env_of({{"PLAYBOOK_BODY_LIMIT", "12kb"}}));
  EXPECT_TRUE(mentions(n, "PLAYBOOK_BODY_LIMIT"));
  EXPECT_TRUE(mentions(n, "whole number"));
}

TEST(config, bad_log_level_is_an_error) {
  const auto e = error_of("[playbook]\nlog_level = \"verbose\"\n");
  EXPECT_TRUE(mentions(e, "[playbook] log_level"));
  EXPECT_TRUE(mentions(e, "debug, info, warn or error"));
}

TEST(config, bad_listen_is_an_error) {
  for (std::string_view listen : {"nohost", "example.com:80", "127.0.0.1:99999", "127.0.0.1:",
                                  "127.0.0.1:http"}) {
    const auto e = error_of("[playbook]\nlisten = \"" + std::string(listen) + "\"\n");
    EXPECT_TRUE(mentions(e, "[playbook] listen")) << listen;
  }
  EXPECT_TRUE(mentions(error_of("", env_of({{"PLAYBOOK_LISTEN", "nohost"}})), "PLAYBOOK_LISTEN"));
}

TEST(config, malformed_toml_is_an_error_with_line_and_column) {
  const auto e = error_of("[playbook]\nbody_limit = \n");
  EXPECT_TRUE(mentions(e, "test.toml:2:"));
  const auto t = error_of("\n\n[playbook\n");
  EXPECT_TRUE(mentions(t, "test.toml:3:"));
}

TEST(config, secrets_never_appear_in_error_messages) {
  const std::string s(secret);
  const temp_file file(s + "\n");
  const std::vector<std::pair<std::string, bot::env_lookup>> cases = {
      // Another setting is wrong while the secret is set, in the file or the environment.
      {"[slack]\nsigning_secret = \"" + s + "\"\n[playbook]\ncolour = 1\n", no_env},
      {"[playbook]\nthreads = -1\n", env_of({{"SLACK_SIGNING_SECRET", s}})},
      {"", env_of({{"MATTERMOST_COMMAND_TOKENS", s}, {"PLAYBOOK_LISTEN", "x"}})},
      // The secret itself is given badly.
      {"[mattermost]\ncommand_tokens = [\"" + s + "\", 5]\n", no_env},
      {"[mattermost]\ncommand_tokens = [\"" + s + ",x\"]\n", no_env},
      {"[slack]\nsigning_secret = [\"" + s + "\", 1]\n", no_env},
      {"[slack]\nsigning_secret = { value = \"" + s + "\" }\n", no_env},
      {"", env_of({{"SLACK_SIGNING_SECRET", s}, {"SLACK_SIGNING_SECRET_FILE", file.path()}})},
      {"[slack]\nsigning_secret = \"" + s + "\"\nsigning_secret_file = \"" + file.path() + "\"\n",
       no_env},
      // Malformed TOML around the secret.
      {"[slack]\nsigning_secret = \"" + s + "\n", no_env},
      {"[slack]\nsigning_secret = " + s + "\n", no_env},
      {"[slack]\nsigning_secret = \"" + s + "\" junk\n", no_env},
      {"[slack]\nsigning_secret = '" + s + "\n", no_env},
      {"[slack]\nsigning_secret = \"" + s + "\"\nsigning_secret = \"" + s + "\"\n", no_env},
  };
  for (const auto& [toml, env] : cases) {
    const auto e = error_of(toml, env);
    EXPECT_FALSE(e.empty()) << toml;
    EXPECT_EQ(e.find(s), std::string::npos) << "the secret leaked: " << e;
    // Nor a recognisable piece of it.
    EXPECT_EQ(e.find("SUPER-SECRET"), std::string::npos) << "the secret leaked: " << e;
  }
}

TEST(config, load_settings_reads_a_file_and_names_a_missing_one) {
  const temp_file file("[playbook]\nthreads = 3\n");
  const auto r = bot::load_settings(file.path(), no_env);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->threads, 3u);

  const temp_file bad("[playbook]\ncolour = 3\n");
  const auto b = bot::load_settings(bad.path(), no_env);
  ASSERT_FALSE(b);
  EXPECT_TRUE(mentions(b.error().message, bad.path()));

  const auto missing = (fs::temp_directory_path() / "unit_config_missing.toml").string();
  const auto m = bot::load_settings(missing, no_env);
  ASSERT_FALSE(m);
  EXPECT_TRUE(mentions(m.error().message, missing));
}

TEST(config, value_of_an_error_throws_invalid_argument) {
  const auto r = bot::load_settings_from_text("[x]\ny=1\n", "t", no_env);
  ASSERT_FALSE(r);
  EXPECT_THROW((void)r.value(), std::invalid_argument);
}

TEST(config, known_settings_lists_every_environment_name_once_with_a_description) {
  std::set<std::string_view> envs;
  std::set<std::pair<std::string_view, std::string_view>> places;
  for (const auto& s : bot::known_settings()) {
    EXPECT_TRUE(envs.insert(s.env).second) << s.env;
    EXPECT_TRUE(places.insert({s.table, s.key}).second) << s.table << "." << s.key;
    EXPECT_FALSE(s.description.empty()) << s.env;
    EXPECT_FALSE(s.table.empty()) << s.env;
    EXPECT_FALSE(s.key.empty()) << s.env;
    if (s.secret) {
      EXPECT_TRUE(s.default_text.empty()) << s.env;
    }
  }
  for (std::string_view name :
       {"PLAYBOOK_LISTEN", "PLAYBOOK_DB", "PLAYBOOK_FILE", "PLAYBOOK_THREADS",
        "PLAYBOOK_MAX_CONNECTIONS", "PLAYBOOK_BODY_LIMIT", "PLAYBOOK_HEADER_LIMIT",
        "PLAYBOOK_HEADER_TIMEOUT_MS", "PLAYBOOK_BODY_TIMEOUT_MS", "PLAYBOOK_IDLE_TIMEOUT_MS",
        "PLAYBOOK_WRITE_TIMEOUT_MS", "PLAYBOOK_SHUTDOWN_TIMEOUT_MS", "PLAYBOOK_LOG_LEVEL",
        "PLAYBOOK_MAX_DOCUMENT_BYTES", "PLAYBOOK_MAX_DOCUMENT_PAGES", "SLACK_SIGNING_SECRET",
        "MATTERMOST_COMMAND_TOKENS", "PLAYBOOK_DB_SYNC", "PLAYBOOK_DECIDERS",
        "SLACK_BOT_TOKEN", "SLACK_API_URL", "PLAYBOOK_CA_FILE", "PLAYBOOK_ALLOW_INSECURE_HTTP",
        "PLAYBOOK_DELIVERY_ATTEMPTS", "PLAYBOOK_ATTACHMENT_LIMIT", "JIRA_BASE_URL",
        "JIRA_DEPLOYMENT", "JIRA_WEBHOOK_SECRET", "JIRA_USER", "JIRA_API_TOKEN", "JIRA_PROJECTS",
        "JIRA_ISSUE_TYPES", "JIRA_LABELS", "JIRA_APPROVED", "JIRA_REJECTED",
        "GITHUB_WEBHOOK_SECRET", "GITHUB_TOKEN", "GITHUB_API_URL", "GITHUB_REPOSITORIES",
        "GITHUB_LABELS", "GITLAB_WEBHOOK_TOKEN", "GITLAB_TOKEN", "GITLAB_API_URL",
        "GITLAB_PROJECTS", "GITLAB_LABELS", "TEAMS_HMAC_SECRET", "PLAYBOOK_METRICS_TOKEN"})
    EXPECT_TRUE(envs.count(name)) << name;
  EXPECT_EQ(envs.size(), 47u);
}

TEST(config, known_settings_marks_exactly_the_credentials_as_secret) {
  for (const auto& s : bot::known_settings()) {
    const bool credential = s.env == "SLACK_SIGNING_SECRET" || s.env == "MATTERMOST_COMMAND_TOKENS" ||
                            s.env == "SLACK_BOT_TOKEN" || s.env == "JIRA_WEBHOOK_SECRET" ||
                            s.env == "JIRA_API_TOKEN" || s.env == "GITHUB_WEBHOOK_SECRET" ||
                            s.env == "GITHUB_TOKEN" || s.env == "GITLAB_WEBHOOK_TOKEN" ||
                            s.env == "GITLAB_TOKEN" || s.env == "TEAMS_HMAC_SECRET" ||
                            s.env == "PLAYBOOK_METRICS_TOKEN";
    EXPECT_EQ(s.secret, credential) << s.env;
  }
}

TEST(config, process_env_treats_empty_as_unset) {
  ::setenv("UNIT_CONFIG_TEST_VAR", "value", 1);
  EXPECT_EQ(bot::process_env("UNIT_CONFIG_TEST_VAR"), "value");
  ::setenv("UNIT_CONFIG_TEST_VAR", "", 1);
  EXPECT_EQ(bot::process_env("UNIT_CONFIG_TEST_VAR"), std::nullopt);
  ::unsetenv("UNIT_CONFIG_TEST_VAR");
  EXPECT_EQ(bot::process_env("UNIT_CONFIG_TEST_VAR"), std::nullopt);
}

TEST(config, slack_and_mattermost_are_enabled_by_their_secrets) {
  bot::settings s;
  EXPECT_FALSE(s.slack_enabled());
  EXPECT_FALSE(s.mattermost_enabled());
  s.slack_signing_secret = "x";
  EXPECT_TRUE(s.slack_enabled());
  EXPECT_FALSE(s.mattermost_enabled());
  s.mattermost_command_tokens = {"t"};
  EXPECT_TRUE(s.mattermost_enabled());
}

TEST(config, teams_tokens_are_a_list_of_base64_keys_and_a_bad_one_is_named_not_shown) {
  const auto s = load("", env_of({{"TEAMS_HMAC_SECRET",
                                   "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=, "
                                   "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}}));
  ASSERT_EQ(s.teams_hmac_secrets.size(), 2u);
  EXPECT_TRUE(s.teams_enabled());
  const bot::settings defaults;
  EXPECT_FALSE(defaults.teams_enabled());
  const std::string bad = "not base64 at all!!";
  const auto e = error_of("", env_of({{"TEAMS_HMAC_SECRET",
                                       "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=," + bad}}));
  EXPECT_TRUE(mentions(e, "TEAMS_HMAC_SECRET")) << e;
  EXPECT_TRUE(mentions(e, "entry 2")) << e;
  EXPECT_EQ(e.find(bad), std::string::npos) << e;
}

TEST(config, metrics_token_is_a_secret_setting) {
  const temp_file file("scrape-me\n");
  EXPECT_EQ(load("", env_of({{"PLAYBOOK_METRICS_TOKEN_FILE", file.path()}})).metrics_token,
            "scrape-me");
  EXPECT_EQ(load("[playbook]\nmetrics_token = \"t\"\n").metrics_token, "t");
  const bot::settings defaults;
  EXPECT_EQ(defaults.metrics_token, "");
}

// --- parse_listen ----------------------------------------------------------------------------

TEST(parse_listen, accepts_ipv4_ipv6_localhost_and_port_only) {
  struct expectation {
    std::string_view text;
    std::string_view host;
    std::uint16_t port;
  };
  for (const auto& [text, host, port] : std::initializer_list<expectation>{
           {"127.0.0.1:8080", "127.0.0.1", 8080},
           {"0.0.0.0:0", "0.0.0.0", 0},
           {"[::1]:9000", "::1", 9000},
           {"[::]:443", "::", 443},
           {":8080", "0.0.0.0", 8080},
           {"localhost:1", "127.0.0.1", 1},
           {"10.1.2.3:65535", "10.1.2.3", 65535},
       }) {
    const auto r = bot::parse_listen(text);
    ASSERT_TRUE(r) << text << ": " << r.error().message;
    EXPECT_EQ(r->host, host) << text;
    EXPECT_EQ(r->port, port) << text;
  }
}

TEST(parse_listen, refuses_bad_ports_and_host_names) {
  for (std::string_view text : {"host:99999", "127.0.0.1:99999", "127.0.0.1:65536", "example.com:80",
                                "127.0.0.1", "", "127.0.0.1:", "127.0.0.1:-1", "127.0.0.1:+80",
                                "127.0.0.1:80x", "[::1:80", "256.0.0.1:80"}) {
    const auto r = bot::parse_listen(text);
    EXPECT_FALSE(r) << text << " → " << (r ? r->host + ":" + std::to_string(r->port) : "");
  }
  EXPECT_TRUE(mentions(bot::parse_listen("example.com:80").error().message, "not an IP address"));
  EXPECT_TRUE(mentions(bot::parse_listen("127.0.0.1:99999").error().message, "port"));
  EXPECT_TRUE(mentions(bot::parse_listen("nohost").error().message, "host:port"));
}

namespace {

std::string ticket_problem(std::map<std::string, std::string> vars) {
  const auto s = load("", env_of(vars));
  return bot::ticket_settings_problem(s);
}

}  // namespace

TEST(config, ticket_defaults_review_labelled_tickets_of_any_project) {
  const auto s = load("");
  EXPECT_EQ(s.github_labels, (std::vector<std::string>{"ai-training", "procurement"}));
  EXPECT_EQ(s.gitlab_labels, (std::vector<std::string>{"ai-training", "procurement"}));
  EXPECT_EQ(s.jira_labels, (std::vector<std::string>{"ai-training", "procurement"}));
  EXPECT_EQ(s.jira_approved, (std::vector<std::string>{"Approved"}));
  EXPECT_EQ(s.jira_rejected, (std::vector<std::string>{"Rejected"}));
  EXPECT_TRUE(s.github_repositories.empty());
  EXPECT_EQ(s.jira_deployment, "cloud");
  EXPECT_EQ(s.github_api_url, "https://api.github.com");
  EXPECT_FALSE(s.jira_enabled() || s.github_enabled() || s.gitlab_enabled());
  EXPECT_EQ(bot::ticket_settings_problem(s), "");
}

TEST(config, a_webhook_secret_without_api_credentials_is_a_problem_named_in_words) {
  EXPECT_NE(ticket_problem({{"GITHUB_WEBHOOK_SECRET", "s"}}).find("GITHUB_TOKEN"), std::string::npos);
  EXPECT_EQ(ticket_problem({{"GITHUB_WEBHOOK_SECRET", "s"}, {"GITHUB_TOKEN", "t"}}), "");
  EXPECT_NE(ticket_problem({{"GITLAB_WEBHOOK_TOKEN", "s"}}).find("GITLAB_TOKEN"), std::string::npos);
  EXPECT_NE(ticket_problem({{"JIRA_WEBHOOK_SECRET", "s"}}).find("JIRA_BASE_URL"), std::string::npos);
  EXPECT_NE(ticket_problem({{"JIRA_WEBHOOK_SECRET", "s"}, {"JIRA_BASE_URL", "https://x.atlassian.net"},
                            {"JIRA_API_TOKEN", "t"}})
                .find("JIRA_USER"),
            std::string::npos);
  EXPECT_EQ(ticket_problem({{"JIRA_WEBHOOK_SECRET", "s"}, {"JIRA_BASE_URL", "https://jira.example"},
                            {"JIRA_API_TOKEN", "t"}, {"JIRA_DEPLOYMENT", "datacenter"}}),
            "");
}

TEST(config, ticket_settings_refuse_bad_values) {
  bot::settings s;
  std::map<std::string, std::string> bad_url{{"GITHUB_API_URL", "ftp://x"}};
  EXPECT_FALSE(bot::load_settings(std::nullopt, env_of(bad_url)));
  std::map<std::string, std::string> bad_deploy{{"JIRA_DEPLOYMENT", "server"}};
  EXPECT_FALSE(bot::load_settings(std::nullopt, env_of(bad_deploy)));
  std::map<std::string, std::string> bad_bool{{"PLAYBOOK_ALLOW_INSECURE_HTTP", "yes"}};
  EXPECT_FALSE(bot::load_settings(std::nullopt, env_of(bad_bool)));
  std::map<std::string, std::string> lists{{"GITHUB_REPOSITORIES", "acme/procurement, acme/legal"},
                                           {"JIRA_BASE_URL", "https://acme.atlassian.net/"}};
  const auto ok = bot::load_settings(std::nullopt, env_of(lists));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->github_repositories, (std::vector<std::string>{"acme/procurement", "acme/legal"}));
  EXPECT_EQ(ok->jira_base_url, "https://acme.atlassian.net");
}

TEST(config, toml_booleans_are_accepted_for_switches) {
  const auto r = bot::load_settings_from_text("[playbook]\nallow_insecure_http = true\n", "t.toml",
                                              [](std::string_view) { return std::nullopt; });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->allow_insecure_http);
}
