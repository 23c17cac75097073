#pragma once
// Ticket webhooks in the bot's SQLite database: the inbox of received events, what the bot knows
// about each ticket it reviewed (its comment, the content hash, the last decision), and the outbox
// of comments to post.
//
// How the workers use it:
//   webhook:  add_event (committed before the 2xx goes back; a re-delivery is a duplicate)
//   worker:   next_event → fetch, review → complete_event (or finish_event "ignored"/"failed",
//             or postpone_event when the ticket system is unreachable)
//   outbox:   claim_delivery → post or edit → delivered | retry_later | failed
//   operator: undelivered, outbox_entry, retry, drop, stats
// Events of one ticket are handed out in the order they arrived, and one ticket's comments are
// never posted by two workers at once, so however often a webhook is re-delivered or the process
// restarts, a ticket ends with one up-to-date comment.
//
// Every write is one IMMEDIATE transaction: it throws write_error (and stores nothing) when it
// fails (disk full, read-only, an unusable vendor name). Times are Unix seconds, given by the
// caller. Thread-safe: each call holds the database's lock for its duration; add_event and
// is_tracked (the webhook intake, a request someone waits on) take it ahead of the workers' calls.

#include "storage/database.hpp"
#include "storage/decisions.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storage {

struct ticket_id {
  std::string system;  // "jira", "github", "gitlab"
  std::string key;     // "PROC-12", "owner/repo#42", "group/project#7"
};

enum class inbox_result { added, duplicate };

struct inbox_event {
  std::int64_t id = 0;
  std::string system, delivery, ticket, payload, request_id;  // ticket: the ticket's key
  std::int64_t received_at = 0;
  int attempts = 0;  // times postponed
};

struct ticket_state {
  std::string comment_id;    // the bot's comment on the ticket, "" none known
  std::string content_hash;  // of the content last reviewed
  std::int64_t review_id = 0;
  std::string decision;      // outcome name last recorded from the ticket, "" none
  std::string target;        // where the ticket lives (the caller's JSON, e.g. to_json(ticket))
  std::int64_t updated_at = 0;
};

struct outbox_item {
  std::int64_t id = 0;
  std::string system, ticket, target, body, body_hash;
  std::string state;  // pending|delivered|failed|dropped|superseded
  int attempts = 0;
  std::int64_t created_at = 0, next_attempt_at = 0, updated_at = 0;
  int last_status = 0;  // HTTP status of the last attempt, 0 none
  std::string last_error;
  std::string comment_id;  // set when delivered
  std::int64_t leased_until = 0;  // a worker is delivering it until then; 0 none
  std::string request_id;  // of the work that queued it (ticket_outcome::request_id), "" none
};

// What processing one inbox event produced.
struct ticket_outcome {
  ticket_id ticket;
  std::string target;                        // "" keeps the stored one
  std::string content_hash;                  // "" keeps the stored one
  std::optional<review_input> review;        // stored, and its id kept in the ticket's state
  std::optional<std::string> comment_body;   // queued in the outbox (supersedes the ticket's pending rows)
  std::optional<decision_input> decision;    // recorded (and its outcome name kept in the state)
  std::string note;                          // why, for the inbox row ("unchanged", "reviewed", ...)
  std::string request_id;                    // stored on the queued outbox item, for the logs
};

struct queue_stats {
  std::int64_t inbox_pending = 0, outbox_pending = 0, outbox_failed = 0;
  // received_at / created_at of the oldest pending inbox event or outbox item, 0 none. Failed
  // items wait for an operator and are not counted here. oldest_pending_at is the older of the two.
  std::int64_t oldest_pending_at = 0;
  std::int64_t oldest_inbox_at = 0, oldest_outbox_at = 0;
};

class ticket_store {
 public:
  explicit ticket_store(database& db);
  ~ticket_store();
  ticket_store(const ticket_store&) = delete;
  ticket_store& operator=(const ticket_store&) = delete;

  // ---- Inbox
  // Stores a received event (payload: the raw verified body), due now; committed when it returns.
  // duplicate when (system, delivery) was stored before, whatever became of it: nothing changes.
  inbox_result add_event(const ticket_id& t, std::string_view delivery, std::string_view payload,
                         std::int64_t now, std::string_view request_id = "");

