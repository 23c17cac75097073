#include "storage/tickets.hpp"

#include "storage/cached_statement.hpp"
#include "storage/decision_writer.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <mutex>
#include <type_traits>

namespace storage {

namespace {

// The columns read_item expects, in its order.
constexpr const char* outbox_columns =
    "id, system, ticket, target, body, body_hash, state, attempts, created_at, next_attempt_at, "
    "updated_at, last_status, last_error, comment_id, leased_until, request_id";

outbox_item read_item(SQLite::Statement& s) {
  outbox_item o;
  o.id = s.getColumn(0).getInt64();
  o.system = s.getColumn(1).getString();
  o.ticket = s.getColumn(2).getString();
  o.target = s.getColumn(3).getString();
  o.body = s.getColumn(4).getString();
  o.body_hash = s.getColumn(5).getString();
  o.state = s.getColumn(6).getString();
  o.attempts = s.getColumn(7).getInt();
  o.created_at = s.getColumn(8).getInt64();
  o.next_attempt_at = s.getColumn(9).getInt64();
  o.updated_at = s.getColumn(10).getInt64();
  o.last_status = s.getColumn(11).getInt();
  o.last_error = s.getColumn(12).getString();
  o.comment_id = s.getColumn(13).getString();
  o.leased_until = s.getColumn(14).getInt64();
  o.request_id = s.getColumn(15).getString();
  return o;
}

std::string sql(std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  std::string out(a);
  out += b;
  out += c;
  return out;
}

// FNV-1a, 64 bits, as 16 hex digits: the body hash only tells bodies apart (storage links no
// cryptography, and nothing here needs to resist a forger).
std::string body_hash_of(std::string_view body) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : body) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = hex[h & 0xf];
  return out;
}

}  // namespace

