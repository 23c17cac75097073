// The ticket store: the webhook inbox (deduplicated, in order per ticket, postponed), completing an
// event in one transaction (review, decision, comment, state) or not at all, the outbox (superseding,
// leases, delivery, retries, failures, operator retry and drop), statistics, durability across a
// reopen, the request id an outbox item was queued by, and version-3 and version-4 files migrated
// with their data kept.

#include "storage/tickets.hpp"

#include "storage/decisions.hpp"

#include "tests/storage/temp_dir.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

using storage::inbox_result;
using storage::ticket_id;
using storage::ticket_outcome;

storage::database_options memory() {
  storage::database_options o;
  o.path = ":memory:";
  return o;
}

storage::database_options file(const std::filesystem::path& p, int version = -1) {
  storage::database_options o;
  o.path = p.string();
  o.migrate_to = version;
  return o;
}

const ticket_id ticket_a{"github", "acme/procurement#1"};
const ticket_id ticket_b{"github", "acme/procurement#2"};
const ticket_id jira_a{"jira", "PROC-1"};

storage::review_input review_of(std::string vendor, std::string hash, std::int64_t at) {
  storage::review_input r;
  r.vendor = std::move(vendor);
  r.source = "github:acme/procurement#1";
  r.content_hash = std::move(hash);
  r.score = 35;
  r.verdict = "do not proceed";
  r.summary = "3 red flags";
  r.findings_json = "{}";
  r.findings_text = "certificate focus without production projects";
  r.by = {"playbook-bot", "", "github", "acme/procurement#1"};
  r.at = at;
  return r;
}

storage::decision_input decision_of(std::string vendor, storage::outcome what, std::int64_t at) {
  storage::decision_input d;
  d.vendor = std::move(vendor);
  d.what = what;
  d.rationale = "resolved as Approved";
  d.ticket = "acme/procurement#1";
  d.by = {"octocat", "", "github", "acme/procurement#1"};
  d.at = at;
  return d;
}

// A reviewed ticket with a comment to post.
ticket_outcome reviewed(const ticket_id& t, std::string body, std::string hash = "h1") {
  ticket_outcome o;
  o.ticket = t;
  o.target = R"({"system":"github","project":"acme/procurement","number":"1"})";
  o.content_hash = std::move(hash);
  o.review = review_of("Acme AI Academy", o.content_hash, 10);
  o.comment_body = std::move(body);
  o.note = "reviewed";
  return o;
}

std::int64_t count(storage::database& db, const std::string& query) {
  return db.handle().execAndGet(query).getInt64();
}

struct inbox_row {
  std::string state, payload, note;
  int attempts = 0;
  std::int64_t finished_at = 0;
};

inbox_row inbox_of(storage::database& db, std::int64_t id) {
  SQLite::Statement s(db.handle(),
                      "SELECT state, payload, note, attempts, finished_at FROM inbox WHERE id = ?");
  s.bind(1, static_cast<std::int64_t>(id));
  if (!s.executeStep()) return {};
  return {s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
          s.getColumn(3).getInt(), s.getColumn(4).getInt64()};
}

class tickets : public ::testing::Test {
 protected:
  // Adds an event and returns its id (the only pending one of its ticket, or the newest).
  std::int64_t add(const ticket_id& t, const std::string& delivery, std::int64_t now = 1) {
    EXPECT_EQ(store.add_event(t, delivery, "{\"delivery\":\"" + delivery + "\"}", now),
              inbox_result::added);
    return db.handle().getLastInsertRowid();
  }

  storage::database db{memory()};
  storage::ticket_store store{db};
  storage::decision_store decisions{db};
};

}  // namespace

TEST_F(tickets, a_delivery_stored_twice_is_a_duplicate_and_one_row) {
  EXPECT_EQ(store.add_event(ticket_a, "d-1", "{\"a\":1}", 5, "req-1"), inbox_result::added);
  EXPECT_EQ(store.add_event(ticket_a, "d-1", "{\"a\":2}", 6, "req-2"), inbox_result::duplicate);
  EXPECT_EQ(count(db, "SELECT count(*) FROM inbox"), 1);
  const auto e = store.next_event(10);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->payload, "{\"a\":1}");
  EXPECT_EQ(e->request_id, "req-1");
  EXPECT_EQ(e->received_at, 5);
  EXPECT_EQ(e->system, "github");
  EXPECT_EQ(e->ticket, "acme/procurement#1");
  EXPECT_EQ(e->delivery, "d-1");
  EXPECT_EQ(e->attempts, 0);
  // Still a duplicate once handled: the key outlives the payload.
  store.finish_event(e->id, "ignored", "not a procurement ticket", 11);
  EXPECT_EQ(store.add_event(ticket_a, "d-1", "{}", 12), inbox_result::duplicate);
  // The same delivery id from another system is another event.
  EXPECT_EQ(store.add_event(jira_a, "d-1", "{}", 12), inbox_result::added);
  EXPECT_EQ(count(db, "SELECT count(*) FROM inbox"), 2);
}