  // True when the ticket has a state row (complete_event or remember_comment ran for it).
  bool is_tracked(const ticket_id& t);

  // The oldest pending event that is due (next_attempt_at <= now) and whose ticket has no older
  // pending event, due or not; nullopt when none. It stays pending (it is not leased): one worker
  // takes events, and ends each with complete_event, finish_event or postpone_event.
  std::optional<inbox_event> next_event(std::int64_t now);

  // Leaves a pending event pending until `until` (attempts + 1, note = why). The ticket's later
  // events wait behind it.
  void postpone_event(std::int64_t id, std::int64_t until, std::string_view why);

  // Ends a pending event: outcome "done", "ignored" or "failed" (anything else is a write_error);
  // its payload is cleared. An event that is not pending is left as it is.
  void finish_event(std::int64_t id, std::string_view outcome, std::string_view note,
                    std::int64_t now);

  // One transaction: the review (with its audit rows, as decision_store::record_review), the
  // decision (with its audit rows, as decision_store::record), the comment in the outbox (the
  // ticket's older pending items superseded), the ticket's state, and the inbox event finished as
  // "done" with o.note and its payload cleared. event_id 0: no inbox event to finish.
  // Returns the outbox id, or 0 when no comment was queued. Throws write_error, with nothing
  // stored, when a write fails or the event is not pending (handled already).
  std::int64_t complete_event(std::int64_t event_id, const ticket_outcome& o, std::int64_t now);

  // The ticket's state; nullopt when it is not tracked.
  std::optional<ticket_state> state(const ticket_id& t);

  // ---- Outbox
  // The oldest pending due item whose ticket has no item (of any state) leased right now
  // (leased_until > now), leased until lease_until; nullopt when none. A crashed worker's lease
  // simply expires and the item is handed out again.
  std::optional<outbox_item> claim_delivery(std::int64_t now, std::int64_t lease_until);

  // The item was posted as comment_id (status: the HTTP status): delivered, the ticket's state
  // remembers the comment, the lease is cleared. Recorded whatever the item's state was (an item
  // dropped or superseded while in flight was posted all the same).
  void delivered(std::int64_t id, std::string_view comment_id, int status, std::int64_t now);

  // The ticket's comment id as found on the ticket (by the marker) before creating another.
  void remember_comment(const ticket_id& t, std::string_view comment_id);

  // Clears every lease: for a server starting up, when no delivery can be in flight (one server
  // owns the database), so what a killed process had claimed is due again at once rather than
  // when its lease runs out. Returns how many were cleared.
  std::size_t release_leases();

  // A failed attempt worth repeating: attempts + 1, due again at next_attempt_at, lease cleared.
  // A delivered item is left as it is; a superseded or dropped one stays so.
  void retry_later(std::int64_t id, int status, std::string_view error,
                   std::int64_t next_attempt_at, std::int64_t now);

  // A permanent failure (kept for `outbox list` with status and error); lease cleared. Only a
  // pending item becomes failed; a delivered one is left as it is.
  void failed(std::int64_t id, int status, std::string_view error, std::int64_t now);

  // Pending and failed items, oldest first (for `outbox list`).
  std::vector<outbox_item> undelivered(std::size_t limit = 100);

  std::optional<outbox_item> outbox_entry(std::int64_t id);

  // A failed or dropped item pending again, due now, attempts 0 (older pending items of its ticket
  // superseded). false, changing nothing, for any other state, or when a newer item of the same
  // ticket is pending or delivered (posting this one would overwrite newer content).
  bool retry(std::int64_t id, std::int64_t now);

  // A pending or failed item dropped (never posted unless retried); false otherwise.
  bool drop(std::int64_t id, std::int64_t now);

  // How much work is waiting (for /metrics and readiness). now is not used yet: the figures do not
  // depend on what is due.
  queue_stats stats(std::int64_t now);

  // How many of the ticket's outbox items were delivered (tests).
  std::size_t comments_delivered(const ticket_id& t);

 private:
  struct statements;
  database& db_;
  std::unique_ptr<statements> st_;
};

}  // namespace storage