// Statements prepared once per store and reused (reset and rebound) under the database's lock.
struct ticket_store::statements {
  explicit statements(SQLite::Database& db)
      : writer(db),
        insert_event(db,
                     "INSERT INTO inbox (system, delivery, ticket, payload, request_id, received_at, "
                     "next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
                     "ON CONFLICT (system, delivery) DO NOTHING"),
        tracked(db, "SELECT 1 FROM ticket_state WHERE system = ? AND ticket = ?"),
        // Walks pending events oldest first (inbox_by_state) and stops at the first that is due
        // and has no older pending event of its ticket (inbox_by_ticket): an event postponed
        // because its ticket's system is down holds back that ticket only.
        next_event(db,
                   "SELECT id, system, delivery, ticket, payload, request_id, received_at, attempts "
                   "FROM inbox i WHERE state = 'pending' AND next_attempt_at <= ?1 AND NOT EXISTS ("
                   "  SELECT 1 FROM inbox o WHERE o.state = 'pending' AND o.system = i.system "
                   "  AND o.ticket = i.ticket AND o.id < i.id) "
                   "ORDER BY id LIMIT 1"),
        postpone(db,
                 "UPDATE inbox SET next_attempt_at = ?, attempts = attempts + 1, note = ? "
                 "WHERE id = ? AND state = 'pending'"),
        finish(db,
               "UPDATE inbox SET state = ?, note = ?, payload = '', finished_at = ? "
               "WHERE id = ? AND state = 'pending'"),
        event_state(db, "SELECT state FROM inbox WHERE id = ?"),
        supersede(db,
                  "UPDATE outbox SET state = 'superseded', updated_at = ?3 "
                  "WHERE system = ?1 AND ticket = ?2 AND state = 'pending'"),
        // An empty target takes the one the ticket's state holds.
        insert_item(db,
                    "INSERT INTO outbox (system, ticket, target, body, body_hash, created_at, "
                    "next_attempt_at, updated_at, request_id) VALUES (?1, ?2, CASE WHEN ?3 <> '' "
                    "THEN ?3 ELSE coalesce((SELECT target FROM ticket_state WHERE system = ?1 AND "
                    "ticket = ?2), '') END, ?4, ?5, ?6, ?6, ?6, ?7)"),
        // NULL keeps the stored value.
        upsert_state(db,
                     "INSERT INTO ticket_state (system, ticket, content_hash, review_id, decision, "
                     "target, updated_at) VALUES (?1, ?2, coalesce(?3, ''), coalesce(?4, 0), "
                     "coalesce(?5, ''), coalesce(?6, ''), ?7) "
                     "ON CONFLICT (system, ticket) DO UPDATE SET "
                     "content_hash = coalesce(?3, content_hash), review_id = coalesce(?4, review_id), "
                     "decision = coalesce(?5, decision), target = coalesce(?6, target), "
                     "updated_at = ?7"),
        state_of(db,
                 "SELECT comment_id, content_hash, review_id, decision, target, updated_at "
                 "FROM ticket_state WHERE system = ? AND ticket = ?"),
        // Any item of the ticket leased, whatever its state: an item superseded or dropped while
        // a worker posts it still keeps the ticket's next item from being posted beside it.
        claim(db, sql("SELECT ", outbox_columns,
                      " FROM outbox o WHERE state = 'pending' AND next_attempt_at <= ?1 "
                      "AND NOT EXISTS (SELECT 1 FROM outbox l WHERE l.system = o.system "
                      "AND l.ticket = o.ticket AND l.leased_until > ?1) ORDER BY id LIMIT 1")),
        lease(db, "UPDATE outbox SET leased_until = ?, updated_at = ? WHERE id = ?"),
        mark_delivered(db,
                       "UPDATE outbox SET state = 'delivered', comment_id = ?, last_status = ?, "
                       "last_error = '', leased_until = 0, updated_at = ? WHERE id = ?"),
        state_comment_from_item(
            db,
            "INSERT INTO ticket_state (system, ticket, comment_id, target, updated_at) "
            "SELECT system, ticket, ?1, target, ?2 FROM outbox WHERE id = ?3 "
            "ON CONFLICT (system, ticket) DO UPDATE SET comment_id = excluded.comment_id, "
            "updated_at = excluded.updated_at"),
        remember(db,
                 "INSERT INTO ticket_state (system, ticket, comment_id, updated_at) "
                 "VALUES (?, ?, ?, 0) "
                 "ON CONFLICT (system, ticket) DO UPDATE SET comment_id = excluded.comment_id"),
        retry_later(db,
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?1, "
                    "last_status = ?2, last_error = ?3, leased_until = 0, updated_at = ?4 "
                    "WHERE id = ?5 AND state <> 'delivered'"),
        mark_failed(db,
                    "UPDATE outbox SET state = CASE WHEN state = 'pending' THEN 'failed' ELSE state "
                    "END, last_status = ?1, last_error = ?2, leased_until = 0, updated_at = ?3 "
                    "WHERE id = ?4 AND state <> 'delivered'"),
        undelivered(db, sql("SELECT ", outbox_columns,
                            " FROM outbox WHERE state IN ('pending', 'failed') ORDER BY id LIMIT ?")),
        entry(db, sql("SELECT ", outbox_columns, " FROM outbox WHERE id = ?")),
        newer_than(db,
                   "SELECT 1 FROM outbox WHERE system = ? AND ticket = ? AND id > ? "
                   "AND state IN ('pending', 'delivered') LIMIT 1"),
        requeue(db,
                "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1, "
                "updated_at = ?1 WHERE id = ?2"),
        drop(db,
             "UPDATE outbox SET state = 'dropped', updated_at = ? "
             "WHERE id = ? AND state IN ('pending', 'failed')"),
        stats(db,
              "SELECT (SELECT count(*) FROM inbox WHERE state = 'pending'), "
              "(SELECT count(*) FROM outbox WHERE state = 'pending'), "
              "(SELECT count(*) FROM outbox WHERE state = 'failed'), "
              "(SELECT coalesce(min(received_at), 0) FROM inbox WHERE state = 'pending'), "
              "(SELECT coalesce(min(created_at), 0) FROM outbox WHERE state = 'pending')"),
        delivered_count(db,
                        "SELECT count(*) FROM outbox WHERE system = ? AND ticket = ? "
                        "AND state = 'delivered'") {}

  // Vendors, decisions, reviews and their audit rows, written as decision_store writes them.
  decision_writer writer;
  SQLite::Statement insert_event, tracked, next_event, postpone, finish, event_state, supersede,
      insert_item, upsert_state, state_of, claim, lease, mark_delivered, state_comment_from_item,
      remember, retry_later, mark_failed, undelivered, entry, newer_than, requeue, drop, stats,
      delivered_count;

  std::optional<outbox_item> item(std::int64_t id) {
    auto& s = fresh(entry);
    const reset_on_exit s_done(s);
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    return read_item(s);
  }

  void supersede_pending(const std::string& system, const std::string& ticket, std::int64_t now) {
    auto& s = fresh(supersede);
    const reset_on_exit s_done(s);
    s.bind(1, system);
    s.bind(2, ticket);
    s.bind(3, static_cast<std::int64_t>(now));
    s.exec();
  }
};