TEST_F(tickets, events_are_handed_out_in_order_per_ticket_and_other_tickets_go_on) {
  const auto a1 = add(ticket_a, "a1");
  const auto a2 = add(ticket_a, "a2");
  const auto b1 = add(ticket_b, "b1");
  // Not due yet: nothing.
  EXPECT_FALSE(store.next_event(0));
  auto e = store.next_event(10);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, a1);
  // Until a1 ends it is handed out again, never a2.
  EXPECT_EQ(store.next_event(10)->id, a1);
  // Postponed: a2 waits behind it, b1 goes on.
  store.postpone_event(a1, 100, "github unreachable");
  e = store.next_event(10);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, b1);
  store.finish_event(b1, "done", "reviewed", 11);
  EXPECT_FALSE(store.next_event(10));
  e = store.next_event(100);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, a1);
  EXPECT_EQ(e->attempts, 1);
  EXPECT_EQ(inbox_of(db, a1).note, "github unreachable");
  store.finish_event(a1, "done", "reviewed", 101);
  e = store.next_event(100);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, a2);
}

TEST_F(tickets, finishing_an_event_clears_its_payload_and_refuses_unknown_outcomes) {
  const auto id = add(ticket_a, "d");
  EXPECT_THROW(store.finish_event(id, "pending", "", 2), storage::write_error);
  EXPECT_THROW(store.finish_event(id, "whatever", "", 2), storage::write_error);
  EXPECT_EQ(inbox_of(db, id).state, "pending");
  store.finish_event(id, "failed", "payload has no issue", 3);
  auto row = inbox_of(db, id);
  EXPECT_EQ(row.state, "failed");
  EXPECT_EQ(row.payload, "");
  EXPECT_EQ(row.note, "payload has no issue");
  EXPECT_EQ(row.finished_at, 3);
  // An ended event stays as it ended.
  store.finish_event(id, "done", "later", 4);
  store.postpone_event(id, 50, "later");
  row = inbox_of(db, id);
  EXPECT_EQ(row.state, "failed");
  EXPECT_EQ(row.attempts, 0);
  EXPECT_FALSE(store.next_event(100));
}

TEST_F(tickets, completing_an_event_stores_review_decision_comment_and_state_together) {
  const auto id = add(ticket_a, "d");
  auto o = reviewed(ticket_a, "<!-- playbook-bot:review -->\nbody");
  o.decision = decision_of("Acme AI Academy", storage::outcome::approve, 10);
  EXPECT_FALSE(store.is_tracked(ticket_a));
  const auto outbox_id = store.complete_event(id, o, 20);
  EXPECT_GT(outbox_id, 0);
  EXPECT_TRUE(store.is_tracked(ticket_a));

  const auto row = inbox_of(db, id);
  EXPECT_EQ(row.state, "done");
  EXPECT_EQ(row.note, "reviewed");
  EXPECT_EQ(row.payload, "");
  EXPECT_EQ(row.finished_at, 20);

  const auto st = store.state(ticket_a);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->content_hash, "h1");
  EXPECT_EQ(st->decision, "approve");
  EXPECT_EQ(st->target, o.target);
  EXPECT_EQ(st->comment_id, "");
  EXPECT_EQ(st->updated_at, 20);
  EXPECT_EQ(st->review_id, count(db, "SELECT max(id) FROM reviews"));

  const auto item = store.outbox_entry(outbox_id);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->state, "pending");
  EXPECT_EQ(item->body, *o.comment_body);
  EXPECT_EQ(item->body_hash.size(), 16u);
  EXPECT_EQ(item->system, "github");
  EXPECT_EQ(item->ticket, "acme/procurement#1");
  EXPECT_EQ(item->target, o.target);
  EXPECT_EQ(item->created_at, 20);
  EXPECT_EQ(item->next_attempt_at, 20);

  // The decision and the review are the decision store's, with its audit rows.
  const auto v = decisions.find_vendor("acme ai academy");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->history.size(), 1u);
  EXPECT_EQ(v->history[0].what, storage::outcome::approve);
  EXPECT_EQ(v->history[0].ticket, "acme/procurement#1");
  EXPECT_EQ(v->history[0].source, "github");
  ASSERT_TRUE(v->latest_review);
  EXPECT_EQ(v->latest_review->content_hash, "h1");
  EXPECT_EQ(decisions.audit_count("review.record"), 1u);
  EXPECT_EQ(decisions.audit_count("decision.record"), 1u);
  EXPECT_EQ(decisions.audit_count("vendor.create"), 1u);
  EXPECT_EQ(decisions.search("certificate").size(), 1u);
}

