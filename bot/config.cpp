#include "bot/config.hpp"

#include "bot/deciders.hpp"
#include "integrations/http/client.hpp"
#include "integrations/teams/verify.hpp"

#include <toml++/toml.h>

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace bot {
namespace {

// Applies a textual value to settings; returns what is wrong with it, or "" when it was taken.
using apply_fn = std::string (*)(settings&, std::string_view);

struct setting_entry {
  setting_info info;
  apply_fn apply;
  bool list = false;  // a comma-separated list, which a TOML file may also give as an array
  bool flag = false;  // true or false, which a TOML file may also give as a boolean
};

template <class T>
std::string parse_number(std::string_view text, T& out, T min, T max) {
  T value{};
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) return "expected a whole number";
  if (value < min || value > max)
    return "must be between " + std::to_string(min) + " and " + std::to_string(max);
  out = value;
  return {};
}

std::string parse_ms(std::string_view text, std::chrono::milliseconds& out) {
  std::int64_t ms = 0;
  auto err = parse_number<std::int64_t>(text, ms, 1, 24LL * 3600 * 1000);
  if (err.empty()) out = std::chrono::milliseconds(ms);
  return err;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    auto item = text.substr(pos, comma - pos);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    pos = comma + 1;
  }
  return out;
}

std::string set_text(std::string& out, std::string_view v) {
  out = std::string(v);
  return {};
}

std::string set_list(std::vector<std::string>& out, std::string_view v) {
  out = split_list(v);
  return {};
}

std::string set_url(std::string& out, std::string_view v) {
  const auto u = integrations::http::parse_url(v);
  if (!u) return u.error().message;
  out = std::string(v);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return {};
}

std::string parse_bool(std::string_view v, bool& out) {
  if (v == "true" || v == "1") out = true;
  else if (v == "false" || v == "0") out = false;
  else return "must be true or false";
  return {};
}

