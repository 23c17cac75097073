// The decision store: recording, forgiving look-up, append-only history, the audit log, full-text
// search, imports that are all or nothing, and writes that fail cleanly (disk full, read-only).

#include "storage/decisions.hpp"

#include "tests/storage/temp_dir.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <atomic>
#include <thread>

namespace {

using storage::decision_input;
using storage::outcome;

storage::database_options memory() {
  storage::database_options o;
  o.path = ":memory:";
  return o;
}

decision_input make(std::string vendor, outcome what, std::string rationale, std::int64_t at,
                    std::string ticket = "") {
  decision_input in;
  in.vendor = std::move(vendor);
  in.what = what;
  in.rationale = std::move(rationale);
  in.ticket = std::move(ticket);
  in.by = {"U123", "dana", "slack", "C42"};
  in.at = at;
  return in;
}

class decisions : public ::testing::Test {
 protected:
  storage::database db{memory()};
  storage::decision_store store{db};
};

}  // namespace

TEST_F(decisions, a_recorded_decision_is_found_by_any_spelling_of_its_vendor) {
  const auto d = store.record(make("Acme AI Academy", outcome::reject, "prompt slideware", 1000, "PROC-1"));
  EXPECT_GT(d.id, 0);
  EXPECT_EQ(d.vendor, "Acme AI Academy");
  for (const char* spelling : {"acme ai academy", "ACME AI Academy, Inc.", "Acme-AI  Academy LLC"}) {
    SCOPED_TRACE(spelling);
    const auto v = store.find_vendor(spelling);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->vendor.name, "Acme AI Academy");
    ASSERT_EQ(v->history.size(), 1u);
    const auto& h = v->history[0];
    EXPECT_EQ(h.what, outcome::reject);
    EXPECT_EQ(h.rationale, "prompt slideware");
    EXPECT_EQ(h.ticket, "PROC-1");
    EXPECT_EQ(h.decided_by, "U123");
    EXPECT_EQ(h.decided_by_name, "dana");
    EXPECT_EQ(h.decided_at, 1000);
    EXPECT_EQ(h.source, "slack");
    EXPECT_EQ(h.place, "C42");
  }
  EXPECT_FALSE(store.find_vendor("Globex"));
}

TEST_F(decisions, a_new_decision_supersedes_the_old_one_and_history_keeps_both_newest_first) {
  store.record(make("Acme", outcome::defer, "wait for the pilot", 100));
  store.record(make("acme inc", outcome::approve, "pilot went well", 200));
  const auto v = store.find_vendor("Acme");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->history.size(), 2u);
  EXPECT_EQ(v->decision_count, 2u);
  EXPECT_EQ(v->history[0].what, outcome::approve);
  EXPECT_EQ(v->history[1].what, outcome::defer);
  // The first spelling stays the display name.
  EXPECT_EQ(v->vendor.name, "Acme");
}

TEST_F(decisions, an_imported_older_decision_does_not_supersede_a_newer_one) {
  store.record(make("Acme", outcome::approve, "current", 2000));
  store.import_all({make("Acme", outcome::reject, "from the 2024 spreadsheet", 1000)});
  const auto v = store.find_vendor("Acme");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->history[0].rationale, "current");
  EXPECT_EQ(v->history[1].rationale, "from the 2024 spreadsheet");
}

TEST_F(decisions, history_is_limited_but_the_count_is_of_all) {
  for (int i = 0; i < 15; ++i) store.record(make("Acme", outcome::defer, "round " + std::to_string(i), i));
  const auto v = store.find_vendor("Acme", 5);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->history.size(), 5u);
  EXPECT_EQ(v->decision_count, 15u);
  EXPECT_EQ(v->history[0].rationale, "round 14");
}