TEST_F(tickets, an_empty_hash_or_target_keeps_the_stored_one_and_no_comment_queues_nothing) {
  store.complete_event(add(ticket_a, "d1"), reviewed(ticket_a, "first"), 20);
  ticket_outcome unchanged;
  unchanged.ticket = ticket_a;
  unchanged.note = "unchanged";
  EXPECT_EQ(store.complete_event(add(ticket_a, "d2"), unchanged, 30), 0);
  const auto st = store.state(ticket_a);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->content_hash, "h1");
  EXPECT_FALSE(st->target.empty());
  EXPECT_EQ(st->updated_at, 30);
  EXPECT_EQ(count(db, "SELECT count(*) FROM outbox"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM reviews"), 1);
  // A comment without a target goes to the target the ticket's state holds.
  ticket_outcome again;
  again.ticket = ticket_a;
  again.comment_body = "second";
  const auto id = store.complete_event(add(ticket_a, "d3"), again, 40);
  EXPECT_EQ(store.outbox_entry(id)->target, st->target);
}

TEST_F(tickets, a_handled_event_cannot_be_completed_twice) {
  const auto id = add(ticket_a, "d");
  store.complete_event(id, reviewed(ticket_a, "body"), 20);
  EXPECT_THROW(store.complete_event(id, reviewed(ticket_a, "body again"), 21), storage::write_error);
  EXPECT_THROW(store.complete_event(9999, reviewed(ticket_a, "no such event"), 21),
               storage::write_error);
  EXPECT_EQ(count(db, "SELECT count(*) FROM outbox"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM reviews"), 1);
  // Event id 0: an outcome without an inbox event.
  EXPECT_GT(store.complete_event(0, reviewed(ticket_b, "from the CLI"), 22), 0);
}

namespace {

// Everything complete_event could have written, and the event as it was.
struct snapshot {
  std::int64_t reviews, decisions, audit, outbox, states, vendors;
  inbox_row event;
  bool operator==(const snapshot& o) const {
    return reviews == o.reviews && decisions == o.decisions && audit == o.audit &&
           outbox == o.outbox && states == o.states && vendors == o.vendors &&
           event.state == o.event.state && event.payload == o.event.payload;
  }
};

snapshot take(storage::database& db, std::int64_t event) {
  return {count(db, "SELECT count(*) FROM reviews"),  count(db, "SELECT count(*) FROM decisions"),
          count(db, "SELECT count(*) FROM audit_log"), count(db, "SELECT count(*) FROM outbox"),
          count(db, "SELECT count(*) FROM ticket_state"), count(db, "SELECT count(*) FROM vendors"),
          inbox_of(db, event)};
}

}  // namespace

TEST_F(tickets, a_completion_failing_at_any_step_stores_nothing) {
  // Earlier work on the ticket, so there is a pending comment a new one would supersede.
  const auto first = store.complete_event(add(ticket_a, "d0"), reviewed(ticket_a, "old"), 5);
  const auto id = add(ticket_a, "d1");
  const auto before = take(db, id);
  ASSERT_EQ(before.event.state, "pending");

  // The decision's vendor name is unusable: fails after the review was written.
  auto o = reviewed(ticket_a, "new", "h2");
  o.review->vendor = "Globex";
  o.decision = decision_of(" ,. ", storage::outcome::approve, 10);
  EXPECT_THROW(store.complete_event(id, o, 20), storage::write_error);
  EXPECT_TRUE(take(db, id) == before);

  // The last step (finishing the event) fails: everything before it is rolled back too.
  db.handle().exec(
      "CREATE TEMP TRIGGER fail_finish BEFORE UPDATE OF state ON inbox "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  o = reviewed(ticket_a, "new", "h2");
  o.decision = decision_of("Globex", storage::outcome::reject, 10);
  try {
    store.complete_event(id, o, 20);
    FAIL() << "the completion succeeded";
  } catch (const storage::write_error& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(take(db, id) == before);
  db.handle().exec("DROP TRIGGER temp.fail_finish");

  // Read-only.
  db.handle().exec("PRAGMA query_only = ON");
  EXPECT_THROW(store.complete_event(id, o, 20), storage::write_error);
  db.handle().exec("PRAGMA query_only = OFF");
  EXPECT_TRUE(take(db, id) == before);

  EXPECT_EQ(store.outbox_entry(first)->state, "pending");
  EXPECT_EQ(store.state(ticket_a)->content_hash, "h1");
  EXPECT_FALSE(decisions.find_vendor("Globex"));
  // And then it works.
  const auto queued = store.complete_event(id, o, 20);
  EXPECT_GT(queued, 0);
  EXPECT_EQ(store.outbox_entry(first)->state, "superseded");
  EXPECT_EQ(store.state(ticket_a)->decision, "reject");
}

TEST(tickets_failures, a_full_disk_fails_every_write_cleanly_and_keeps_what_was_there) {
  storage_test::temp_dir dir;
  storage::database db(file(dir.path() / "full.db"));
  storage::ticket_store store(db);
  ASSERT_EQ(store.add_event(ticket_a, "d1", "{}", 1), inbox_result::added);
  const auto id = db.handle().getLastInsertRowid();
  const auto pages = db.handle().execAndGet("PRAGMA page_count").getInt();
  // The file may not grow any more: SQLite reports SQLITE_FULL, as on a full disk.
  db.handle().exec("PRAGMA max_page_count = " + std::to_string(pages));
  const std::string huge(256 * 1024, 'x');
  const auto before = take(db, id);
  auto o = reviewed(ticket_a, huge);
  EXPECT_THROW(store.complete_event(id, o, 20), storage::write_error);
  EXPECT_TRUE(take(db, id) == before);
  EXPECT_THROW(store.add_event(ticket_a, "d2", huge, 2), storage::write_error);
  EXPECT_EQ(count(db, "SELECT count(*) FROM inbox"), 1);
  EXPECT_EQ(db.handle().execAndGet("PRAGMA integrity_check").getString(), "ok");
  // Space again, and writing works again.
  db.handle().exec("PRAGMA max_page_count = 1000000");
  EXPECT_GT(store.complete_event(id, o, 20), 0);
  EXPECT_EQ(store.add_event(ticket_a, "d2", huge, 2), inbox_result::added);
}

TEST(tickets_failures, a_read_only_database_fails_outbox_writes_cleanly) {
  storage::database db(memory());
  storage::ticket_store store(db);
  const auto queued = store.complete_event(0, reviewed(ticket_a, "body"), 1);
  db.handle().exec("PRAGMA query_only = ON");
  EXPECT_THROW(store.add_event(ticket_a, "d", "{}", 1), storage::write_error);
  EXPECT_THROW(store.claim_delivery(2, 60), storage::write_error);
  EXPECT_THROW(store.delivered(queued, "c1", 201, 2), storage::write_error);
  EXPECT_THROW(store.retry_later(queued, 500, "boom", 10, 2), storage::write_error);
  EXPECT_THROW(store.failed(queued, 404, "gone", 2), storage::write_error);
  EXPECT_THROW(store.drop(queued, 2), storage::write_error);
  EXPECT_THROW(store.remember_comment(ticket_a, "c1"), storage::write_error);
  db.handle().exec("PRAGMA query_only = OFF");
  const auto item = store.outbox_entry(queued);
  EXPECT_EQ(item->state, "pending");
  EXPECT_EQ(item->leased_until, 0);
  EXPECT_EQ(item->attempts, 0);
  EXPECT_EQ(store.state(ticket_a)->comment_id, "");
}

TEST_F(tickets, a_new_comment_supersedes_the_tickets_pending_ones_only) {
  const auto a1 = store.complete_event(add(ticket_a, "a1"), reviewed(ticket_a, "one"), 10);
  const auto b1 = store.complete_event(add(ticket_b, "b1"), reviewed(ticket_b, "other"), 11);
  const auto a2 = store.complete_event(add(ticket_a, "a2"), reviewed(ticket_a, "two", "h2"), 12);
  EXPECT_EQ(store.outbox_entry(a1)->state, "superseded");
  EXPECT_EQ(store.outbox_entry(a1)->updated_at, 12);
  EXPECT_EQ(store.outbox_entry(b1)->state, "pending");
  EXPECT_EQ(store.outbox_entry(a2)->state, "pending");
  // Delivered items stay delivered.
  auto claimed = store.claim_delivery(20, 80);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, b1);
  store.delivered(b1, "c-b", 201, 21);
  store.complete_event(add(ticket_b, "b2"), reviewed(ticket_b, "other two", "h2"), 22);
  EXPECT_EQ(store.outbox_entry(b1)->state, "delivered");
  const auto pending = store.undelivered();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].body, "two");
  EXPECT_EQ(pending[1].body, "other two");
}

TEST_F(tickets, a_claim_leases_the_item_and_holds_back_its_ticket_until_the_lease_ends) {
  const auto a = store.complete_event(0, reviewed(ticket_a, "a"), 10);
  const auto b = store.complete_event(0, reviewed(ticket_b, "b"), 11);
  EXPECT_FALSE(store.claim_delivery(9, 60));  // not due yet
  auto first = store.claim_delivery(20, 80);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, a);
  EXPECT_EQ(first->leased_until, 80);
  EXPECT_EQ(store.outbox_entry(a)->leased_until, 80);
  // The other ticket goes on; nothing more until a lease ends.
  auto second = store.claim_delivery(21, 81);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, b);
  EXPECT_FALSE(store.claim_delivery(22, 82));
  // A new comment for ticket a while its old one is in flight waits for the lease too.
  const auto a2 = store.complete_event(0, reviewed(ticket_a, "a2", "h2"), 30);
  EXPECT_EQ(store.outbox_entry(a)->state, "superseded");
  EXPECT_FALSE(store.claim_delivery(79, 139));
  // A crashed worker's lease expires: the ticket's pending item is handed out again.
  auto again = store.claim_delivery(80, 140);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, a2);
  // b's lease expired too, and b is still pending: it is handed out again.
  again = store.claim_delivery(81, 141);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, b);
  EXPECT_FALSE(store.claim_delivery(100, 160));
}

