#pragma once
// The HTTP handler: a function from request to response that never sees a socket. Routes
// requests, verifies and parses chat commands, and turns every failure into a status and a JSON
// {"error": "..."} body, here and nowhere else.

#include "bot/chat_service.hpp"
#include "bot/config.hpp"
#include "integrations/mattermost/auth.hpp"
#include "integrations/slack/verify.hpp"
#include "integrations/teams/verify.hpp"
#include "storage/database.hpp"
#include "storage/tickets.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace bot {

namespace http = boost::beast::http;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

struct request_context {
  std::string_view request_id;
  bool draining = false;  // the server is shutting down: /readyz says so
};

// Unix time in seconds; injected so tests can fix it.
using clock_fn = std::function<std::int64_t()>;
std::int64_t system_now();

// A response with a JSON body; keep-alive and version follow the request.
response json_response(const request& req, http::status status, std::string body);

// {"error": message} with the status; the one place failures become HTTP.
response error_response(const request& req, http::status status, std::string_view message);

class ticket_hooks;

class router {
 public:
  // All references must outlive the router.
  router(const settings& config, const chat_service& chat, storage::database& db,
         clock_fn now = system_now);

  response handle(const request& req, const request_context& ctx) const;

  // Serves /hooks/jira, /hooks/github and /hooks/gitlab with hooks (which must outlive the
  // router); without it those routes answer 404.
  void attach(const ticket_hooks& hooks) { hooks_ = &hooks; }

  // Answers /teams/messages with teams_chat (built for surface::channel, which must outlive the
  // router); without it Teams messages are answered by the chat service given at construction.
  void attach_teams(const chat_service& teams_chat) { teams_chat_ = &teams_chat; }

  // Where /metrics reads the ticket queues' depths; without it they show as empty.
  void attach_queue_stats(std::function<storage::queue_stats()> stats) { queue_stats_ = std::move(stats); }

 private:
  response slack_commands(const request& req, const request_context& ctx) const;
  response mattermost_commands(const request& req, const request_context& ctx) const;
  response teams_messages(const request& req, const request_context& ctx) const;
  response readyz(const request& req, const request_context& ctx) const;
  response metrics(const request& req, const request_context& ctx) const;

  const chat_service& chat_;
  storage::database& db_;
  clock_fn now_;
  const ticket_hooks* hooks_ = nullptr;
  std::optional<integrations::slack::request_verifier> slack_;
  std::optional<integrations::mattermost::token_checker> mattermost_;
  std::optional<integrations::teams::hmac_verifier> teams_;
  const chat_service* teams_chat_ = nullptr;
  std::string metrics_token_;
  std::function<storage::queue_stats()> queue_stats_;
};

}  // namespace bot