TEST_F(decisions, decisions_and_the_audit_log_cannot_be_changed_or_deleted) {
  store.record(make("Acme", outcome::approve, "ok", 1));
  auto& h = db.handle();
  EXPECT_THROW(h.exec("UPDATE decisions SET outcome = 'reject'"), SQLite::Exception);
  EXPECT_THROW(h.exec("DELETE FROM decisions"), SQLite::Exception);
  EXPECT_THROW(h.exec("DELETE FROM audit_log"), SQLite::Exception);
  EXPECT_THROW(h.exec("UPDATE audit_log SET actor = 'someone else'"), SQLite::Exception);
  EXPECT_EQ(store.find_vendor("Acme")->history[0].what, outcome::approve);
}

TEST_F(decisions, every_write_is_in_the_audit_log_with_who_what_and_where) {
  store.record(make("Acme", outcome::approve, "ok", 7, "PROC-9"));
  store.record(make("Globex", outcome::reject, "no", 8));
  EXPECT_EQ(store.audit_count("decision.record"), 2u);
  EXPECT_EQ(store.audit_count("vendor.create"), 2u);
  SQLite::Statement s(db.handle(),
                      "SELECT actor, origin, subject, details, at FROM audit_log "
                      "WHERE action = 'decision.record' ORDER BY id LIMIT 1");
  ASSERT_TRUE(s.executeStep());
  EXPECT_EQ(s.getColumn(0).getString(), "U123 (dana)");
  EXPECT_EQ(s.getColumn(1).getString(), "slack:C42");
  EXPECT_EQ(s.getColumn(2).getString(), "Acme");
  EXPECT_NE(s.getColumn(3).getString().find("\"ticket\":\"PROC-9\""), std::string::npos);
  EXPECT_EQ(s.getColumn(4).getInt64(), 7);
}

TEST_F(decisions, recent_is_newest_first_and_filters_by_outcome) {
  store.record(make("A", outcome::approve, "", 1));
  store.record(make("B", outcome::reject, "", 2));
  store.record(make("C", outcome::approve, "", 3));
  const auto all = store.recent(10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].vendor, "C");
  const auto approved = store.recent(10, outcome::approve);
  ASSERT_EQ(approved.size(), 2u);
  EXPECT_EQ(approved[1].vendor, "A");
  EXPECT_EQ(store.recent(1).size(), 1u);
}

TEST_F(decisions, search_finds_rationales_and_vendor_names_stemmed_and_highlighted) {
  store.record(make("Acme AI Academy", outcome::reject, "Mostly slideware about prompting", 1));
  store.record(make("Deep Practice", outcome::approve, "Practitioners shipped agents in week two", 2));
  auto hits = store.search("prompt");
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_TRUE(hits[0].found_decision);
  EXPECT_EQ(hits[0].found_decision->vendor, "Acme AI Academy");
  EXPECT_NE(hits[0].snippet.find(std::string(1, storage::mark_begin) + "prompting" +
                                 std::string(1, storage::mark_end)),
            std::string::npos)
      << hits[0].snippet;
  hits = store.search("deep");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].vendor, std::string(1, storage::mark_begin) + "Deep" +
                                std::string(1, storage::mark_end) + " Practice");
  // All words when some row has them all, else any of them.
  EXPECT_EQ(store.search("slideware prompting").size(), 1u);
  EXPECT_EQ(store.search("slideware agents").size(), 2u);
  EXPECT_TRUE(store.search("kubernetes").empty());
}

TEST_F(decisions, search_words_are_never_query_syntax) {
  store.record(make("Acme", outcome::reject, "slideware", 1));
  for (const char* hostile : {"\"", "slideware\" OR \"x", "vendor:acme", "NEAR(a b)", "*", "a AND",
                              "(((", "^slideware", "-slideware", "'; DROP TABLE decisions; --", ""}) {
    SCOPED_TRACE(hostile);
    EXPECT_NO_THROW(store.search(hostile));
  }
  EXPECT_EQ(store.search("slideware\" OR \"x").size(), 1u);
  EXPECT_EQ(store.decision_count(), 1u);
}