TEST_F(tickets, released_leases_make_claimed_items_due_again_at_once) {
  const auto a = store.complete_event(0, reviewed(ticket_a, "a"), 10);
  ASSERT_TRUE(store.claim_delivery(20, 200));
  EXPECT_FALSE(store.claim_delivery(21, 201));
  EXPECT_EQ(store.release_leases(), 1u);
  EXPECT_EQ(store.outbox_entry(a)->leased_until, 0);
  auto again = store.claim_delivery(22, 202);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, a);
  EXPECT_EQ(store.release_leases(), 1u);
  EXPECT_EQ(store.release_leases(), 0u);
}

TEST_F(tickets, delivered_records_the_comment_on_the_item_and_the_ticket) {
  const auto id = store.complete_event(add(ticket_a, "d"), reviewed(ticket_a, "body"), 10);
  ASSERT_TRUE(store.claim_delivery(20, 80));
  store.delivered(id, "IC_123", 201, 25);
  const auto item = store.outbox_entry(id);
  EXPECT_EQ(item->state, "delivered");
  EXPECT_EQ(item->comment_id, "IC_123");
  EXPECT_EQ(item->last_status, 201);
  EXPECT_EQ(item->leased_until, 0);
  EXPECT_EQ(item->updated_at, 25);
  EXPECT_EQ(store.state(ticket_a)->comment_id, "IC_123");
  EXPECT_EQ(store.comments_delivered(ticket_a), 1u);
  EXPECT_EQ(store.comments_delivered(ticket_b), 0u);
  // The next comment is handed out at once (no lease left) and knows the comment to edit.
  const auto next = store.complete_event(add(ticket_a, "d2"), reviewed(ticket_a, "edited", "h2"), 30);
  const auto claimed = store.claim_delivery(30, 90);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, next);
  EXPECT_EQ(store.state(ticket_a)->comment_id, "IC_123");
  EXPECT_EQ(store.state(ticket_a)->content_hash, "h2");
}

