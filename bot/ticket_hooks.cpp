#include "bot/ticket_hooks.hpp"

#include "bot/log.hpp"
#include "bot/metrics.hpp"
#include "bot/ticket_scope.hpp"
#include "integrations/http/crypto.hpp"
#include "integrations/tickets/marker.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <iterator>

namespace bot {
namespace tk = integrations::tickets;

namespace {

// A header that must appear at most once; "" when absent, nullopt when repeated (ambiguous).
std::optional<std::string_view> header(const request& req, std::string_view name) {
  const auto [first, last] = req.equal_range(name);
  if (first == last) return std::string_view{};
  if (std::next(first) != last) return std::nullopt;
  return first->value();
}

response accepted(const request& req, std::string_view status, std::string_view detail = {}) {
  boost::json::object body{{"status", status}};
  if (!detail.empty()) body["detail"] = detail;
  return json_response(req, http::status::accepted, boost::json::serialize(body));
}

// A sender without a delivery id (Jira Data Center documents none): the body itself identifies
// the delivery, so a byte-identical re-delivery is recognised.
std::string delivery_or_hash(std::string_view delivery, std::string_view body) {
  if (!delivery.empty() && delivery.size() <= 200) return std::string(delivery);
  return "sha256:" + integrations::crypto::to_hex(integrations::crypto::sha256(body));
}

response disabled(const request& req, std::string_view system, std::string_view setting) {
  return error_response(req, http::status::not_found,
                        "the " + std::string(system) + " integration is disabled: " +
                            std::string(setting) + " is not set");
}

response rejected(const request& req, const request_context& ctx, std::string_view system,
                  std::string_view why) {
  metrics::signature_failure(system);
  log::warn("request rejected",
            {{"request_id", ctx.request_id}, {"platform", system}, {"reason", why}});
  return error_response(req, http::status::unauthorized, why);
}

}  // namespace

std::string stored_payload(std::string_view event_name, std::string_view body) {
  std::string out;
  out.reserve(event_name.size() + 1 + body.size());
  out.append(event_name).push_back('\n');
  out.append(body);
  return out;
}

integrations::result<tk::hook> parse_stored_payload(tk::tracker system, std::string_view payload) {
  const auto newline = payload.find('\n');
  if (newline == std::string_view::npos) return integrations::error{"stored event has no event line"};
  const auto event = payload.substr(0, newline);
  const auto body = payload.substr(newline + 1);
  switch (system) {
    case tk::tracker::jira:
      return integrations::jira::parse_webhook(body);
    case tk::tracker::github:
      return integrations::github::parse_webhook(event, body);
    case tk::tracker::gitlab:
      return integrations::gitlab::parse_webhook(event, body);
  }
  return integrations::error{"unknown ticket system"};
}

ticket_hooks::ticket_hooks(const settings& s, storage::ticket_store& store,
                           std::function<void()> wake, clock_fn now)
    : settings_(s), store_(store), wake_(std::move(wake)), now_(std::move(now)) {
  if (s.jira_enabled()) jira_.emplace(s.jira_webhook_secret);
  if (s.github_enabled()) github_.emplace(s.github_webhook_secret);
  if (s.gitlab_enabled()) gitlab_.emplace(s.gitlab_webhook_token);
}

response ticket_hooks::jira(const request& req, const request_context& ctx) const {
  if (!jira_) return disabled(req, "Jira", "JIRA_WEBHOOK_SECRET");
  const auto signature = header(req, "X-Hub-Signature");
  if (!signature) return rejected(req, ctx, "jira", "more than one X-Hub-Signature header");
  if (auto ok = jira_->verify(*signature, req.body()); !ok)
    return rejected(req, ctx, "jira", ok.error().message);
  const auto delivery = header(req, "X-Atlassian-Webhook-Identifier").value_or("");
  return accept(req, ctx, tk::tracker::jira, "", integrations::jira::parse_webhook(req.body()),
                delivery_or_hash(delivery, req.body()));
}

response ticket_hooks::github(const request& req, const request_context& ctx) const {
  if (!github_) return disabled(req, "GitHub", "GITHUB_WEBHOOK_SECRET");
  const auto signature = header(req, "X-Hub-Signature-256");
  if (!signature) return rejected(req, ctx, "github", "more than one X-Hub-Signature-256 header");
  if (auto ok = github_->verify(*signature, req.body()); !ok)
    return rejected(req, ctx, "github", ok.error().message);
  const auto event = header(req, "X-GitHub-Event");
  if (!event || event->empty())
    return error_response(req, http::status::bad_request, "missing X-GitHub-Event header");
  const auto delivery = header(req, "X-GitHub-Delivery").value_or("");
  return accept(req, ctx, tk::tracker::github, *event,
                integrations::github::parse_webhook(*event, req.body()),
                delivery_or_hash(delivery, req.body()));
}

response ticket_hooks::gitlab(const request& req, const request_context& ctx) const {
  if (!gitlab_) return disabled(req, "GitLab", "GITLAB_WEBHOOK_TOKEN");
  const auto token = header(req, "X-Gitlab-Token");
  if (!token) return rejected(req, ctx, "gitlab", "more than one X-Gitlab-Token header");
  if (auto ok = gitlab_->verify(*token); !ok) return rejected(req, ctx, "gitlab", ok.error().message);
  const auto event = header(req, "X-Gitlab-Event");
  if (!event || event->empty())
    return error_response(req, http::status::bad_request, "missing X-Gitlab-Event header");
  // Idempotency-Key stays the same across GitLab's retries and "Resend"; older GitLab versions
  // only send the event UUID.
  auto delivery = header(req, "Idempotency-Key").value_or("");
  if (delivery.empty()) delivery = header(req, "X-Gitlab-Event-UUID").value_or("");
  return accept(req, ctx, tk::tracker::gitlab, *event,
                integrations::gitlab::parse_webhook(*event, req.body()),
                delivery_or_hash(delivery, req.body()));
}

response ticket_hooks::accept(const request& req, const request_context& ctx, tk::tracker system,
                              std::string_view event_name, integrations::result<tk::hook> parsed,
                              std::string delivery) const {
  const auto name = tk::name_of(system);
  // A verified sender whose body we cannot read: a permanent error, so a 400 (never a status the
  // sender would retry).
  if (!parsed) return error_response(req, http::status::bad_request, parsed.error().message);
  if (std::holds_alternative<tk::ping>(*parsed))
    return json_response(req, http::status::ok, R"({"status":"pong"})");
  if (const auto* skip = std::get_if<tk::ignored>(&*parsed)) return accepted(req, "ignored", skip->reason);

  const auto& e = std::get<tk::ticket_event>(*parsed);
  // The bot's own comment coming back: nothing to do (and no loop).
  if (e.comment_body.find(tk::review_marker) != std::string::npos)
    return accepted(req, "ignored", "the bot's own comment");
  const storage::ticket_id id{std::string(name), e.where.key()};
  const auto scope = scope_of(settings_, system);
  const bool wanted = (!e.partial && in_scope(scope, e)) ||
                      (project_in_scope(scope, e) && store_.is_tracked(id));
  if (!wanted) return accepted(req, "ignored", "not a procurement ticket for AI training");

  const auto added = store_.add_event(id, delivery, stored_payload(event_name, req.body()), now_(),
                                      ctx.request_id);
  const bool fresh = added == storage::inbox_result::added;
  log::info(fresh ? "ticket event queued" : "ticket event already queued",
            {{"request_id", ctx.request_id}, {"platform", name}, {"ticket", id.key},
             {"action", e.action}, {"delivery", delivery}, {"bytes", req.body().size()}});
  if (fresh && wake_) wake_();
  return accepted(req, fresh ? "queued" : "duplicate");
}

}  // namespace bot
