// playbook-bot: the command line. `serve` runs the HTTP service; `ask` prints an answer in the
// terminal; `review` reviews proposal files; `decisions` reads and fills the decision log;
// `outbox` shows and handles undelivered ticket comments; `settings` lists every setting with its
// default.

#include "bot/chat_service.hpp"
#include "bot/decision_service.hpp"
#include "bot/decision_command.hpp"
#include "bot/data_cli.hpp"
#include "bot/decisions_cli.hpp"
#include "bot/metrics.hpp"
#include "bot/outbox_cli.hpp"
#include "bot/outbox_worker.hpp"
#include "bot/ticket_hooks.hpp"
#include "bot/ticket_worker.hpp"
#include "bot/worker_loop.hpp"
#include "integrations/github/api.hpp"
#include "integrations/gitlab/api.hpp"
#include "integrations/http/client.hpp"
#include "integrations/jira/api.hpp"
#include "bot/review_record.hpp"
#include "bot/slack_groups.hpp"
#include "bot/review_answer.hpp"
#include "bot/config.hpp"
#include "bot/log.hpp"
#include "bot/router.hpp"
#include "bot/server.hpp"
#include "integrations/markdown/render.hpp"
#include "integrations/plain/render.hpp"
#include "knowledge/document.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"
#include "knowledge/review_json.hpp"
#include "storage/database.hpp"
#include "storage/instance_lock.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <malloc.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

const auto process_start = std::chrono::steady_clock::now();

constexpr std::string_view usage = R"(playbook-bot — the AI-training vendor playbook in chat

Usage:
  playbook-bot serve [--config FILE]      run the HTTP service (Slack, Mattermost, Teams,
                                          ticket webhooks from Jira, GitHub and GitLab, health,
                                          metrics)
  playbook-bot ask [--config FILE] WORDS  print the answer to `/playbook WORDS` as Markdown
  playbook-bot review [--format text|markdown|json] [--vendor NAME] [--config FILE] FILE...
                                          review training proposals (text, Markdown, PDF, DOCX;
                                          `-` reads standard input); exit 1 if one is unreadable;
                                          --vendor also stores the reviews in the decision log
  playbook-bot decisions list|show|search|export|import|alias ...
                                          the vendor decision log (decisions --help)
  playbook-bot outbox list|retry ID|drop ID
                                          review comments not yet delivered to ticket systems
                                          (outbox --help)
  playbook-bot backup [--config FILE] DEST
                                          copy the database to DEST, consistently, while the
                                          server runs (SQLite's online backup)
  playbook-bot restore [--config FILE] BACKUP
                                          replace the database with a backup; refused while a
                                          server holds the database
  playbook-bot check [--config FILE]      check the database's integrity and report
  playbook-bot healthcheck [--config FILE]
                                          exit 0 when the local server answers GET /healthz
  playbook-bot check-playbook FILE        validate a playbook file and print its effective rules
  playbook-bot settings                   list every setting, its default and what it does
  playbook-bot --help | --version

Settings come from the TOML file given with --config, overridden by environment variables;
secrets may also be given as NAME_FILE (a path to a mounted secret).
)";

struct cli_args {
  std::optional<std::string> config;
  std::string vendor;  // review --vendor: store the reviews under this vendor
  std::string format = "text";
  std::vector<std::string> rest;
  std::string problem;
};