TEST_F(tickets, a_comment_found_by_its_marker_is_remembered) {
  store.complete_event(0, reviewed(ticket_a, "body"), 10);
  store.remember_comment(ticket_a, "987");
  EXPECT_EQ(store.state(ticket_a)->comment_id, "987");
  EXPECT_EQ(store.state(ticket_a)->content_hash, "h1");
  // Untracked so far: now tracked.
  EXPECT_FALSE(store.is_tracked(jira_a));
  store.remember_comment(jira_a, "10001");
  EXPECT_TRUE(store.is_tracked(jira_a));
  EXPECT_EQ(store.state(jira_a)->comment_id, "10001");
  EXPECT_FALSE(store.state(ticket_b));
}

TEST_F(tickets, retry_later_counts_the_attempt_and_waits_until_due) {
  const auto id = store.complete_event(0, reviewed(ticket_a, "body"), 10);
  ASSERT_TRUE(store.claim_delivery(10, 70));
  store.retry_later(id, 429, "rate limited", 40, 11);
  auto item = store.outbox_entry(id);
  EXPECT_EQ(item->state, "pending");
  EXPECT_EQ(item->attempts, 1);
  EXPECT_EQ(item->next_attempt_at, 40);
  EXPECT_EQ(item->leased_until, 0);
  EXPECT_EQ(item->last_status, 429);
  EXPECT_EQ(item->last_error, "rate limited");
  EXPECT_FALSE(store.claim_delivery(39, 99));
  ASSERT_TRUE(store.claim_delivery(40, 100));
  store.retry_later(id, 0, "connection refused", 60, 41);
  EXPECT_EQ(store.outbox_entry(id)->attempts, 2);
  ASSERT_TRUE(store.claim_delivery(60, 120));
  store.delivered(id, "c1", 200, 61);
  // A late report about a delivered item changes nothing.
  store.retry_later(id, 500, "late", 90, 62);
  store.failed(id, 404, "late", 62);
  item = store.outbox_entry(id);
  EXPECT_EQ(item->state, "delivered");
  EXPECT_EQ(item->attempts, 2);
  EXPECT_EQ(item->last_status, 200);
}

TEST_F(tickets, failed_items_are_kept_listed_and_can_be_retried_or_dropped) {
  const auto a = store.complete_event(0, reviewed(ticket_a, "a"), 10);
  ASSERT_TRUE(store.claim_delivery(10, 70));
  store.failed(a, 404, "404 Not Found: {\"message\":\"Not Found\"}", 11);
  auto item = store.outbox_entry(a);
  EXPECT_EQ(item->state, "failed");
  EXPECT_EQ(item->leased_until, 0);
  EXPECT_EQ(item->last_status, 404);
  EXPECT_FALSE(store.claim_delivery(100, 160));
  auto list = store.undelivered();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, a);

  // Refusals: only failed or dropped items are retried, only pending or failed ones dropped.
  EXPECT_FALSE(store.retry(9999, 12));
  EXPECT_FALSE(store.drop(9999, 12));
  const auto b = store.complete_event(0, reviewed(ticket_b, "b"), 12);
  EXPECT_FALSE(store.retry(b, 13));  // pending

  EXPECT_TRUE(store.retry(a, 20));
  item = store.outbox_entry(a);
  EXPECT_EQ(item->state, "pending");
  EXPECT_EQ(item->attempts, 0);
  EXPECT_EQ(item->next_attempt_at, 20);
  EXPECT_FALSE(store.retry(a, 21));  // pending again

  EXPECT_TRUE(store.drop(a, 22));
  EXPECT_EQ(store.outbox_entry(a)->state, "dropped");
  EXPECT_FALSE(store.drop(a, 23));  // dropped already
  EXPECT_EQ(store.undelivered().size(), 1u);  // b
  EXPECT_TRUE(store.retry(a, 24));  // a dropped item comes back
  EXPECT_TRUE(store.drop(a, 25));

  ASSERT_TRUE(store.claim_delivery(30, 90));
  store.delivered(b, "c-b", 201, 31);
  EXPECT_FALSE(store.drop(b, 32));   // delivered
  EXPECT_FALSE(store.retry(b, 32));  // delivered
  EXPECT_TRUE(store.undelivered().empty());
}