TEST_F(decisions, similar_vendors_suggest_close_names_and_nothing_for_strangers) {
  store.record(make("Acme AI Academy", outcome::reject, "", 1));
  store.record(make("Deep Practice Labs", outcome::approve, "", 2));
  auto near = store.similar_vendors("Acme Academy");
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0].name, "Acme AI Academy");
  near = store.similar_vendors("acme ai acadmey");
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0].name, "Acme AI Academy");
  near = store.similar_vendors("Acme");
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0].name, "Acme AI Academy");
  EXPECT_TRUE(store.similar_vendors("Globex Corporation").empty());
  EXPECT_TRUE(store.similar_vendors("\"*").empty());
}

TEST_F(decisions, aliases_point_other_spellings_at_the_same_vendor) {
  store.record(make("Acme AI Academy", outcome::approve, "", 1));
  EXPECT_TRUE(store.add_alias("acme ai academy", "AAA Training", {"U1", "", "cli", ""}, 2));
  const auto v = store.find_vendor("aaa training");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->vendor.name, "Acme AI Academy");
  EXPECT_EQ(v->aliases, std::vector<std::string>{"AAA Training"});
  EXPECT_FALSE(store.add_alias("Unknown Vendor", "Whatever", {"U1", "", "cli", ""}, 3));
  store.record(make("Globex", outcome::reject, "", 4));
  EXPECT_FALSE(store.add_alias("Globex", "AAA Training", {"U1", "", "cli", ""}, 5));
  EXPECT_EQ(store.audit_count("vendor.alias"), 1u);
}

TEST_F(decisions, an_import_with_a_failing_row_stores_nothing) {
  std::vector<decision_input> rows = {make("A", outcome::approve, "fine", 1),
                                      make(" ,. ", outcome::approve, "no vendor", 2)};
  EXPECT_THROW(store.import_all(rows), storage::write_error);
  EXPECT_EQ(store.decision_count(), 0u);
  EXPECT_FALSE(store.find_vendor("A"));
  EXPECT_EQ(store.audit_count("vendor.create"), 0u);
  rows.pop_back();
  EXPECT_EQ(store.import_all(rows), 1u);
  EXPECT_EQ(store.audit_count("decision.import"), 1u);
}

TEST_F(decisions, reviews_are_stored_searchable_and_the_latest_is_shown_with_the_vendor) {
  storage::review_input r;
  r.vendor = "Acme AI Academy";
  r.source = "cli";
  r.content_hash = "abc";
  r.score = 35;
  r.verdict = "do not proceed";
  r.summary = "3 red flags";
  r.findings_json = "{}";
  r.findings_text = "certificate focus without production projects";
  r.by = {"ops", "", "cli", ""};
  r.at = 50;
  store.record_review(r);
  r.score = 60;
  r.at = 60;
  store.record_review(r);
  const auto v = store.find_vendor("Acme AI Academy");
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->latest_review);
  EXPECT_EQ(v->latest_review->score, 60);
  EXPECT_EQ(v->decision_count, 0u);
  const auto hits = store.search("certificates");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_TRUE(hits[0].found_review);
  EXPECT_EQ(store.audit_count("review.record"), 2u);
}

TEST(decisions_failures, a_full_disk_fails_the_write_cleanly_and_keeps_what_was_there) {
  storage_test::temp_dir dir;
  storage::database_options o;
  o.path = (dir.path() / "full.db").string();
  storage::database db(o);
  storage::decision_store store(db);
  store.record(make("Acme", outcome::approve, "first", 1));
  const auto pages = db.handle().execAndGet("PRAGMA page_count").getInt();
  // The file may not grow any more: SQLite reports SQLITE_FULL, as on a full disk.
  db.handle().exec("PRAGMA max_page_count = " + std::to_string(pages));
  const std::string huge(64 * 1024, 'x');
  EXPECT_THROW(store.record(make("Globex", outcome::reject, huge, 2)), storage::write_error);
  EXPECT_EQ(store.decision_count(), 1u);
  EXPECT_FALSE(store.find_vendor("Globex"));
  EXPECT_EQ(store.audit_count("decision.record"), 1u);
  EXPECT_EQ(db.handle().execAndGet("PRAGMA integrity_check").getString(), "ok");
  // Space again, and writing works again.
  db.handle().exec("PRAGMA max_page_count = 1000000");
  EXPECT_NO_THROW(store.record(make("Globex", outcome::reject, "second", 3)));
}