cli_args parse_args(int argc, char** argv, int first) {
  cli_args out;
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--config") {
      if (i + 1 >= argc) {
        out.problem = "--config needs a file";
        return out;
      }
      out.config = argv[++i];
    } else if (arg.starts_with("--config=")) {
      out.config = arg.substr(9);
    } else if (arg == "--vendor" || arg.starts_with("--vendor=")) {
      if (arg == "--vendor" && i + 1 >= argc) {
        out.problem = "--vendor needs a vendor name";
        return out;
      }
      out.vendor = arg == "--vendor" ? argv[++i] : arg.substr(9);
      if (const auto name = bot::parse_vendor_name(out.vendor, "playbook-bot review --vendor"); !name) {
        out.problem = name.error().message;
        return out;
      }
    } else if (arg == "--format" || arg.starts_with("--format=")) {
      if (arg == "--format" && i + 1 >= argc) {
        out.problem = "--format needs text, markdown or json";
        return out;
      }
      out.format = arg == "--format" ? argv[++i] : arg.substr(9);
      if (out.format != "text" && out.format != "markdown" && out.format != "json") {
        out.problem = "--format must be text, markdown or json";
        return out;
      }
    } else {
      out.rest.push_back(arg);
    }
  }
  return out;
}

int fail(const std::string& message, int code = 1) {
  bot::log::flush();  // what was logged before comes first
  std::cerr << "playbook-bot: " << message << "\n";
  return code;
}

// Who runs a CLI command, for the audit log: the operating-system user.
storage::actor cli_user() {
  storage::actor me;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr)
    me.id = pw->pw_name;
  else
    me.id = "uid " + std::to_string(geteuid());
  me.source = "cli";
  return me;
}

// The words after a database subcommand (decisions, outbox), with --config FILE taken out.
struct db_command_args {
  std::optional<std::string> config;
  std::vector<std::string> rest;
};

db_command_args db_args(int argc, char** argv) {
  db_command_args out;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc)
      out.config = argv[++i];
    else if (arg.starts_with("--config="))
      out.config = arg.substr(9);
    else
      out.rest.push_back(arg);
  }
  return out;
}

int outbox(int argc, char** argv) {
  const auto args = db_args(argc, argv);
  auto cfg = bot::load_settings(args.config);
  if (!cfg) return fail("configuration: " + cfg.error().message, 2);
  return bot::run_outbox_cli(args.rest, *cfg, bot::system_now(), std::cout, std::cerr);
}

// backup, restore, check and healthcheck: settings, then the command's own words.
int data_command(const std::string& cmd, int argc, char** argv) {
  const auto args = db_args(argc, argv);
  auto cfg = bot::load_settings(args.config);
  if (!cfg) return fail("configuration: " + cfg.error().message, 2);
  if (cmd == "backup") return bot::run_backup(args.rest, *cfg, std::cout, std::cerr);
  if (cmd == "restore") return bot::run_restore(args.rest, *cfg, std::cout, std::cerr);
  if (cmd == "check") return bot::run_check(args.rest, *cfg, std::cout, std::cerr);
  return bot::run_healthcheck(args.rest, *cfg, std::cout, std::cerr);
}

int decisions(int argc, char** argv) {
  const auto args = db_args(argc, argv);
  auto cfg = bot::load_settings(args.config);
  if (!cfg) return fail("configuration: " + cfg.error().message, 2);
  return bot::run_decisions_cli(args.rest, *cfg, cli_user(), bot::system_now(), std::cout, std::cerr);
}

knowledge::extract_limits document_limits(const bot::settings& s) {
  knowledge::extract_limits l;
  l.max_bytes = s.max_document_bytes;
  l.max_pages = s.max_document_pages;
  return l;
}

std::optional<knowledge::playbook> load_book(const bot::settings& s, std::string& problem) {
  auto book = knowledge::load_playbook(s.playbook_file);
  if (!book) {
    problem = "playbook: " + book.error().message;
    return std::nullopt;
  }
  return std::move(*book);
}