const std::vector<setting_entry>& entries() {
  static const std::vector<setting_entry> table = {
      {{"PLAYBOOK_LISTEN", "playbook", "listen", "127.0.0.1:8080",
        "Address and port to listen on (host:port, [v6]:port; port 0 picks a free port)", false},
       [](settings& s, std::string_view v) -> std::string {
         auto a = parse_listen(v);
         if (!a) return a.error().message;
         s.listen = *a;
         return {};
       }},
      {{"PLAYBOOK_DB", "playbook", "db", "./var/playbook.db",
        "SQLite database file (created with its folder when missing)", false},
       [](settings& s, std::string_view v) -> std::string {
         s.db_path = std::string(v);
         return {};
       }},
      {{"PLAYBOOK_FILE", "playbook", "file", "",
        "A customised playbook JSON file; unset: the playbook compiled into the binary", false},
       [](settings& s, std::string_view v) -> std::string {
         s.playbook_file = std::string(v);
         return {};
       }},
      {{"PLAYBOOK_THREADS", "playbook", "threads", "0",
        "Threads serving requests; 0: one per core", false},
       [](settings& s, std::string_view v) { return parse_number<unsigned>(v, s.threads, 0, 256); }},
      {{"PLAYBOOK_MAX_CONNECTIONS", "playbook", "max_connections", "1024",
        "Open connections at most; more are answered 503 and closed", false},
       [](settings& s, std::string_view v) {
         return parse_number<std::size_t>(v, s.max_connections, 1, 1'000'000);
       }},
      {{"PLAYBOOK_BODY_LIMIT", "playbook", "body_limit", "1048576",
        "Largest request body in bytes; larger ones are answered 413 and the connection closed",
        false},
       [](settings& s, std::string_view v) {
         return parse_number<std::size_t>(v, s.body_limit, 1024, std::size_t{1} << 30);
       }},
      {{"PLAYBOOK_HEADER_LIMIT", "playbook", "header_limit", "8192",
        "Largest request header block in bytes; larger ones are answered 431", false},
       [](settings& s, std::string_view v) {
         return parse_number<std::size_t>(v, s.header_limit, 1024, 1 << 20);
       }},
      {{"PLAYBOOK_HEADER_TIMEOUT_MS", "playbook", "header_timeout_ms", "10000",
        "Time allowed to receive a request's headers, from its first byte (or from connect)", false},
       [](settings& s, std::string_view v) { return parse_ms(v, s.header_timeout); }},
      {{"PLAYBOOK_BODY_TIMEOUT_MS", "playbook", "body_timeout_ms", "30000",
        "Time allowed to receive a request's body after its headers", false},
       [](settings& s, std::string_view v) { return parse_ms(v, s.body_timeout); }},
      {{"PLAYBOOK_IDLE_TIMEOUT_MS", "playbook", "idle_timeout_ms", "60000",
        "How long a kept-alive connection may wait for its next request", false},
       [](settings& s, std::string_view v) { return parse_ms(v, s.idle_timeout); }},
      {{"PLAYBOOK_WRITE_TIMEOUT_MS", "playbook", "write_timeout_ms", "10000",
        "Time allowed to send a response", false},
       [](settings& s, std::string_view v) { return parse_ms(v, s.write_timeout); }},
      {{"PLAYBOOK_SHUTDOWN_TIMEOUT_MS", "playbook", "shutdown_timeout_ms", "10000",
        "On SIGTERM/SIGINT, how long in-flight requests may take to finish before exit", false},
       [](settings& s, std::string_view v) { return parse_ms(v, s.shutdown_timeout); }},
      {{"PLAYBOOK_LOG_LEVEL", "playbook", "log_level", "info",
        "Least severe log lines written: debug, info, warn or error", false},
       [](settings& s, std::string_view v) -> std::string {
         if (v != "debug" && v != "info" && v != "warn" && v != "error")
           return "must be debug, info, warn or error";
         s.log_level = std::string(v);
         return {};
       }},
      {{"PLAYBOOK_MAX_DOCUMENT_BYTES", "playbook", "max_document_bytes", "20971520",
        "Largest proposal document reviewed, in bytes (files and pasted text)", false},
       [](settings& s, std::string_view v) {
         return parse_number<std::size_t>(v, s.max_document_bytes, 1, std::size_t{1} << 30);
       }},
      {{"PLAYBOOK_MAX_DOCUMENT_PAGES", "playbook", "max_document_pages", "300",
        "Most pages of a PDF proposal reviewed", false},
       [](settings& s, std::string_view v) {
         return parse_number<std::size_t>(v, s.max_document_pages, 1, 100'000);
       }},
      {{"PLAYBOOK_DB_SYNC", "playbook", "db_sync", "normal",
        "normal: a confirmed decision survives the bot being killed or crashing; full: also a "
        "power cut, at a few hundred decisions/s (fsync per commit)",
        false},
       [](settings& s, std::string_view v) -> std::string {
         if (v != "normal" && v != "full") return "must be normal or full";
         s.db_sync = std::string(v);
         return {};
       }},
      {{"PLAYBOOK_DECIDERS", "playbook", "deciders", "",
        "Who may record decisions, comma-separated (or a TOML array): user ids (U012AB3CD, "
        "slack:U012AB3CD, mattermost:<id>, teams:<id>) and Slack user groups "
        "(slack-group:S0123ABC); unset: everyone",
        false},
       [](settings& s, std::string_view v) -> std::string {
         auto list = split_list(v);
         if (auto parsed = parse_deciders(list); !parsed) return parsed.error().message;
         s.deciders = std::move(list);
         return {};
       },
       true},
      {{"SLACK_SIGNING_SECRET", "slack", "signing_secret", "",
        "Slack app signing secret; unset: /slack/commands is disabled", true},
       [](settings& s, std::string_view v) -> std::string {
         s.slack_signing_secret = std::string(v);
         return {};
       }},
      {{"SLACK_BOT_TOKEN", "slack", "bot_token", "",
        "Slack bot token (xoxb-..., scope usergroups:read); needed when PLAYBOOK_DECIDERS names "
        "Slack user groups",
        true},
       [](settings& s, std::string_view v) -> std::string {
         s.slack_bot_token = std::string(v);
         return {};
       }},
      {{"SLACK_API_URL", "slack", "api_url", "https://slack.com/api",
        "Slack Web API base address (https; http only for a local test server)", false},
       [](settings& s, std::string_view v) -> std::string {
         const auto u = integrations::http::parse_url(v);
         if (!u) return u.error().message;
         s.slack_api_url = std::string(v);
         return {};
       }},
      {{"MATTERMOST_COMMAND_TOKENS", "mattermost", "command_tokens", "",
        "Mattermost slash-command tokens, comma-separated (or a TOML array); unset: "
        "/mattermost/commands is disabled",
        true},
       [](settings& s, std::string_view v) -> std::string {
         s.mattermost_command_tokens = split_list(v);
         return {};
       },
       true},
      {{"TEAMS_HMAC_SECRET", "teams", "hmac_secret", "",
        "Microsoft Teams outgoing-webhook security tokens (base64, as Teams shows them), one per "
        "team, comma-separated (or a TOML array); unset: /teams/messages is disabled",
        true},
       [](settings& s, std::string_view v) -> std::string {
         auto tokens = split_list(v);
         for (std::size_t i = 0; i < tokens.size(); ++i)
           if (auto problem = integrations::teams::token_problem(tokens[i]))
             return "entry " + std::to_string(i + 1) + " " + *problem;
         s.teams_hmac_secrets = std::move(tokens);
         return {};
       },
       true},
      {{"PLAYBOOK_METRICS_TOKEN", "playbook", "metrics_token", "",
        "Bearer token that GET /metrics must present; unset: /metrics is open to anyone who can "
        "reach the port",
        true},
       [](settings& s, std::string_view v) { return set_text(s.metrics_token, v); }},
      {{"PLAYBOOK_CA_FILE", "playbook", "ca_file", "",
        "PEM file of certificate authorities trusted for outbound HTTPS (ticket APIs, Slack) "
        "instead of the system's trust store",
        false},
       [](settings& s, std::string_view v) -> std::string {
         s.ca_file = std::string(v);
         return {};
       }},
      {{"PLAYBOOK_ALLOW_INSECURE_HTTP", "playbook", "allow_insecure_http", "false",
        "true: allow plain http:// API addresses on hosts other than loopback (logs a warning)",
        false},
       [](settings& s, std::string_view v) { return parse_bool(v, s.allow_insecure_http); },
       false, true},
      {{"PLAYBOOK_DELIVERY_ATTEMPTS", "playbook", "delivery_attempts", "14",
        "Attempts to reach a ticket system (network errors, 5xx, 429) for one event or comment; "
        "14 waits out about half an hour to an hour of outage, then the comment is kept as "
        "failed for `playbook-bot outbox`",
        false},
       [](settings& s, std::string_view v) {
         return parse_number<unsigned>(v, s.delivery_attempts, 1, 100);
       }},
      {{"PLAYBOOK_ATTACHMENT_LIMIT", "playbook", "attachment_limit", "10485760",
        "Largest ticket attachment (PDF, DOCX) downloaded and reviewed, in bytes", false},
       [](settings& s, std::string_view v) {
         return parse_number<std::size_t>(v, s.attachment_limit, 1024, std::size_t{1} << 30);
       }},
      {{"JIRA_BASE_URL", "jira", "base_url", "",
        "Your Jira site, e.g. https://acme.atlassian.net; attachments are downloaded only from "
        "its host",
        false},
       [](settings& s, std::string_view v) { return set_url(s.jira_base_url, v); }},
      {{"JIRA_DEPLOYMENT", "jira", "deployment", "cloud",
        "cloud (REST v3, Atlassian Document Format, user + API token) or datacenter (REST v2, "
        "wiki markup, personal access token)",
        false},
       [](settings& s, std::string_view v) -> std::string {
         if (v != "cloud" && v != "datacenter") return "must be cloud or datacenter";
         s.jira_deployment = std::string(v);
         return {};
       }},
      {{"JIRA_WEBHOOK_SECRET", "jira", "webhook_secret", "",
        "Secret of the Jira webhook (X-Hub-Signature); unset: /hooks/jira is disabled", true},
       [](settings& s, std::string_view v) { return set_text(s.jira_webhook_secret, v); }},
      {{"JIRA_USER", "jira", "user", "",
        "Jira Cloud: the bot account's email (with JIRA_API_TOKEN); Data Center: leave unset", false},
       [](settings& s, std::string_view v) { return set_text(s.jira_user, v); }},
      {{"JIRA_API_TOKEN", "jira", "api_token", "",
        "Jira Cloud API token, or Data Center personal access token", true},
       [](settings& s, std::string_view v) { return set_text(s.jira_api_token, v); }},
      {{"JIRA_PROJECTS", "jira", "projects", "",
        "Project keys whose tickets are reviewed, comma-separated; unset: any project", false},
       [](settings& s, std::string_view v) { return set_list(s.jira_projects, v); }, true},
      {{"JIRA_ISSUE_TYPES", "jira", "issue_types", "",
        "Issue types reviewed (e.g. Procurement), comma-separated; unset: any type", false},
       [](settings& s, std::string_view v) { return set_list(s.jira_issue_types, v); }, true},
      {{"JIRA_LABELS", "jira", "labels", "ai-training,procurement",
        "A ticket is reviewed when it has one of these labels; * : any labels", false},
       [](settings& s, std::string_view v) { return set_list(s.jira_labels, v); }, true},
      {{"JIRA_APPROVED", "jira", "approved", "Approved",
        "Status or resolution names that record the vendor as approved", false},
       [](settings& s, std::string_view v) { return set_list(s.jira_approved, v); }, true},
      {{"JIRA_REJECTED", "jira", "rejected", "Rejected",
        "Status or resolution names that record the vendor as rejected", false},
       [](settings& s, std::string_view v) { return set_list(s.jira_rejected, v); }, true},
      {{"GITHUB_WEBHOOK_SECRET", "github", "webhook_secret", "",
        "Secret of the GitHub webhook (X-Hub-Signature-256); unset: /hooks/github is disabled",
        true},
       [](settings& s, std::string_view v) { return set_text(s.github_webhook_secret, v); }},
      {{"GITHUB_TOKEN", "github", "token", "",
        "GitHub token that comments on issues (fine-grained: Issues read and write)", true},
       [](settings& s, std::string_view v) { return set_text(s.github_token, v); }},
      {{"GITHUB_API_URL", "github", "api_url", "https://api.github.com",
        "GitHub REST API address (GitHub Enterprise Server: https://HOST/api/v3)", false},
       [](settings& s, std::string_view v) { return set_url(s.github_api_url, v); }},
      {{"GITHUB_REPOSITORIES", "github", "repositories", "",
        "owner/repo names whose issues are reviewed, comma-separated; unset: any", false},
       [](settings& s, std::string_view v) { return set_list(s.github_repositories, v); }, true},
      {{"GITHUB_LABELS", "github", "labels", "ai-training,procurement",
        "An issue is reviewed when it has one of these labels; * : any labels", false},
       [](settings& s, std::string_view v) { return set_list(s.github_labels, v); }, true},
      {{"GITLAB_WEBHOOK_TOKEN", "gitlab", "webhook_token", "",
        "Secret token of the GitLab webhook (X-Gitlab-Token); unset: /hooks/gitlab is disabled",
        true},
       [](settings& s, std::string_view v) { return set_text(s.gitlab_webhook_token, v); }},
      {{"GITLAB_TOKEN", "gitlab", "token", "",
        "GitLab access token that writes notes (scope api; project access token, Reporter)", true},
       [](settings& s, std::string_view v) { return set_text(s.gitlab_token, v); }},
      {{"GITLAB_API_URL", "gitlab", "api_url", "https://gitlab.com/api/v4",
        "GitLab REST API address (self-managed: https://HOST/api/v4)", false},
       [](settings& s, std::string_view v) { return set_url(s.gitlab_api_url, v); }},
      {{"GITLAB_PROJECTS", "gitlab", "projects", "",
        "group/project paths whose issues are reviewed, comma-separated; unset: any", false},
       [](settings& s, std::string_view v) { return set_list(s.gitlab_projects, v); }, true},
      {{"GITLAB_LABELS", "gitlab", "labels", "ai-training,procurement",
        "An issue is reviewed when it has one of these labels; * : any labels", false},
       [](settings& s, std::string_view v) { return set_list(s.gitlab_labels, v); }, true},
  };
  return table;
}

std::string trim_trailing_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Reads a mounted secret; errors name the setting and the file, not the contents.
boost::system::result<std::string, config_error> read_secret_file(std::string_view setting,
                                                                   const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return config_error{std::string(setting) + ": cannot read the file " + path};
  std::ostringstream ss;
  ss << in.rdbuf();
  auto value = trim_trailing_newlines(ss.str());
  if (value.empty()) return config_error{std::string(setting) + ": the file " + path + " is empty"};
  // in_place_value: config_error is constructible from a string too, so say which side this is.
  return {boost::system::in_place_value, std::move(value)};
}

// A TOML value as the text the same setting would have in the environment.
boost::system::result<std::string, config_error> toml_as_text(const toml::node& node,
                                                              const std::string& where,
                                                              bool allow_array, bool allow_bool) {
  using text_result = boost::system::result<std::string, config_error>;
  const auto text = [](std::string s) { return text_result(boost::system::in_place_value, std::move(s)); };
  if (node.is_string()) return text(*node.value<std::string>());
  if (node.is_integer()) return text(std::to_string(*node.value<std::int64_t>()));
  if (node.is_boolean() && allow_bool) return text(*node.value<bool>() ? "true" : "false");
  if (const auto* arr = node.as_array(); arr != nullptr && allow_array) {
    std::string joined;
    for (const auto& el : *arr) {
      if (!el.is_string()) return config_error{where + ": expected an array of strings"};
      const auto item = *el.value<std::string>();
      if (item.find(',') != std::string::npos)
        return config_error{where + ": list items may not contain ','"};
      if (!joined.empty()) joined += ',';
      joined += item;
    }
    return text(std::move(joined));
  }
  return config_error{where + (allow_array
                                   ? ": expected a string, a whole number or an array of strings"
                                   : ": expected a string or a whole number")};
}

boost::system::result<void, config_error> apply(settings& s, const setting_entry& e,
                                                 std::string_view value, const std::string& where) {
  auto problem = e.apply(s, value);
  if (!problem.empty()) return config_error{where + ": " + problem};
  return {};
}

boost::system::result<settings, config_error> load(const toml::table* file, std::string_view source,
                                                   const env_lookup& env) {
  // The table's documented defaults are the defaults: applied first, then the file, then the
  // environment.
  settings s;
  for (const auto& e : entries()) {
    if (e.info.default_text.empty()) continue;
    if (auto problem = e.apply(s, e.info.default_text); !problem.empty())
      return config_error{"built-in default of " + std::string(e.info.env) + ": " + problem};
  }
  const std::string src(source);

  if (file != nullptr) {
    // Refuse anything we do not know, naming it: a typo must not silently fall back to a default.
    for (const auto& [table_key, table_node] : *file) {
      const std::string_view table_name = table_key.str();
      const auto* table = table_node.as_table();
      if (table == nullptr)
        return config_error{src + ": unknown key '" + std::string(table_name) +
                            "' (settings live in tables such as [playbook] or [slack])"};
      for (const auto& [key, node] : *table) {
        const std::string_view key_name = key.str();
        const std::string where = src + ": [" + std::string(table_name) + "] " + std::string(key_name);
        const setting_entry* entry = nullptr;
        bool as_file = false;
        for (const auto& e : entries()) {
          if (e.info.table != table_name) continue;
          if (e.info.key == key_name) entry = &e;
          if (e.info.secret && key_name == std::string(e.info.key) + "_file") {
            entry = &e;
            as_file = true;
          }
        }
        if (entry == nullptr) return config_error{where + ": unknown key"};
        auto text = toml_as_text(node, where, entry->list && !as_file, entry->flag);
        if (!text) return text.error();
        if (as_file) {
          if (table->contains(entry->info.key))
            return config_error{where + ": set either " + std::string(entry->info.key) + " or " +
                                std::string(key_name) + ", not both"};
          text = read_secret_file(where, *text);
          if (!text) return text.error();
        }
        if (auto r = apply(s, *entry, *text, where); !r) return r.error();
      }
    }
  }

  for (const auto& e : entries()) {
    const std::string name(e.info.env);
    auto direct = env(name);
    std::optional<std::string> from_file;
    if (e.info.secret) from_file = env(name + "_FILE");
    if (direct && from_file)
      return config_error{"environment: set either " + name + " or " + name + "_FILE, not both"};
    if (from_file) {
      auto secret = read_secret_file(name + "_FILE", *from_file);
      if (!secret) return secret.error();
      direct = std::move(*secret);
    }
    if (direct) {
      if (auto r = apply(s, e, *direct, "environment " + name); !r) return r.error();
    }
  }
  return s;
}

}  // namespace