namespace {

// Runs write inside one IMMEDIATE transaction under the database's lock, committed when it
// returns; any failure is a write_error and leaves nothing behind (the transaction rolls back).
// Requests (the webhook intake) go ahead of the workers for the database's lock: see
// priority_mutex.
enum class who { request, worker };

template <class Write>
auto in_transaction(database& db, Write&& write, who caller = who::worker) {
  if (caller == who::request)
    db.mutex().lock();
  else
    db.mutex().lock_background();
  const std::lock_guard<priority_mutex> lock(db.mutex(), std::adopt_lock);
  try {
    SQLite::Transaction tx(db.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    if constexpr (std::is_void_v<decltype(write())>) {
      write();
      tx.commit();
    } else {
      auto result = write();
      tx.commit();
      return result;
    }
  } catch (const write_error&) {
    throw;
  } catch (const std::exception& e) {
    throw write_error(e.what());
  }
}

}  // namespace

ticket_store::ticket_store(database& db) : db_(db) {
  background_lock lock(db_.mutex());
  st_ = std::make_unique<statements>(db_.handle());
}

ticket_store::~ticket_store() = default;

inbox_result ticket_store::add_event(const ticket_id& t, std::string_view delivery,
                                     std::string_view payload, std::int64_t now,
                                     std::string_view request_id) {
  return in_transaction(db_, [&] {
    auto& s = fresh(st_->insert_event);
    const reset_on_exit s_done(s);
    s.bind(1, t.system);
    s.bind(2, std::string(delivery));
    s.bind(3, t.key);
    s.bind(4, std::string(payload));
    s.bind(5, std::string(request_id));
    s.bind(6, static_cast<std::int64_t>(now));
    return s.exec() == 1 ? inbox_result::added : inbox_result::duplicate;
  }, who::request);
}

bool ticket_store::is_tracked(const ticket_id& t) {
  std::lock_guard lock(db_.mutex());  // asked by the webhook intake: a request
  auto& s = fresh(st_->tracked);
  const reset_on_exit s_done(s);
  s.bind(1, t.system);
  s.bind(2, t.key);
  return s.executeStep();
}

std::optional<inbox_event> ticket_store::next_event(std::int64_t now) {
  background_lock lock(db_.mutex());
  auto& s = fresh(st_->next_event);
  const reset_on_exit s_done(s);
  s.bind(1, static_cast<std::int64_t>(now));
  if (!s.executeStep()) return std::nullopt;
  inbox_event e;
  e.id = s.getColumn(0).getInt64();
  e.system = s.getColumn(1).getString();
  e.delivery = s.getColumn(2).getString();
  e.ticket = s.getColumn(3).getString();
  e.payload = s.getColumn(4).getString();
  e.request_id = s.getColumn(5).getString();
  e.received_at = s.getColumn(6).getInt64();
  e.attempts = s.getColumn(7).getInt();
  return e;
}

void ticket_store::postpone_event(std::int64_t id, std::int64_t until, std::string_view why) {
  in_transaction(db_, [&] {
    auto& s = fresh(st_->postpone);
    const reset_on_exit s_done(s);
    s.bind(1, static_cast<std::int64_t>(until));
    s.bind(2, std::string(why));
    s.bind(3, static_cast<std::int64_t>(id));
    s.exec();
  });
}

void ticket_store::finish_event(std::int64_t id, std::string_view outcome, std::string_view note,
                                std::int64_t now) {
  if (outcome != "done" && outcome != "ignored" && outcome != "failed")
    throw write_error("an event ends as done, ignored or failed, not \"" + std::string(outcome) + "\"");
  in_transaction(db_, [&] {
    auto& s = fresh(st_->finish);
    const reset_on_exit s_done(s);
    s.bind(1, std::string(outcome));
    s.bind(2, std::string(note));
    s.bind(3, static_cast<std::int64_t>(now));
    s.bind(4, static_cast<std::int64_t>(id));
    s.exec();
  });
}

std::int64_t ticket_store::complete_event(std::int64_t event_id, const ticket_outcome& o,
                                          std::int64_t now) {
  return in_transaction(db_, [&] {
    // Checked first, inside the transaction: a second worker completing the same event would
    // queue a second comment.
    if (event_id != 0) {
      auto& e = fresh(st_->event_state);
      const reset_on_exit e_done(e);
      e.bind(1, static_cast<std::int64_t>(event_id));
      if (!e.executeStep())
        throw write_error("inbox event " + std::to_string(event_id) + " does not exist");
      if (e.getColumn(0).getString() != "pending")
        throw write_error("inbox event " + std::to_string(event_id) + " was handled already");
    }
    std::optional<std::int64_t> review_id;
    if (o.review) review_id = st_->writer.insert_review(*o.review);
    std::optional<std::string> decided;
    if (o.decision) {
      st_->writer.insert_decision(*o.decision, "decision.record");
      decided = std::string(outcome_name(o.decision->what));
    }
    {
      auto& s = fresh(st_->upsert_state);
      const reset_on_exit s_done(s);
      s.bind(1, o.ticket.system);
      s.bind(2, o.ticket.key);
      if (!o.content_hash.empty()) s.bind(3, o.content_hash);
      if (review_id) s.bind(4, static_cast<std::int64_t>(*review_id));
      if (decided) s.bind(5, *decided);
      if (!o.target.empty()) s.bind(6, o.target);
      s.bind(7, static_cast<std::int64_t>(now));
      s.exec();
    }
    std::int64_t outbox_id = 0;
    if (o.comment_body) {
      st_->supersede_pending(o.ticket.system, o.ticket.key, now);
      auto& s = fresh(st_->insert_item);
      const reset_on_exit s_done(s);
      s.bind(1, o.ticket.system);
      s.bind(2, o.ticket.key);
      s.bind(3, o.target);
      s.bind(4, *o.comment_body);
      s.bind(5, body_hash_of(*o.comment_body));
      s.bind(6, static_cast<std::int64_t>(now));
      s.bind(7, o.request_id);
      s.exec();
      outbox_id = db_.handle().getLastInsertRowid();
    }
    if (event_id != 0) {
      auto& s = fresh(st_->finish);
      const reset_on_exit s_done(s);
      s.bind(1, "done");
      s.bind(2, o.note);
      s.bind(3, static_cast<std::int64_t>(now));
      s.bind(4, static_cast<std::int64_t>(event_id));
      s.exec();
    }
    return outbox_id;
  });
}

std::optional<ticket_state> ticket_store::state(const ticket_id& t) {
  background_lock lock(db_.mutex());
  auto& s = fresh(st_->state_of);
  const reset_on_exit s_done(s);
  s.bind(1, t.system);
  s.bind(2, t.key);
  if (!s.executeStep()) return std::nullopt;
  ticket_state out;
  out.comment_id = s.getColumn(0).getString();
  out.content_hash = s.getColumn(1).getString();
  out.review_id = s.getColumn(2).getInt64();
  out.decision = s.getColumn(3).getString();
  out.target = s.getColumn(4).getString();
  out.updated_at = s.getColumn(5).getInt64();
  return out;
}

std::optional<outbox_item> ticket_store::claim_delivery(std::int64_t now, std::int64_t lease_until) {
  return in_transaction(db_, [&]() -> std::optional<outbox_item> {
    std::optional<outbox_item> found;
    {
      auto& s = fresh(st_->claim);
      const reset_on_exit s_done(s);
      s.bind(1, static_cast<std::int64_t>(now));
      if (s.executeStep()) found = read_item(s);
    }
    if (!found) return std::nullopt;
    auto& l = fresh(st_->lease);
    const reset_on_exit l_done(l);
    l.bind(1, static_cast<std::int64_t>(lease_until));
    l.bind(2, static_cast<std::int64_t>(now));
    l.bind(3, static_cast<std::int64_t>(found->id));
    l.exec();
    found->leased_until = lease_until;
    found->updated_at = now;
    return found;
  });
}

void ticket_store::delivered(std::int64_t id, std::string_view comment_id, int status,
                             std::int64_t now) {
  in_transaction(db_, [&] {
    {
      auto& s = fresh(st_->mark_delivered);
      const reset_on_exit s_done(s);
      s.bind(1, std::string(comment_id));
      s.bind(2, status);
      s.bind(3, static_cast<std::int64_t>(now));
      s.bind(4, static_cast<std::int64_t>(id));
      if (s.exec() == 0) return;
    }
    if (comment_id.empty()) return;
    auto& s = fresh(st_->state_comment_from_item);
    const reset_on_exit s_done(s);
    s.bind(1, std::string(comment_id));
    s.bind(2, static_cast<std::int64_t>(now));
    s.bind(3, static_cast<std::int64_t>(id));
    s.exec();
  });
}

std::size_t ticket_store::release_leases() {
  // Rare (once per start): not worth a cached statement.
  return in_transaction(db_, [&] {
    return static_cast<std::size_t>(
        db_.handle().exec("UPDATE outbox SET leased_until = 0 WHERE leased_until <> 0"));
  });
}

void ticket_store::remember_comment(const ticket_id& t, std::string_view comment_id) {
  in_transaction(db_, [&] {
    auto& s = fresh(st_->remember);
    const reset_on_exit s_done(s);
    s.bind(1, t.system);
    s.bind(2, t.key);
    s.bind(3, std::string(comment_id));
    s.exec();
  });
}

void ticket_store::retry_later(std::int64_t id, int status, std::string_view error,
                               std::int64_t next_attempt_at, std::int64_t now) {
  in_transaction(db_, [&] {
    auto& s = fresh(st_->retry_later);
    const reset_on_exit s_done(s);
    s.bind(1, static_cast<std::int64_t>(next_attempt_at));
    s.bind(2, status);
    s.bind(3, std::string(error));
    s.bind(4, static_cast<std::int64_t>(now));
    s.bind(5, static_cast<std::int64_t>(id));
    s.exec();
  });
}

void ticket_store::failed(std::int64_t id, int status, std::string_view error, std::int64_t now) {
  in_transaction(db_, [&] {
    auto& s = fresh(st_->mark_failed);
    const reset_on_exit s_done(s);
    s.bind(1, status);
    s.bind(2, std::string(error));
    s.bind(3, static_cast<std::int64_t>(now));
    s.bind(4, static_cast<std::int64_t>(id));
    s.exec();
  });
}

std::vector<outbox_item> ticket_store::undelivered(std::size_t limit) {
  background_lock lock(db_.mutex());
  auto& s = fresh(st_->undelivered);
  const reset_on_exit s_done(s);
  s.bind(1, static_cast<std::int64_t>(limit));
  std::vector<outbox_item> out;
  while (s.executeStep()) out.push_back(read_item(s));
  return out;
}

std::optional<outbox_item> ticket_store::outbox_entry(std::int64_t id) {
  background_lock lock(db_.mutex());
  return st_->item(id);
}

bool ticket_store::retry(std::int64_t id, std::int64_t now) {
  return in_transaction(db_, [&] {
    const auto it = st_->item(id);
    if (!it || (it->state != "failed" && it->state != "dropped")) return false;
    {
      auto& n = fresh(st_->newer_than);
      const reset_on_exit n_done(n);
      n.bind(1, it->system);
      n.bind(2, it->ticket);
      n.bind(3, static_cast<std::int64_t>(id));
      if (n.executeStep()) return false;
    }
    // Older pending items carry older content: this one replaces them, as a new comment would.
    st_->supersede_pending(it->system, it->ticket, now);
    auto& s = fresh(st_->requeue);
    const reset_on_exit s_done(s);
    s.bind(1, static_cast<std::int64_t>(now));
    s.bind(2, static_cast<std::int64_t>(id));
    s.exec();
    return true;
  });
}

bool ticket_store::drop(std::int64_t id, std::int64_t now) {
  return in_transaction(db_, [&] {
    auto& s = fresh(st_->drop);
    const reset_on_exit s_done(s);
    s.bind(1, static_cast<std::int64_t>(now));
    s.bind(2, static_cast<std::int64_t>(id));
    return s.exec() == 1;
  });
}

queue_stats ticket_store::stats(std::int64_t /*now*/) {
  background_lock lock(db_.mutex());
  auto& s = fresh(st_->stats);
  const reset_on_exit s_done(s);
  queue_stats out;
  if (s.executeStep()) {
    out.inbox_pending = s.getColumn(0).getInt64();
    out.outbox_pending = s.getColumn(1).getInt64();
    out.outbox_failed = s.getColumn(2).getInt64();
    out.oldest_inbox_at = s.getColumn(3).getInt64();
    out.oldest_outbox_at = s.getColumn(4).getInt64();
    // The older of the two that exist: 0 means none, not the oldest.
    if (out.oldest_inbox_at == 0 || out.oldest_outbox_at == 0)
      out.oldest_pending_at = out.oldest_inbox_at + out.oldest_outbox_at;
    else
      out.oldest_pending_at = std::min(out.oldest_inbox_at, out.oldest_outbox_at);
  }
  return out;
}

std::size_t ticket_store::comments_delivered(const ticket_id& t) {
  background_lock lock(db_.mutex());
  auto& s = fresh(st_->delivered_count);
  const reset_on_exit s_done(s);
  s.bind(1, t.system);
  s.bind(2, t.key);
  s.executeStep();
  return static_cast<std::size_t>(s.getColumn(0).getInt64());
}

}  // namespace storage
