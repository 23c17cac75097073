#include "bot/outbox_worker.hpp"

#include "bot/backoff.hpp"
#include "bot/log.hpp"
#include "bot/metrics.hpp"


namespace bot {
namespace tk = integrations::tickets;

outbox_worker::outbox_worker(storage::ticket_store& store, tracker_apis apis, unsigned max_attempts,
                             clock_fn now)
    : store_(store), apis_(apis), max_attempts_(max_attempts), now_(std::move(now)) {}

void outbox_worker::retry_or_fail(const storage::outbox_item& item, const tk::api_failure& f,
                                  std::string_view doing) {
  const auto now = now_();
  const std::string why = std::string(doing) + ": " + f.message;
  const int status = static_cast<int>(f.status);
  if (f.retryable && static_cast<unsigned>(item.attempts) + 1 < max_attempts_) {
    const auto delay = retry_delay(item.attempts, f.retry_after, random_jitter());
    metrics::delivery_attempt(item.system, "retried");
    log::warn("delivery attempt failed", {{"request_id", item.request_id}, {"outbox", item.id},
                                          {"system", item.system}, {"ticket", item.ticket},
                                          {"status", status}, {"error", why},
                                          {"attempt", item.attempts + 1}, {"retry_in_s", delay}});
    store_.retry_later(item.id, status, why, now + delay, now);
    return;
  }
  metrics::delivery_attempt(item.system, "failed");
  log::error("delivery failed", {{"request_id", item.request_id}, {"outbox", item.id},
                                 {"system", item.system}, {"ticket", item.ticket}, {"status", status},
                                 {"error", why}, {"attempt", item.attempts + 1},
                                 {"hint", "playbook-bot outbox retry " + std::to_string(item.id)}});
  store_.failed(item.id, status, why, now);
}

bool outbox_worker::deliver_next() {
  const auto now = now_();
  auto item = store_.claim_delivery(now, now + lease_seconds);
  if (!item) return false;
  const auto where = tk::ticket_from_json(item->target);
  tk::tracker_api* api = where ? apis_.of(where->system) : nullptr;
  if (!where || api == nullptr) {
    const std::string why = where ? "the " + item->system + " integration is off"
                                  : "unreadable target: " + where.error().message;
    metrics::delivery_attempt(item->system, "failed");
    log::error("delivery failed", {{"request_id", item->request_id}, {"outbox", item->id},
                                   {"system", item->system}, {"ticket", item->ticket},
                                   {"error", why}});
    store_.failed(item->id, 0, why, now);
    return true;
  }
  const storage::ticket_id id{item->system, item->ticket};
  const auto state = store_.state(id);
  std::string comment = state ? state->comment_id : std::string();
  if (comment.empty()) {
    // Posted before, but the process died before it could note the id? The marker says so.
    auto found = api->find_comment(*where);
    if (!found) {
      retry_or_fail(*item, found.error(), "looking for the bot's comment");
      return true;
    }
    comment = std::move(*found);
    if (!comment.empty()) store_.remember_comment(id, comment);
  }
  if (!comment.empty()) {
    auto updated = api->update_comment(*where, comment, item->body);
    if (updated) {
      store_.delivered(item->id, comment, 200, now_());
      metrics::delivery_attempt(item->system, "updated");
      log::info("comment updated", {{"request_id", item->request_id}, {"outbox", item->id},
                                    {"system", item->system}, {"ticket", item->ticket},
                                    {"comment", comment}, {"attempt", item->attempts + 1}});
      return true;
    }
    if (updated.error().status != 404) {
      retry_or_fail(*item, updated.error(), "editing the bot's comment");
      return true;
    }
    // Someone deleted the bot's comment: post it again.
  }
  auto created = api->create_comment(*where, item->body);
  if (!created) {
    retry_or_fail(*item, created.error(), "posting the comment");
    return true;
  }
  store_.delivered(item->id, *created, 201, now_());
  metrics::delivery_attempt(item->system, "posted");
  log::info("comment posted", {{"request_id", item->request_id}, {"outbox", item->id},
                               {"system", item->system}, {"ticket", item->ticket},
                               {"comment", *created}, {"attempt", item->attempts + 1}});
  return true;
}

}  // namespace bot