TEST_F(tickets, an_old_failed_comment_is_not_retried_over_newer_content) {
  const auto old_one = store.complete_event(0, reviewed(ticket_a, "old"), 10);
  ASSERT_TRUE(store.claim_delivery(10, 70));
  store.failed(old_one, 422, "unprocessable", 11);
  const auto newer = store.complete_event(0, reviewed(ticket_a, "new", "h2"), 12);
  EXPECT_FALSE(store.retry(old_one, 13));  // the newer one is pending
  ASSERT_TRUE(store.claim_delivery(13, 73));
  store.delivered(newer, "c1", 201, 14);
  EXPECT_FALSE(store.retry(old_one, 15));  // the newer one is delivered
  EXPECT_EQ(store.outbox_entry(old_one)->state, "failed");

  // Two failed in a row: retrying the older, then the newer, leaves only the newer pending.
  const auto f1 = store.complete_event(0, reviewed(ticket_b, "b1"), 20);
  ASSERT_TRUE(store.claim_delivery(20, 80));
  store.failed(f1, 500, "x", 21);
  const auto f2 = store.complete_event(0, reviewed(ticket_b, "b2", "h2"), 22);
  ASSERT_TRUE(store.claim_delivery(22, 82));
  store.failed(f2, 500, "x", 23);
  EXPECT_TRUE(store.retry(f1, 24));
  EXPECT_TRUE(store.retry(f2, 25));
  EXPECT_EQ(store.outbox_entry(f1)->state, "superseded");
  EXPECT_EQ(store.outbox_entry(f2)->state, "pending");
}

TEST_F(tickets, an_item_dropped_or_superseded_in_flight_keeps_its_state_but_a_delivery_counts) {
  const auto a = store.complete_event(0, reviewed(ticket_a, "a"), 10);
  ASSERT_TRUE(store.claim_delivery(10, 70));
  EXPECT_TRUE(store.drop(a, 11));
  store.retry_later(a, 503, "unavailable", 40, 12);
  auto item = store.outbox_entry(a);
  EXPECT_EQ(item->state, "dropped");
  EXPECT_EQ(item->leased_until, 0);
  EXPECT_FALSE(store.claim_delivery(100, 160));

  const auto b = store.complete_event(0, reviewed(ticket_b, "b"), 20);
  ASSERT_TRUE(store.claim_delivery(20, 80));
  store.complete_event(0, reviewed(ticket_b, "b2", "h2"), 21);
  store.failed(b, 400, "bad", 22);
  EXPECT_EQ(store.outbox_entry(b)->state, "superseded");
  // Posted all the same: the comment is remembered, so the next item edits it.
  const auto c = store.complete_event(0, reviewed(jira_a, "c"), 30);
  ASSERT_TRUE(store.claim_delivery(30, 90));  // b2 (ticket b) first
  auto jira = store.claim_delivery(30, 90);
  ASSERT_TRUE(jira);
  EXPECT_EQ(jira->id, c);
  store.complete_event(0, reviewed(jira_a, "c2", "h2"), 31);
  store.delivered(c, "10001", 201, 32);
  EXPECT_EQ(store.outbox_entry(c)->state, "delivered");
  EXPECT_EQ(store.state(jira_a)->comment_id, "10001");
}

TEST_F(tickets, undelivered_lists_pending_and_failed_oldest_first_up_to_the_limit) {
  std::vector<std::int64_t> ids;
  const ticket_id many[] = {{"github", "o/r#1"}, {"github", "o/r#2"}, {"gitlab", "g/p#3"},
                            {"jira", "PROC-4"}};
  for (const auto& t : many) ids.push_back(store.complete_event(0, reviewed(t, "body " + t.key), 10));
  ASSERT_TRUE(store.claim_delivery(10, 70));
  store.failed(ids[0], 403, "forbidden", 11);
  ASSERT_TRUE(store.claim_delivery(11, 71));
  store.delivered(ids[1], "c", 201, 12);
  EXPECT_TRUE(store.drop(ids[2], 13));
  const auto list = store.undelivered();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, ids[0]);
  EXPECT_EQ(list[0].state, "failed");
  EXPECT_EQ(list[1].id, ids[3]);
  EXPECT_EQ(list[1].state, "pending");
  EXPECT_EQ(store.undelivered(1).size(), 1u);
}

