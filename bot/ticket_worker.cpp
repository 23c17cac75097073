#include "bot/ticket_worker.hpp"

#include "bot/backoff.hpp"
#include "bot/log.hpp"
#include "bot/metrics.hpp"
#include "bot/review_record.hpp"
#include "bot/ticket_comment.hpp"
#include "bot/ticket_content.hpp"
#include "bot/ticket_hooks.hpp"
#include "bot/ticket_scope.hpp"
#include "integrations/jira/adf.hpp"
#include "integrations/jira/wiki.hpp"
#include "integrations/tickets/markdown.hpp"
#include "integrations/tickets/marker.hpp"
#include "knowledge/review.hpp"


namespace bot {
namespace tk = integrations::tickets;

namespace {


std::string comment_body(tk::tracker system, const settings& s, const integrations::message& m) {
  switch (system) {
    case tk::tracker::jira:
      return s.jira_deployment == "datacenter" ? integrations::jira::render_wiki(m, integrations::jira::comment_limit)
                                               : integrations::jira::render_adf(m, integrations::jira::comment_limit);
    case tk::tracker::github:
      return tk::render_markdown(m, tk::github_comment_limit);
    case tk::tracker::gitlab:
      return tk::render_markdown(m, tk::gitlab_comment_limit);
  }
  return {};
}


}  // namespace

ticket_worker::ticket_worker(storage::ticket_store& store, const knowledge::playbook& book,
                             const settings& s, tracker_apis apis, std::function<void()> queued,
                             clock_fn now)
    : store_(store), book_(book), settings_(s), apis_(apis), queued_(std::move(queued)),
      now_(std::move(now)) {}

bool ticket_worker::process_next() {
  const auto now = now_();
  auto ev = store_.next_event(now);
  if (!ev) return false;
  const auto system = tk::tracker_from_name(ev->system);
  if (!system) {
    store_.finish_event(ev->id, "failed", "unknown ticket system " + ev->system, now);
    return true;
  }
  auto parsed = parse_stored_payload(*system, ev->payload);
  if (!parsed) {
    // Verified and parsed once already, so this is a bot upgrade that reads it differently.
    log::error("ticket event unreadable", {{"request_id", ev->request_id}, {"event", ev->id},
                                           {"error", parsed.error().message}});
    store_.finish_event(ev->id, "failed", parsed.error().message, now);
    return true;
  }
  auto* e = std::get_if<tk::ticket_event>(&*parsed);
  if (e == nullptr) {
    store_.finish_event(ev->id, "ignored", "not a ticket event", now);
    return true;
  }
  handle(*ev, std::move(*e));
  return true;
}

void ticket_worker::postpone_or_fail(const storage::inbox_event& ev, const tk::api_failure& f,
                                     std::string_view doing) {
  const auto now = now_();
  const std::string why = std::string(doing) + ": " + f.message;
  if (f.retryable && static_cast<unsigned>(ev.attempts) + 1 < settings_.delivery_attempts) {
    const auto delay = retry_delay(ev.attempts, f.retry_after, random_jitter());
    log::warn("ticket event postponed", {{"request_id", ev.request_id}, {"ticket", ev.ticket},
                                         {"error", why}, {"retry_in_s", delay}});
    store_.postpone_event(ev.id, now + delay, why);
    return;
  }
  log::error("ticket event failed", {{"request_id", ev.request_id}, {"ticket", ev.ticket}, {"error", why}});
  store_.finish_event(ev.id, "failed", why, now);
}

void ticket_worker::handle(const storage::inbox_event& ev, tk::ticket_event e) {
  const auto system = e.where.system;
  const auto name = tk::name_of(system);
  const storage::ticket_id id{std::string(name), e.where.key()};
  const auto state = store_.state(id);
  const auto done = [&](std::string_view outcome, std::string_view note) {
    log::info("ticket event handled", {{"request_id", ev.request_id}, {"ticket", id.key},
                                       {"outcome", outcome}, {"note", note}});
    store_.finish_event(ev.id, outcome, note, now_());
  };

  // The bot's own comment (Jira has no hidden marker: its id is what identifies it).
  if (e.action == "commented" &&
      ((state && !state->comment_id.empty() && e.comment_id == state->comment_id) ||
       e.comment_body.find(tk::review_marker) != std::string::npos))
    return done("ignored", "the bot's own comment");

  tk::tracker_api* api = apis_.of(system);
  if (api == nullptr) return done("failed", "the " + std::string(name) + " integration is off");

  if (e.partial || !e.body) {
    auto fetched = api->fetch_issue(e.where);
    if (!fetched) return postpone_or_fail(ev, fetched.error(), "fetching the issue");
    e.title = std::move(fetched->title);
    e.body = std::move(fetched->body);
    e.labels = std::move(fetched->labels);
    e.attachments = std::move(fetched->attachments);
    if (!fetched->status.empty()) e.status = std::move(fetched->status);
    if (!fetched->resolution.empty()) e.resolution = std::move(fetched->resolution);
    if (!fetched->state.empty()) e.state = std::move(fetched->state);
    e.partial = false;
  }
  if (!in_scope(scope_of(settings_, system), e))
    return done("ignored", "not a procurement ticket for AI training");

  const auto now = now_();
  storage::ticket_outcome o;
  o.ticket = id;
  o.target = tk::to_json(e.where);
  const storage::actor by{e.actor, "", std::string(name), e.where.url};
  const std::string vendor = ticket_vendor(e);

  const std::string fingerprint = content_fingerprint(e);
  if (!state || state->content_hash != fingerprint) {
    std::vector<attachment_text> files;
    for (const auto& a : e.attachments) {
      if (!reviewable_attachment(a)) continue;
      if (a.size > settings_.attachment_limit) {
        files.push_back({a.filename, knowledge::error{"the file is " + std::to_string(a.size) +
                                                      " bytes; the limit is " +
                                                      std::to_string(settings_.attachment_limit)}});
        continue;
      }
      auto bytes = api->download(a, settings_.attachment_limit);
      if (!bytes) {
        if (bytes.error().retryable) return postpone_or_fail(ev, bytes.error(), "downloading " + a.filename);
        files.push_back({a.filename, knowledge::error{bytes.error().message}});
        continue;
      }
      files.push_back({a.filename, knowledge::extract_document(*bytes, {settings_.max_document_bytes,
                                                                        settings_.max_document_pages})});
    }
    const auto content = ticket_text(e.title, e.body.value_or(""), files,
                                     {settings_.max_document_bytes, settings_.max_document_pages});
    const auto review = knowledge::review_document(content.doc, book_);
    o.review = review_record(review, vendor, content.text, std::string(name) + ":" + id.key, by, now);
    o.comment_body = comment_body(system, settings_,
                                  ticket_comment(review, {id.key, vendor, content.sources, content.unreadable, {}}));
    o.content_hash = fingerprint;
    o.note = "reviewed: " + review.verdict + ", score " + std::to_string(review.score);
  } else {
    o.note = "content unchanged";
  }

  if (const auto d = ticket_decision(settings_, e);
      d && (!state || state->decision != storage::outcome_name(*d))) {
    if (vendor.empty()) {
      o.note += "; decision not recorded: the ticket names no vendor";
    } else {
      storage::decision_input in;
      in.vendor = vendor;
      in.what = *d;
      in.rationale = system == tk::tracker::jira
                         ? "Jira ticket " + id.key + " moved to " +
                               (e.resolution.empty() ? e.status : e.resolution)
                         : "Ticket " + id.key + " labelled decision:" +
                               std::string(storage::outcome_name(*d));
      in.ticket = id.key;
      in.by = by;
      in.at = now;
      o.decision = std::move(in);
      o.note += "; decision recorded: " + std::string(storage::outcome_name(*d));
    }
  }

  if (!o.review && !o.decision) return done("done", o.note);
  o.request_id = ev.request_id;  // the outbox worker's lines carry the webhook's request id
  const auto queued = store_.complete_event(ev.id, o, now);
  if (o.review) metrics::review("ticket", o.review->verdict);
  if (o.decision) metrics::decision("ticket", storage::outcome_name(o.decision->what));
  log::info("ticket event handled", {{"request_id", ev.request_id}, {"ticket", id.key},
                                     {"outcome", "done"}, {"note", o.note}, {"outbox", queued}});
  if (queued != 0 && queued_) queued_();
}

}  // namespace bot
