#pragma once
// The ticket worker: takes inbox events in order per ticket, fetches what the payload lacks (the
// issue, Jira attachments), reviews the ticket when its content changed, records a decision when
// its state says one was made, and commits review, decision and the comment to post in one
// transaction (the outbox worker posts it).

#include "bot/config.hpp"
#include "bot/router.hpp"
#include "bot/tracker_apis.hpp"
#include "knowledge/playbook.hpp"
#include "storage/tickets.hpp"

#include <functional>

namespace bot {

class ticket_worker {
 public:
  // queued is called after a comment was queued (it wakes the outbox worker). All references
  // must outlive the worker.
  ticket_worker(storage::ticket_store& store, const knowledge::playbook& book, const settings& s,
                tracker_apis apis, std::function<void()> queued, clock_fn now = system_now);

  // Handles the next due inbox event; false when there was none.
  bool process_next();

 private:
  void handle(const storage::inbox_event& ev, integrations::tickets::ticket_event e);
  void postpone_or_fail(const storage::inbox_event& ev, const integrations::tickets::api_failure& f,
                        std::string_view doing);

  storage::ticket_store& store_;
  const knowledge::playbook& book_;
  const settings& settings_;
  tracker_apis apis_;
  std::function<void()> queued_;
  clock_fn now_;
};

}  // namespace bot