std::string ticket_settings_problem(const settings& s) {
  if (s.jira_enabled()) {
    if (s.jira_base_url.empty())
      return "JIRA_WEBHOOK_SECRET is set but JIRA_BASE_URL is not: the bot could not comment";
    if (s.jira_api_token.empty())
      return "JIRA_WEBHOOK_SECRET is set but JIRA_API_TOKEN is not: the bot could not comment";
    if (s.jira_deployment == "cloud" && s.jira_user.empty())
      return "JIRA_DEPLOYMENT is cloud but JIRA_USER (the bot account's email) is not set";
  }
  if (s.github_enabled() && s.github_token.empty())
    return "GITHUB_WEBHOOK_SECRET is set but GITHUB_TOKEN is not: the bot could not comment";
  if (s.gitlab_enabled() && s.gitlab_token.empty())
    return "GITLAB_WEBHOOK_TOKEN is set but GITLAB_TOKEN is not: the bot could not comment";
  return {};
}

storage::database_options database_options_of(const settings& s) {
  storage::database_options o;
  o.path = s.db_path;
  o.sync = s.db_sync == "full" ? storage::sync_mode::full : storage::sync_mode::normal;
  return o;
}

const std::vector<setting_info>& known_settings() {
  static const std::vector<setting_info> infos = [] {
    std::vector<setting_info> out;
    for (const auto& e : entries()) out.push_back(e.info);
    return out;
  }();
  return infos;
}

