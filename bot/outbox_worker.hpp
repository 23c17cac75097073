#pragma once
// The outbox worker: posts each queued review comment to its ticket, or edits the bot's comment
// when there is one (found by the stored id, else by its marker, so a comment posted just before a
// crash is edited, not posted twice). Network errors, 5xx and 429 are retried with backoff; other
// refusals are kept as failed with the response, for `playbook-bot outbox`.

#include "bot/router.hpp"
#include "bot/tracker_apis.hpp"
#include "storage/tickets.hpp"

namespace bot {

class outbox_worker {
 public:
  // max_attempts: attempts per comment before it is kept as failed. References must outlive it.
  outbox_worker(storage::ticket_store& store, tracker_apis apis, unsigned max_attempts,
                clock_fn now = system_now);

  // Delivers the next due comment; false when there was none.
  bool deliver_next();

  // How long a claimed comment stays claimed: longer than the slowest delivery (three calls with
  // their deadlines), so no two workers edit one ticket at once.
  static constexpr std::int64_t lease_seconds = 180;

 private:
  void retry_or_fail(const storage::outbox_item& item, const integrations::tickets::api_failure& f,
                     std::string_view doing);

  storage::ticket_store& store_;
  tracker_apis apis_;
  unsigned max_attempts_;
  clock_fn now_;
};

}  // namespace bot
