#include "bot/router.hpp"

#include "bot/log.hpp"
#include "bot/metrics.hpp"
#include "bot/ticket_hooks.hpp"
#include "integrations/http/crypto.hpp"
#include "integrations/http/form.hpp"
#include "integrations/mattermost/command.hpp"
#include "integrations/slack/command.hpp"
#include "integrations/teams/activity.hpp"
#include "integrations/text/ascii.hpp"
#include "integrations/text/utf8.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <iterator>
#include <strings.h>

namespace bot {
namespace im = integrations;

namespace {

std::string_view path_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

// A header that must appear once: nullopt when absent or repeated (ambiguous, so untrusted).
// One look-up (equal_range) rather than two (count, then operator[]).
template <class Name>
std::optional<std::string_view> single_header(const request& req, Name name) {
  const auto [first, last] = req.equal_range(name);
  if (first == last || std::next(first) != last) return std::nullopt;
  return first->value();
}

// The request's media type is `expected` (parameters such as charset aside).
bool has_media_type(const request& req, std::string_view expected) {
  std::string_view type = req[http::field::content_type];
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return type.size() == expected.size() &&
         strncasecmp(type.data(), expected.data(), expected.size()) == 0;
}

bool is_form(const request& req) {
  return has_media_type(req, "application/x-www-form-urlencoded");
}

void log_rejected(const request_context& ctx, std::string_view platform, std::string_view why) {
  metrics::signature_failure(platform);
  log::warn("request rejected",
            {{"request_id", ctx.request_id}, {"platform", platform}, {"reason", why}});
}

response method_not_allowed(const request& req, std::string_view allow) {
  auto res = error_response(req, http::status::method_not_allowed,
                            "method " + std::string(req.method_string()) + " is not allowed here");
  res.set(http::field::allow, allow);
  return res;
}

}  // namespace

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

response json_response(const request& req, http::status status, std::string body) {
  response res{status, req.version()};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response error_response(const request& req, http::status status, std::string_view message) {
  // Messages may quote what the client sent (a path, a method); JSON must stay UTF-8.
  return json_response(req, status,
                       boost::json::serialize(boost::json::object{
                           {"error", integrations::utf8::sanitize(message)}}));
}

router::router(const settings& config, const chat_service& chat, storage::database& db,
               clock_fn now)
    : chat_(chat), db_(db), now_(std::move(now)) {
  if (config.slack_enabled()) slack_.emplace(config.slack_signing_secret);
  if (config.mattermost_enabled()) mattermost_.emplace(config.mattermost_command_tokens);
  if (config.teams_enabled()) teams_.emplace(config.teams_hmac_secrets);
  metrics_token_ = config.metrics_token;
}

response router::handle(const request& req, const request_context& ctx) const {
  const std::string_view path = path_of(req.target());
  if (path == "/slack/commands") {
    if (req.method() != http::verb::post) return method_not_allowed(req, "POST");
    return slack_commands(req, ctx);
  }
  if (path == "/mattermost/commands") {
    if (req.method() != http::verb::post && req.method() != http::verb::get)
      return method_not_allowed(req, "GET, POST");
    return mattermost_commands(req, ctx);
  }
  if (path == "/teams/messages") {
    if (req.method() != http::verb::post) return method_not_allowed(req, "POST");
    return teams_messages(req, ctx);
  }
  if (path.starts_with("/hooks/")) {
    const auto system = path.substr(7);
    if (system != "jira" && system != "github" && system != "gitlab")
      return error_response(req, http::status::not_found, "no route for " + std::string(path.substr(0, 200)));
    if (req.method() != http::verb::post) return method_not_allowed(req, "POST");
    if (hooks_ == nullptr)
      return error_response(req, http::status::not_found, "ticket webhooks are not served here");
    if (system == "jira") return hooks_->jira(req, ctx);
    if (system == "github") return hooks_->github(req, ctx);
    return hooks_->gitlab(req, ctx);
  }
  if (path == "/healthz") {
    if (req.method() != http::verb::get) return method_not_allowed(req, "GET");
    return json_response(req, http::status::ok, R"({"status":"ok"})");
  }
  if (path == "/readyz") {
    if (req.method() != http::verb::get) return method_not_allowed(req, "GET");
    return readyz(req, ctx);
  }
  if (path == "/metrics") {
    if (req.method() != http::verb::get) return method_not_allowed(req, "GET");
    return metrics(req, ctx);
  }
  return error_response(req, http::status::not_found, "no route for " + std::string(path.substr(0, 200)));
}

response router::readyz(const request& req, const request_context& ctx) const {
  const bool database_ok = db_.ping();
  boost::json::object checks{{"database", database_ok ? "ok" : "unavailable"},
                             {"playbook", "ok"},  // loaded and validated before the server starts
                             {"accepting", ctx.draining ? "shutting down" : "ok"}};
  if (database_ok && !ctx.draining)
    return json_response(req, http::status::ok,
                         boost::json::serialize(boost::json::object{{"status", "ready"},
                                                                    {"checks", checks}}));
  return json_response(
      req, http::status::service_unavailable,
      boost::json::serialize(boost::json::object{
          {"error", ctx.draining ? "shutting down" : "database unavailable"}, {"checks", checks}}));
}

response router::slack_commands(const request& req, const request_context& ctx) const {
  if (!slack_)
    return error_response(req, http::status::not_found,
                          "the Slack integration is disabled: SLACK_SIGNING_SECRET is not set");
  const std::string_view body = req.body();
  // Slack's periodic certificate probe: answered, and nothing else done with it.
  if (im::form_has_exact_field(body, "ssl_check", "1"))
    return json_response(req, http::status::ok, "{}");

  const auto status = slack_->verify(single_header(req, "X-Slack-Request-Timestamp"),
                                     single_header(req, "X-Slack-Signature"), body, now_());
  if (status != im::slack::verify_status::ok) {
    log_rejected(ctx, "slack", im::slack::describe(status));
    return error_response(req, http::status::unauthorized, im::slack::describe(status));
  }
  if (!is_form(req))
    return error_response(req, http::status::unsupported_media_type,
                          "expected Content-Type application/x-www-form-urlencoded");
  const auto fields = im::parse_form(body);
  if (!fields) return error_response(req, http::status::bad_request, fields.error().message);
  auto cmd = im::slack::parse_command(*fields);
  if (!cmd) return error_response(req, http::status::bad_request, cmd.error().message);
  cmd->request_id = std::string(ctx.request_id);
  return json_response(req, http::status::ok, chat_.respond(*cmd));
}

response router::mattermost_commands(const request& req, const request_context& ctx) const {
  if (!mattermost_)
    return error_response(
        req, http::status::not_found,
        "the Mattermost integration is disabled: MATTERMOST_COMMAND_TOKENS is not set");
  const bool is_get = req.method() == http::verb::get;
  if (!is_get && !is_form(req))
    return error_response(req, http::status::unsupported_media_type,
                          "expected Content-Type application/x-www-form-urlencoded");
  const auto fields = im::parse_form(is_get ? query_of(req.target()) : std::string_view(req.body()));
  // Authentication comes first: a malformed request from someone without the token is a 401.
  std::optional<std::string_view> form_token;
  if (fields) {
    if (auto t = fields->single("token"); t && *t) form_token = **t;
  }
  if (!mattermost_->accepts(single_header(req, http::field::authorization), form_token)) {
    log_rejected(ctx, "mattermost", "missing or unknown command token");
    return error_response(req, http::status::unauthorized, "missing or unknown command token");
  }
  if (!fields) return error_response(req, http::status::bad_request, fields.error().message);
  auto cmd = im::mattermost::parse_command(*fields);
  if (!cmd) return error_response(req, http::status::bad_request, cmd.error().message);
  cmd->request_id = std::string(ctx.request_id);
  return json_response(req, http::status::ok, chat_.respond(*cmd));
}

response router::teams_messages(const request& req, const request_context& ctx) const {
  if (!teams_)
    return error_response(req, http::status::not_found,
                          "the Microsoft Teams integration is disabled: TEAMS_HMAC_SECRET is not set");
  // The signature covers the raw bytes: checked before anything reads them.
  const auto status = teams_->verify(single_header(req, http::field::authorization), req.body());
  if (status != im::teams::verify_status::ok) {
    log_rejected(ctx, "teams", im::teams::describe(status));
    return error_response(req, http::status::unauthorized, im::teams::describe(status));
  }
  if (req.count(http::field::content_type) != 0 && !has_media_type(req, "application/json"))
    return error_response(req, http::status::unsupported_media_type,
                          "expected Content-Type application/json");
  auto cmd = im::teams::parse_activity(req.body());
  if (!cmd) return error_response(req, http::status::bad_request, cmd.error().message);
  cmd->request_id = std::string(ctx.request_id);
  const chat_service& chat = teams_chat_ != nullptr ? *teams_chat_ : chat_;
  return json_response(req, http::status::ok, chat.respond(*cmd));
}

response router::metrics(const request& req, const request_context& ctx) const {
  if (!metrics_token_.empty()) {
    constexpr std::string_view scheme = "bearer ";
    const auto auth = single_header(req, http::field::authorization);
    const bool ok = auth && im::text::starts_with_icase(*auth, 0, scheme) &&
                    im::crypto::tokens_equal(auth->substr(scheme.size()), metrics_token_);
    if (!ok) {
      log_rejected(ctx, "metrics", auth ? "wrong bearer token" : "no bearer token");
      auto res = error_response(req, http::status::unauthorized,
                                "GET /metrics needs Authorization: Bearer <PLAYBOOK_METRICS_TOKEN>");
      res.set(http::field::www_authenticate, "Bearer realm=\"metrics\"");
      return res;
    }
  }
  metrics::scrape_inputs in;
  in.now = now_();
  in.busy_retries = storage::busy_retries();
  if (queue_stats_) in.queues = queue_stats_();
  response res{http::status::ok, req.version()};
  res.set(http::field::content_type, metrics::content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = metrics::exposition(in);
  res.prepare_payload();
  return res;
}

}  // namespace bot