TEST_F(tickets, stats_count_the_queues_and_date_the_oldest_pending_work) {
  auto s = store.stats(0);
  EXPECT_EQ(s.inbox_pending, 0);
  EXPECT_EQ(s.oldest_pending_at, 0);
  add(ticket_a, "a1", 50);
  add(ticket_b, "b1", 60);
  const auto a = store.complete_event(0, reviewed(ticket_a, "a"), 40);
  const auto b = store.complete_event(0, reviewed(ticket_b, "b"), 70);
  s = store.stats(100);
  EXPECT_EQ(s.inbox_pending, 2);
  EXPECT_EQ(s.outbox_pending, 2);
  EXPECT_EQ(s.outbox_failed, 0);
  EXPECT_EQ(s.oldest_pending_at, 40);
  EXPECT_EQ(s.oldest_inbox_at, 50);
  EXPECT_EQ(s.oldest_outbox_at, 40);
  ASSERT_TRUE(store.claim_delivery(100, 160));
  store.failed(a, 404, "gone", 101);
  ASSERT_TRUE(store.claim_delivery(101, 161));
  store.delivered(b, "c", 201, 102);
  store.finish_event(store.next_event(200)->id, "done", "", 200);
  s = store.stats(200);
  EXPECT_EQ(s.inbox_pending, 1);
  EXPECT_EQ(s.outbox_pending, 0);
  EXPECT_EQ(s.outbox_failed, 1);
  EXPECT_EQ(s.oldest_pending_at, 60);  // the only pending work is in the inbox
  EXPECT_EQ(s.oldest_inbox_at, 60);
  EXPECT_EQ(s.oldest_outbox_at, 0);
  // And the other way round: only the outbox is waiting.
  store.finish_event(store.next_event(300)->id, "done", "", 300);
  store.complete_event(0, reviewed(ticket_a, "a2", "h2"), 250);
  s = store.stats(300);
  EXPECT_EQ(s.oldest_inbox_at, 0);
  EXPECT_EQ(s.oldest_outbox_at, 250);
  EXPECT_EQ(s.oldest_pending_at, 250);
}

TEST_F(tickets, an_outbox_item_keeps_the_request_id_of_the_work_that_queued_it) {
  auto o = reviewed(ticket_a, "body");
  o.request_id = "req-42";
  const auto id = store.complete_event(add(ticket_a, "d"), o, 10);
  EXPECT_EQ(store.outbox_entry(id)->request_id, "req-42");
  const auto claimed = store.claim_delivery(10, 70);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->request_id, "req-42");
  store.failed(id, 403, "forbidden", 11);
  const auto listed = store.undelivered();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].request_id, "req-42");
  // An operator's retry is the same item: it keeps where it came from.
  ASSERT_TRUE(store.retry(id, 12));
  EXPECT_EQ(store.outbox_entry(id)->request_id, "req-42");
  EXPECT_EQ(store.claim_delivery(12, 72)->request_id, "req-42");
  // Without one, "".
  const auto other = store.complete_event(0, reviewed(ticket_b, "b"), 20);
  EXPECT_EQ(store.outbox_entry(other)->request_id, "");
}

TEST(tickets_durability, pending_events_and_outbox_items_survive_closing_and_reopening) {
  storage_test::temp_dir dir;
  const auto path = dir.path() / "tickets.db";
  std::int64_t queued = 0;
  {
    storage::database db(file(path));
    storage::ticket_store store(db);
    ASSERT_EQ(store.add_event(ticket_a, "a1", "{\"n\":1}", 1), inbox_result::added);
    ASSERT_EQ(store.add_event(ticket_b, "b1", "{\"n\":2}", 2), inbox_result::added);
    const auto e = store.next_event(10);
    ASSERT_TRUE(e);
    queued = store.complete_event(e->id, reviewed(ticket_a, "comment"), 10);
    // Claimed and then the process is gone: the lease is in the file.
    ASSERT_TRUE(store.claim_delivery(11, 71));
  }
  storage::database db(file(path));
  storage::ticket_store store(db);
  EXPECT_EQ(store.add_event(ticket_a, "a1", "{}", 20), inbox_result::duplicate);
  const auto e = store.next_event(20);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->delivery, "b1");
  EXPECT_EQ(e->payload, "{\"n\":2}");
  EXPECT_TRUE(store.is_tracked(ticket_a));
  EXPECT_FALSE(store.claim_delivery(20, 80));  // still leased
  const auto item = store.claim_delivery(71, 131);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->id, queued);
  EXPECT_EQ(item->body, "comment");
}

