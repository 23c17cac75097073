#pragma once
// The bot's settings: defaults, a TOML file, environment variables over it, secrets also from
// NAME_FILE. Every setting is listed once, in the table in config.cpp, with its default and a
// one-line description; the README's configuration reference and `playbook-bot settings` come
// from that table.

#include "storage/database.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

struct config_error {
  std::string message;
};

[[noreturn]] inline void throw_exception_from_error(const config_error& e,
                                                    const boost::source_location&) {
  throw std::invalid_argument(e.message);
}

struct listen_address {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};

struct settings {
  listen_address listen;
  std::string db_path = "./var/playbook.db";
  std::string playbook_file;  // empty: the playbook compiled into the binary
  unsigned threads = 0;       // 0: one per core
  std::size_t max_connections = 1024;
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 8 << 10;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds shutdown_timeout{10'000};
  std::string log_level = "info";
  std::size_t max_document_bytes = 20u << 20;
  std::size_t max_document_pages = 300;
  std::string db_sync = "normal";        // normal | full: see storage::sync_mode
  std::vector<std::string> deciders;     // PLAYBOOK_DECIDERS entries; empty: everyone may record

  std::string slack_signing_secret;
  std::string slack_bot_token;
  std::string slack_api_url = "https://slack.com/api";
  std::vector<std::string> mattermost_command_tokens;
  std::vector<std::string> teams_hmac_secrets;  // base64 security tokens, one per outgoing webhook
  std::string metrics_token;                    // bearer token for GET /metrics; "" open

  // Ticket systems: webhooks in, review comments out (see bot/ticket_scope.hpp for the lists).
  std::string ca_file;               // PEM bundle trusted for outbound HTTPS instead of the system's
  bool allow_insecure_http = false;  // plain http:// to hosts other than loopback
  unsigned delivery_attempts = 14;   // outbound comment attempts before a delivery is kept as failed
  std::size_t attachment_limit = 10u << 20;
  std::string jira_base_url;
  std::string jira_deployment = "cloud";  // cloud | datacenter
  std::string jira_webhook_secret;
  std::string jira_user;
  std::string jira_api_token;
  std::vector<std::string> jira_projects;     // empty: any project
  std::vector<std::string> jira_issue_types;  // empty: any issue type
  std::vector<std::string> jira_labels;       // "*": any labels
  std::vector<std::string> jira_approved;     // status or resolution names
  std::vector<std::string> jira_rejected;
  std::string github_webhook_secret;
  std::string github_token;
  std::string github_api_url = "https://api.github.com";
  std::vector<std::string> github_repositories;  // owner/repo; empty: any
  std::vector<std::string> github_labels;
  std::string gitlab_webhook_token;
  std::string gitlab_token;
  std::string gitlab_api_url = "https://gitlab.com/api/v4";
  std::vector<std::string> gitlab_projects;  // group/project paths; empty: any
  std::vector<std::string> gitlab_labels;

  bool slack_enabled() const { return !slack_signing_secret.empty(); }
  bool mattermost_enabled() const { return !mattermost_command_tokens.empty(); }
  bool teams_enabled() const { return !teams_hmac_secrets.empty(); }
  bool jira_enabled() const { return !jira_webhook_secret.empty(); }
  bool github_enabled() const { return !github_webhook_secret.empty(); }
  bool gitlab_enabled() const { return !gitlab_webhook_token.empty(); }
};

// What stops the ticket integrations that are switched on from working (a webhook secret without
// the API credentials to answer it, ...); "" when nothing does.
std::string ticket_settings_problem(const settings& s);

// The database these settings name: its file and how hard a commit waits for the disk.
storage::database_options database_options_of(const settings& s);

// One documented setting: its environment name, its place in the TOML file, its default.
struct setting_info {
  std::string_view env;          // e.g. "PLAYBOOK_BODY_LIMIT"
  std::string_view table;        // TOML table, e.g. "playbook"
  std::string_view key;          // TOML key, e.g. "body_limit"
  std::string_view default_text; // as the user would write it; "" when unset by default
  std::string_view description;
  bool secret;                   // also read from NAME_FILE / key_file; never printed
};

// Every setting the bot knows, in documentation order.
const std::vector<setting_info>& known_settings();

// Looks up an environment variable; returns nullopt when it is unset or empty.
using env_lookup = std::function<std::optional<std::string>(std::string_view)>;

// The process environment.
std::optional<std::string> process_env(std::string_view name);

// Defaults, then the TOML file at config_path (when given), then the environment. An unknown key
// in the file, a value of the wrong type or out of range, a secret given both directly and as a
// file, or an unreadable secret file is an error naming the setting (never its value).
boost::system::result<settings, config_error> load_settings(
    const std::optional<std::string>& config_path, const env_lookup& env = process_env);

// The same from TOML text already in memory; source names it in errors.
boost::system::result<settings, config_error> load_settings_from_text(
    std::string_view toml_text, std::string_view source, const env_lookup& env = process_env);

// "host:port", "[v6]:port" or ":port"; the host must be an IP address or "localhost".
boost::system::result<listen_address, config_error> parse_listen(std::string_view text);

}  // namespace bot