std::optional<std::string> process_env(std::string_view name) {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

boost::system::result<settings, config_error> load_settings_from_text(std::string_view toml_text,
                                                                      std::string_view source,
                                                                      const env_lookup& env) {
  toml::table parsed;
  try {
    parsed = toml::parse(toml_text, source);
  } catch (const toml::parse_error& err) {
    std::ostringstream msg;
    msg << source << ":" << err.source().begin.line << ":" << err.source().begin.column << ": "
        << err.description();
    return config_error{msg.str()};
  }
  return load(&parsed, source, env);
}

boost::system::result<settings, config_error> load_settings(
    const std::optional<std::string>& config_path, const env_lookup& env) {
  if (!config_path) return load(nullptr, "", env);
  std::ifstream in(*config_path, std::ios::binary);
  if (!in) return config_error{*config_path + ": cannot be opened"};
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_settings_from_text(ss.str(), *config_path, env);
}

boost::system::result<listen_address, config_error> parse_listen(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return config_error{"expected host:port"};
  std::string host(text.substr(0, colon));
  const auto port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) return config_error{"'" + host + "' is not an IP address"};
  std::uint16_t port = 0;
  if (auto err = parse_number<std::uint16_t>(port_text, port, 0, 65535); !err.empty())
    return config_error{"port: " + err};
  return listen_address{host, port};
}

}  // namespace bot