TEST(tickets_migration, a_version_3_file_keeps_its_decisions_and_gains_the_ticket_tables) {
  storage_test::temp_dir dir;
  const auto path = dir.path() / "v3.db";
  {
    storage::database old(file(path, 3));
    old.handle().exec(
        "INSERT INTO vendors (id, name, key, created_at) VALUES (1, 'Acme AI Academy', "
        "'acme ai academy', 100);"
        "INSERT INTO vendor_aliases (key, name, vendor_id) VALUES ('acme ai academy', "
        "'Acme AI Academy', 1);"
        "INSERT INTO decisions (vendor_id, outcome, rationale, decided_by, decided_at, source) "
        "VALUES (1, 'reject', 'slideware about prompt engineering', 'U1', 100, 'slack');"
        "INSERT INTO reviews (vendor_id, source, content_hash, score, verdict, findings, "
        "reviewed_at) VALUES (1, 'cli', 'h0', 20, 'do not proceed', '{}', 90);");
    EXPECT_EQ(old.handle().execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'inbox'").getInt(),
              0);
  }
  storage::database db(file(path));
  EXPECT_EQ(db.handle().execAndGet("PRAGMA user_version").getInt(), storage::database::schema_version());
  storage::decision_store decisions(db);
  const auto v = decisions.find_vendor("acme ai academy");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->history.size(), 1u);
  EXPECT_EQ(v->history[0].rationale, "slideware about prompt engineering");
  ASSERT_TRUE(v->latest_review);
  EXPECT_EQ(v->latest_review->content_hash, "h0");
  EXPECT_EQ(decisions.search("slideware").size(), 1u);
  storage::ticket_store store(db);
  ASSERT_EQ(store.add_event(ticket_a, "d", "{}", 1), inbox_result::added);
  auto o = reviewed(ticket_a, "body");
  o.decision = decision_of("ACME AI Academy, Inc.", storage::outcome::approve, 200);
  EXPECT_GT(store.complete_event(store.next_event(1)->id, o, 200), 0);
  EXPECT_EQ(decisions.find_vendor("acme ai academy")->history.size(), 2u);
  EXPECT_EQ(db.handle().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST(tickets_migration, a_version_4_file_keeps_its_outbox_items_with_no_request_id) {
  storage_test::temp_dir dir;
  const auto path = dir.path() / "v4.db";
  {
    storage::database old(file(path, 4));
    old.handle().exec(
        "INSERT INTO outbox (system, ticket, target, body, body_hash, created_at, next_attempt_at, "
        "updated_at) VALUES ('github', 'acme/procurement#1', '{}', 'queued at v4', 'x', 5, 5, 5)");
  }
  storage::database db(file(path));
  storage::ticket_store store(db);
  const auto item = store.claim_delivery(10, 70);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->body, "queued at v4");
  EXPECT_EQ(item->request_id, "");
  auto o = reviewed(ticket_a, "queued at v5", "h5");
  o.request_id = "req-5";
  const auto id = store.complete_event(0, o, 20);
  EXPECT_EQ(store.outbox_entry(id)->request_id, "req-5");
}

TEST(tickets_failures, threads_adding_the_same_deliveries_store_each_once) {
  storage_test::temp_dir dir;
  storage::database db(file(dir.path() / "threads.db"));
  storage::ticket_store store(db);
  std::atomic<int> added{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        try {
          const ticket_id tk{"github", "o/r#" + std::to_string(i % 5)};
          if (store.add_event(tk, "delivery-" + std::to_string(i), "{}", i) == inbox_result::added)
            ++added;
          store.next_event(i);
          store.stats(i);
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(added.load(), 50);
  EXPECT_EQ(store.stats(0).inbox_pending, 50);
}

TEST(tickets_failures, no_statement_is_left_holding_a_read_lock_after_a_call) {
  storage_test::temp_dir dir;
  storage::database db(file(dir.path() / "checkpoint.db"));
  storage::ticket_store store(db);
  store.add_event(ticket_a, "a1", "{}", 1);
  store.add_event(ticket_a, "a2", "{}", 1);
  store.add_event(ticket_b, "b1", "{}", 1);
  store.next_event(5);
  const auto queued = store.complete_event(0, reviewed(ticket_a, "x"), 5);
  store.complete_event(0, reviewed(ticket_b, "y"), 5);
  store.claim_delivery(5, 65);
  store.outbox_entry(queued);
  store.undelivered();
  store.undelivered(1);
  store.stats(5);
  store.state(ticket_a);
  store.is_tracked(ticket_a);
  store.comments_delivered(ticket_a);
  store.retry(queued, 6);
  SQLite::Statement checkpoint(db.handle(), "PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_TRUE(checkpoint.executeStep());
  EXPECT_EQ(checkpoint.getColumn(0).getInt(), 0) << "checkpoint blocked by an open statement";
}

TEST(tickets_plan, the_hot_queries_use_their_indexes) {
  storage::database db(memory());
  const auto plan = [&](const std::string& query) {
    SQLite::Statement s(db.handle(), "EXPLAIN QUERY PLAN " + query);
    std::string out;
    while (s.executeStep()) out += s.getColumn(3).getString() + "\n";
    return out;
  };
  const auto next = plan(
      "SELECT id FROM inbox i WHERE state = 'pending' AND next_attempt_at <= 5 AND NOT EXISTS ("
      "SELECT 1 FROM inbox o WHERE o.state = 'pending' AND o.system = i.system "
      "AND o.ticket = i.ticket AND o.id < i.id) ORDER BY id LIMIT 1");
  EXPECT_NE(next.find("inbox_by_state"), std::string::npos) << next;
  EXPECT_NE(next.find("inbox_by_ticket"), std::string::npos) << next;
  EXPECT_EQ(next.find("TEMP B-TREE"), std::string::npos) << next;
  const auto claim = plan(
      "SELECT id FROM outbox o WHERE state = 'pending' AND next_attempt_at <= 5 AND NOT EXISTS ("
      "SELECT 1 FROM outbox l WHERE l.system = o.system AND l.ticket = o.ticket "
      "AND l.leased_until > 5) ORDER BY id LIMIT 1");
  EXPECT_NE(claim.find("outbox_by_state"), std::string::npos) << claim;
  EXPECT_NE(claim.find("outbox_by_ticket"), std::string::npos) << claim;
  EXPECT_EQ(claim.find("TEMP B-TREE"), std::string::npos) << claim;
}