TEST(decisions_failures, a_read_only_database_fails_the_write_cleanly) {
  storage::database db(memory());
  storage::decision_store store(db);
  store.record(make("Acme", outcome::approve, "first", 1));
  db.handle().exec("PRAGMA query_only = ON");
  EXPECT_THROW(store.record(make("Globex", outcome::reject, "", 2)), storage::write_error);
  db.handle().exec("PRAGMA query_only = OFF");
  EXPECT_EQ(store.decision_count(), 1u);
  EXPECT_FALSE(store.find_vendor("Globex"));
}

TEST(decisions_failures, a_second_process_holding_the_write_lock_is_waited_for_not_an_error) {
  storage_test::temp_dir dir;
  storage::database_options o;
  o.path = (dir.path() / "busy.db").string();
  storage::database db(o);
  storage::decision_store store(db);
  SQLite::Database other(o.path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    other.exec("COMMIT");
  });
  EXPECT_NO_THROW(store.record(make("Acme", outcome::approve, "", 1)));
  release.join();
  EXPECT_EQ(store.decision_count(), 1u);
}

TEST(decisions_failures, threads_recording_and_reading_at_once_lose_nothing) {
  storage_test::temp_dir dir;
  storage::database_options o;
  o.path = (dir.path() / "threads.db").string();
  storage::database db(o);
  storage::decision_store store(db);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        try {
          store.record(make("Vendor " + std::to_string(i % 5), outcome::defer, "t" + std::to_string(t), i));
          if (!store.find_vendor("vendor " + std::to_string(i % 5))) ++failures;
          store.search("t" + std::to_string(t));
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store.decision_count(), 400u);
  EXPECT_EQ(store.audit_count("decision.record"), 400u);
}

TEST(decisions_failures, no_statement_is_left_holding_a_read_lock_after_a_call) {
  // A statement left mid-result would keep its snapshot open: checkpoints could never finish and
  // the WAL file would grow for as long as the server runs.
  storage_test::temp_dir dir;
  storage::database_options o;
  o.path = (dir.path() / "checkpoint.db").string();
  storage::database db(o);
  storage::decision_store store(db);
  store.record(make("Acme", outcome::approve, "fine", 1));
  storage::review_input r;
  r.vendor = "Acme";
  r.source = "cli";
  r.content_hash = "h";
  r.verdict = "proceed";
  r.findings_json = "{}";
  r.by = {"ops", "", "cli", ""};
  store.record_review(r);
  store.find_vendor("acme");
  store.find_vendor("nobody");
  store.similar_vendors("acm");
  store.search("fine");
  store.recent(1);
  store.add_alias("Acme", "Acme Two", {"ops", "", "cli", ""}, 2);
  SQLite::Statement checkpoint(db.handle(), "PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_TRUE(checkpoint.executeStep());
  EXPECT_EQ(checkpoint.getColumn(0).getInt(), 0) << "checkpoint blocked by an open statement";
}

TEST_F(decisions, search_ranks_rare_words_and_vendor_names_above_common_words) {
  for (int i = 0; i < 20; ++i) store.record(make("Filler " + std::to_string(i), outcome::defer, "budget review pending", i));
  store.record(make("Acme", outcome::reject, "budget only covers slideware", 100));
  store.record(make("Budget Learning", outcome::approve, "fine", 50));
  // OR of a common and a rare word: the row with the rare one first.
  auto hits = store.search("slideware pending");
  ASSERT_FALSE(hits.empty());
  ASSERT_TRUE(hits[0].found_decision);
  EXPECT_EQ(hits[0].found_decision->vendor, "Acme");
  // A word in a vendor's name weighs more than the same word in a reason.
  hits = store.search("budget");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].found_decision->vendor, "Budget Learning");
}