int serve(const cli_args& args) {
  if (!args.rest.empty()) return fail("serve: unexpected argument '" + args.rest.front() + "'", 2);
  auto cfg = bot::load_settings(args.config);
  if (!cfg) return fail("configuration: " + cfg.error().message, 2);
  const bot::settings& s = *cfg;
  bot::log::set_level(s.log_level);

  std::string problem;
  auto book = load_book(s, problem);
  if (!book) return fail(problem);

  try {
    // One server per database: a second one, or a restore, would pull it from under this one.
    const storage::instance_lock owner(s.db_path, "serve");
    auto db_options = bot::database_options_of(s);
    db_options.background_checkpoint = true;  // no request waits for a checkpoint's disk sync
    storage::database db(db_options);
    bot::metrics::set_build_info(PLAYBOOK_BOT_VERSION, storage::database::schema_version());
    storage::decision_store store(db);
    const bot::decider_policy policy(bot::parse_deciders(s.deciders).value());
    if (!policy.slack_groups().empty() && s.slack_bot_token.empty())
      return fail("configuration: PLAYBOOK_DECIDERS names Slack user groups; their members are "
                  "read with SLACK_BOT_TOKEN (scope usergroups:read), which is not set", 2);
    bot::slack_groups groups(policy.slack_groups(),
                             bot::slack_api_fetch(s.slack_api_url, s.slack_bot_token));
    groups.start();
    bot::decision_service decisions(
        store, policy,
        [&groups](std::string_view group, std::string_view user) { return groups.member(group, user); },
        bot::system_now);
    bot::chat_service chat(*book, "/playbook", bot::surface::chat, document_limits(s));
    chat.attach(decisions);
    // Teams: users @mention the outgoing webhook (named "Playbook" in the README's set-up), and
    // every answer goes to the thread, so hints say "@Playbook" and never offer `public`.
    // Built only when Teams is on: its pre-rendered answers and search index cost start-up time
    // and memory.
    std::optional<bot::decision_service> teams_decisions;
    std::optional<bot::chat_service> teams_chat;
    bot::router router(s, chat, db);
    if (s.teams_enabled()) {
      teams_decisions.emplace(
          store, policy,
          [&groups](std::string_view group, std::string_view user) { return groups.member(group, user); },
          bot::system_now, "@Playbook");
      teams_chat.emplace(*book, "@Playbook", bot::surface::channel, document_limits(s));
      teams_chat->attach(*teams_decisions);
      router.attach_teams(*teams_chat);
    }

    // Tickets: webhooks into the inbox, the ticket worker reviews, the outbox worker comments.
    if (const auto problem = bot::ticket_settings_problem(s); !problem.empty())
      return fail("configuration: " + problem, 2);
    const integrations::http::client http_client({s.ca_file, s.allow_insecure_http});
    std::optional<integrations::jira::api> jira_api;
    std::optional<integrations::github::api> github_api;
    std::optional<integrations::gitlab::api> gitlab_api;
    bot::tracker_apis apis;
    if (s.jira_enabled())
      apis.jira = &jira_api.emplace(
          http_client, integrations::jira::api_settings{
                           s.jira_base_url,
                           s.jira_deployment == "datacenter" ? integrations::jira::deployment::datacenter
                                                             : integrations::jira::deployment::cloud,
                           s.jira_user, s.jira_api_token});
    if (s.github_enabled())
      apis.github = &github_api.emplace(
          http_client, integrations::github::api_settings{s.github_api_url, s.github_token});
    if (s.gitlab_enabled())
      apis.gitlab = &gitlab_api.emplace(
          http_client, integrations::gitlab::api_settings{s.gitlab_api_url, s.gitlab_token});
    storage::ticket_store tickets(db);
    bot::outbox_worker delivery(tickets, apis, s.delivery_attempts);
    bot::worker_loop outbox_loop("outbox", [&delivery] { return delivery.deliver_next(); }, 4);
    bot::ticket_worker reviewer(tickets, *book, s, apis, [&outbox_loop] { outbox_loop.wake(); });
    bot::worker_loop ticket_loop("tickets", [&reviewer] { return reviewer.process_next(); }, 1);
    const bot::ticket_hooks hooks(s, tickets, [&ticket_loop] { ticket_loop.wake(); });
    router.attach(hooks);
    router.attach_queue_stats([&tickets] { return tickets.stats(bot::system_now()); });
    // One server owns the database: claims left by a process that died are free again.
    tickets.release_leases();
    bot::server srv(bot::limits_from(s), [&router](const bot::request& req,
                                                   const bot::request_context& ctx) {
      return router.handle(req, ctx);
    });
    srv.listen(s.listen.host, s.listen.port);
    const auto port = srv.port();  // before start(): a signal may close the listener any moment

    bot::log::info("integrations",
                   {{"slack", s.slack_enabled() ? "on" : "off (SLACK_SIGNING_SECRET not set)"},
                    {"mattermost", s.mattermost_enabled()
                                       ? "on"
                                       : "off (MATTERMOST_COMMAND_TOKENS not set)"},
                    {"teams", s.teams_enabled() ? "on" : "off (TEAMS_HMAC_SECRET not set)"}});
    if (s.metrics_token.empty() && !integrations::http::is_loopback_host(s.listen.host))
      bot::log::warn("metrics", {{"open", "GET /metrics answers anyone who can reach " +
                                              s.listen.host + "; set PLAYBOOK_METRICS_TOKEN "
                                              "or keep the port private"}});
    if (policy.open())
      bot::log::warn("deciders", {{"who_may_record", "everyone (PLAYBOOK_DECIDERS is empty)"}});
    else
      bot::log::info("deciders", {{"who_may_record", policy.describe()}});
    if (s.allow_insecure_http)
      bot::log::warn("outbound http", {{"insecure", "plain http:// is allowed to any host "
                                                    "(PLAYBOOK_ALLOW_INSECURE_HTTP)"}});
    bot::log::info("tickets",
                   {{"jira", s.jira_enabled() ? "on (" + s.jira_deployment + ")"
                                              : std::string("off (JIRA_WEBHOOK_SECRET not set)")},
                    {"github", s.github_enabled() ? "on" : "off (GITHUB_WEBHOOK_SECRET not set)"},
                    {"gitlab", s.gitlab_enabled() ? "on" : "off (GITLAB_WEBHOOK_TOKEN not set)"}});
    ticket_loop.start();
    outbox_loop.start();
    srv.start(true);
    const auto startup = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - process_start);
    bot::log::info("listening", {{"address", s.listen.host},
                                 {"port", port},
                                 {"database", s.db_path},
                                 {"playbook", s.playbook_file.empty() ? "embedded" : s.playbook_file},
                                 {"startup_ms", static_cast<double>(startup.count()) / 1000.0}});
    const bool clean = srv.wait();
    // After the last request: nothing new arrives, and what is half done stays in the inbox or
    // outbox for the next start.
    ticket_loop.stop();
    outbox_loop.stop();
    bot::log::info("stopped", {{"drained", clean}});
    bot::log::flush();
    return 0;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

int ask(const cli_args& args) {
  auto cfg = bot::load_settings(args.config);
  if (!cfg) return fail("configuration: " + cfg.error().message, 2);
  std::string problem;
  auto book = load_book(*cfg, problem);
  if (!book) return fail(problem);
  std::string text;
  for (const auto& w : args.rest) {
    if (!text.empty()) text += ' ';
    text += w;
  }
  const bot::chat_service chat(*book, "playbook-bot ask", bot::surface::terminal,
                               document_limits(*cfg));
  std::cout << chat.markdown(text) << "\n";
  return 0;
}

int review_files(const cli_args& args) {
  if (args.rest.empty()) return fail("review: name at least one file (- for standard input)", 2);
  // Several large documents in a row: keep freed memory for reuse rather than returning large
  // blocks to the kernel after each (fresh pages made repeated 1 MB reviews twice as slow).
  // Not for `serve`, where the same settings cost the slash-command path 10 % (measured).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  auto cfg = bot::load_settings(args.config);
  if (!cfg) return fail("configuration: " + cfg.error().message, 2);
  std::string problem;
  auto book = load_book(*cfg, problem);
  if (!book) return fail(problem);

  int status = 0;
  std::vector<std::pair<std::string, knowledge::review>> reviews;
  std::vector<storage::review_input> to_store;
  for (const auto& file : args.rest) {
    auto doc = knowledge::read_document(file, document_limits(*cfg));
    if (!doc) {
      std::cerr << "playbook-bot: " << doc.error().message << "\n";
      status = 1;
      continue;
    }
    reviews.emplace_back(file, knowledge::review_document(*doc, *book));
    if (!args.vendor.empty()) {
      std::string text;
      for (const auto& line : doc->lines) text += line.text + "\n";
      to_store.push_back(bot::review_record(reviews.back().second, args.vendor, text,
                                            "cli:" + (file == "-" ? std::string("stdin") : file),
                                            cli_user(), bot::system_now()));
    }
  }
  if (!to_store.empty()) {
    storage::database db(bot::database_options_of(*cfg));
    storage::decision_store store(db);
    for (const auto& r : to_store) store.record_review(r);
    std::cerr << "playbook-bot: stored " << to_store.size() << " review"
              << (to_store.size() == 1 ? "" : "s") << " for " << args.vendor << " in " << cfg->db_path
              << "\n";
  }
  if (args.format == "json") {
    if (reviews.size() == 1 && args.rest.size() == 1) {
      std::cout << knowledge::review_json_text(reviews.front().second);
    } else {
      boost::json::array all;
      for (const auto& [file, r] : reviews)
        all.emplace_back(boost::json::object{{"file", file}, {"review", knowledge::review_to_json(r)}});
      std::cout << boost::json::serialize(all) << "\n";
    }
    return status;
  }
  bot::review_layout layout;
  bool first = true;
  for (const auto& [file, r] : reviews) {
    auto msg = bot::review_message(r, layout);
    msg.title += " \xE2\x80\x94 " + (file == "-" ? std::string("standard input") : file);
    if (!first) std::cout << "\n";
    first = false;
    if (args.format == "markdown")
      std::cout << integrations::markdown::render(msg, {.defuse_mentions = false, .title_level = 1})
                << "\n";
    else
      std::cout << integrations::plain::render(msg) << "\n";
  }
  return status;
}

int check_playbook(const cli_args& args) {
  if (args.rest.size() != 1) return fail("check-playbook: name one playbook file", 2);
  auto book = knowledge::load_playbook(args.rest.front());
  if (!book) return fail(book.error().message);
  std::cout << args.rest.front() << ": valid playbook \"" << book->title << "\"\n\n"
            << knowledge::describe_rules(book->review);
  return 0;
}

int list_settings() {
  for (const auto& s : bot::known_settings()) {
    std::cout << s.env << "  ([" << s.table << "] " << s.key << ")\n    " << s.description
              << "\n    default: " << (s.default_text.empty() ? "(unset)" : s.default_text)
              << (s.secret ? "; secret: also " + std::string(s.env) + "_FILE" : std::string())
              << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << usage;
    return 2;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << usage;
    return 0;
  }
  if (cmd == "--version" || cmd == "version") {
    std::cout << "playbook-bot " << PLAYBOOK_BOT_VERSION << "\n";
    return 0;
  }
  if (cmd == "decisions" || cmd == "outbox") {
    try {
      return cmd == "decisions" ? decisions(argc, argv) : outbox(argc, argv);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  }
  if (cmd == "backup" || cmd == "restore" || cmd == "check" || cmd == "healthcheck") {
    try {
      return data_command(cmd, argc, argv);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  }
  const auto args = parse_args(argc, argv, 2);
  if (!args.problem.empty()) return fail(args.problem, 2);
  try {
    if (cmd == "serve") return serve(args);
    if (cmd == "ask") return ask(args);
    if (cmd == "review") return review_files(args);
    if (cmd == "check-playbook") return check_playbook(args);
    if (cmd == "settings") return list_settings();
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  std::cerr << "playbook-bot: unknown command '" << cmd << "'\n\n" << usage;
  return 2;
}
