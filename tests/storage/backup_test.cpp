// Backups: a copy equal to the original, consistent while a server keeps committing, never written
// over the database itself or left half-written; check() on good, damaged and foreign files;
// restore refused while the database is in use, for a newer schema or a damaged backup, and a
// restored file equal to the backup (older versions migrated on the next open, a stale WAL gone).

#include "storage/backup.hpp"

#include "storage/database.hpp"
#include "storage/decisions.hpp"
#include "storage/instance_lock.hpp"

#include "tests/storage/temp_dir.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

using storage_test::temp_dir;

storage::database_options at(const fs::path& p, int version = -1) {
  storage::database_options o;
  o.path = p.string();
  o.migrate_to = version;
  return o;
}

storage::decision_input decision(const std::string& vendor, std::int64_t at, std::string rationale = "") {
  storage::decision_input in;
  in.vendor = vendor;
  in.what = storage::outcome::reject;
  in.rationale = rationale.empty() ? "certificates without production projects" : std::move(rationale);
  in.by = {"U1", "Ada", "slack", "C1"};
  in.at = at;
  return in;
}

// A closed database file with n decisions (and their vendors, search rows and audit rows).
void make_database(const fs::path& p, int n, const std::string& prefix = "Vendor ") {
  storage::database db(at(p));
  storage::decision_store store(db);
  for (int i = 0; i < n; ++i) store.record(decision(prefix + std::to_string(i % 7), 100 + i));
}

// Every row of a table, one string per row, in rowid order.
std::vector<std::string> rows(const fs::path& p, const std::string& table) {
  SQLite::Database db(p.string(), SQLite::OPEN_READONLY);
  SQLite::Statement s(db, "SELECT * FROM " + table + " ORDER BY rowid");
  std::vector<std::string> out;
  while (s.executeStep()) {
    std::string row;
    for (int c = 0; c < s.getColumnCount(); ++c) row += s.getColumn(c).getString() + "|";
    out.push_back(std::move(row));
  }
  return out;
}

std::int64_t scalar(const fs::path& p, const std::string& query) {
  SQLite::Database db(p.string(), SQLite::OPEN_READONLY);
  return db.execAndGet(query).getInt64();
}

std::string error_of(const auto& run) {
  try {
    run();
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* const tables[] = {"vendors", "vendor_aliases", "decisions", "reviews", "audit_log",
                              "search_index", "inbox", "outbox"};

}  // namespace

TEST(backup, the_copy_has_the_same_rows_and_passes_its_check) {
  temp_dir dir;
  const auto db = dir.path() / "bot.db";
  const auto copy = dir.path() / "backups" / "copy.db";
  make_database(db, 30);
  fs::create_directories(copy.parent_path());
  const auto report = storage::backup(db.string(), copy.string());
  EXPECT_EQ(report.path, copy.string());
  EXPECT_EQ(report.bytes, static_cast<std::int64_t>(fs::file_size(copy)));
  EXPECT_EQ(report.schema_version, storage::database::schema_version());
  for (const char* table : tables) {
    SCOPED_TRACE(table);
    EXPECT_EQ(rows(copy, table), rows(db, table));
  }
  // One self-contained file: rollback-journal mode, nothing beside it.
  EXPECT_EQ(SQLite::Database(copy.string(), SQLite::OPEN_READONLY).execAndGet("PRAGMA journal_mode").getString(),
            "delete");
  for (const char* suffix : {".tmp", "-wal", "-shm", "-journal"})
    EXPECT_FALSE(fs::exists(copy.string() + suffix)) << suffix;
  const auto checked = storage::check(copy.string());
  EXPECT_TRUE(checked.ok);
  EXPECT_TRUE(checked.problems.empty());
  EXPECT_EQ(checked.decisions, 30);
  EXPECT_EQ(checked.vendors, 7);
  EXPECT_EQ(checked.reviews, 0);
  EXPECT_EQ(checked.schema_version, storage::database::schema_version());
  EXPECT_EQ(checked.supported_version, storage::database::schema_version());
  EXPECT_EQ(checked.bytes, report.bytes);
}

TEST(backup, replaces_an_existing_file_and_a_stale_temporary_one) {
  temp_dir dir;
  const auto db = dir.path() / "bot.db";
  const auto copy = dir.path() / "copy.db";
  make_database(db, 3);
  std::ofstream(copy) << "last week's backup";
  std::ofstream(copy.string() + ".tmp") << "left by a crashed backup";
  storage::backup(db.string(), copy.string());
  EXPECT_EQ(storage::check(copy.string()).decisions, 3);
  EXPECT_FALSE(fs::exists(copy.string() + ".tmp"));
}

TEST(backup, a_copy_taken_while_a_server_commits_is_consistent_and_has_every_earlier_commit) {
  temp_dir dir;
  const auto db_path = dir.path() / "bot.db";
  const auto copy = dir.path() / "copy.db";
  auto o = at(db_path);
  o.background_checkpoint = true;
  o.checkpoint_interval_ms = 5;
  storage::database db(o);
  storage::decision_store store(db);
  {
    // A few megabytes, so the copy takes long enough for commits to land during it.
    std::lock_guard lock(db.mutex());
    db.handle().exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
        "INSERT INTO vendors (name, key, created_at) SELECT 'Filler ' || i, 'filler ' || i || "
        "hex(randomblob(500)), i FROM n");
  }
  std::atomic<int> committed{0};
  std::atomic<bool> stop{false};
  std::string writer_error;
  std::thread writer([&] {
    try {
      for (int i = 0; !stop.load(); ++i) {
        store.record(decision("Acme " + std::to_string(i % 5), 1000 + i));
        committed.fetch_add(1);
      }
    } catch (const std::exception& e) {
      writer_error = e.what();
    }
  });
  while (committed.load() < 50 && writer_error.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const int before = committed.load();
  std::string backup_error;
  try {
    storage::backup(db_path.string(), copy.string());
  } catch (const std::exception& e) {
    backup_error = e.what();
  }
  // The server went on committing meanwhile (it was not blocked), and goes on a little longer.
  const int at_end = committed.load();
  while (committed.load() < at_end + 20 && writer_error.empty())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  stop = true;
  writer.join();
  ASSERT_EQ(writer_error, "");
  ASSERT_EQ(backup_error, "");
  const auto checked = storage::check(copy.string());
  EXPECT_TRUE(checked.ok) << (checked.problems.empty() ? "" : checked.problems.front());
  EXPECT_GE(checked.decisions, before);
  EXPECT_LT(checked.decisions, committed.load());
  // Each decision is a transaction of several rows: the copy holds whole transactions only, and
  // every one before the last it holds (ids are consecutive).
  EXPECT_EQ(scalar(copy, "SELECT max(id) FROM decisions"), checked.decisions);
  EXPECT_EQ(scalar(copy, "SELECT count(*) FROM search_index WHERE kind = 'decision'"), checked.decisions);
  EXPECT_EQ(scalar(copy, "SELECT count(*) FROM audit_log WHERE action = 'decision.record'"),
            checked.decisions);
}

TEST(backup, refuses_to_write_over_the_database_or_its_companion_files) {
  temp_dir dir;
  const auto db = dir.path() / "bot.db";
  make_database(db, 2);
  const auto same = {db.string(), (dir.path() / "." / "bot.db").string(),
                     (dir.path() / "x" / ".." / "bot.db").string(), db.string() + "-wal",
                     db.string() + "-shm", db.string() + ".lock"};
  for (const auto& dest : same) {
    SCOPED_TRACE(dest);
    const auto e = error_of([&] { storage::backup(db.string(), dest); });
    ASSERT_FALSE(e.empty());
    EXPECT_TRUE(contains(e, "the database")) << e;
    EXPECT_TRUE(contains(e, db.string())) << e;
  }
  fs::create_directories(dir.path() / "link-to");
  fs::create_symlink(db, dir.path() / "link-to" / "bot.db");
  EXPECT_FALSE(error_of([&] { storage::backup(db.string(), (dir.path() / "link-to" / "bot.db").string()); }).empty());
  EXPECT_EQ(storage::check(db.string()).decisions, 2);
  EXPECT_TRUE(storage::check(db.string()).ok);
}

TEST(backup, a_destination_in_a_missing_folder_is_refused_naming_it_and_leaves_nothing) {
  temp_dir dir;
  const auto db = dir.path() / "bot.db";
  make_database(db, 1);
  const auto missing = dir.path() / "missing";
  const auto dest = missing / "copy.db";
  const auto e = error_of([&] { storage::backup(db.string(), dest.string()); });
  ASSERT_FALSE(e.empty());
  EXPECT_TRUE(contains(e, missing.string())) << e;
  EXPECT_FALSE(fs::exists(missing));
}

TEST(backup, a_failed_copy_leaves_the_destination_as_it_was_and_no_temporary_file) {
  temp_dir dir;
  const auto not_db = dir.path() / "notes.txt";
  std::ofstream(not_db) << std::string(8192, 'n');
  const auto dest = dir.path() / "copy.db";
  std::ofstream(dest) << "last week's backup";
  const auto e = error_of([&] { storage::backup(not_db.string(), dest.string()); });
  ASSERT_FALSE(e.empty());
  EXPECT_TRUE(contains(e, not_db.string())) << e;
  std::ifstream in(dest);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "last week's backup");
  EXPECT_FALSE(fs::exists(dest.string() + ".tmp"));
  EXPECT_FALSE(fs::exists(dest.string() + ".tmp-journal"));
  // And a database that does not exist is named, not created.
  const auto absent = dir.path() / "absent.db";
  EXPECT_TRUE(contains(error_of([&] { storage::backup(absent.string(), dest.string()); }), absent.string()));
  EXPECT_FALSE(fs::exists(absent));
}

TEST(check, a_text_file_is_not_a_database_and_is_named) {
  temp_dir dir;
  const auto file = dir.path() / "notes.txt";
  std::ofstream(file) << "these are notes, not a database\n" << std::string(4096, '.');
  const auto e = error_of([&] { storage::check(file.string()); });
  EXPECT_TRUE(contains(e, "not a database")) << e;
  EXPECT_TRUE(contains(e, file.string())) << e;
  const auto absent = dir.path() / "absent.db";
  EXPECT_TRUE(contains(error_of([&] { storage::check(absent.string()); }), absent.string()));
  EXPECT_FALSE(fs::exists(absent));
}

TEST(check, a_live_database_is_checked_read_only_while_it_is_open) {
  temp_dir dir;
  const auto file = dir.path() / "bot.db";
  storage::database db(at(file));
  storage::decision_store store(db);
  store.record(decision("Acme", 1));
  const auto r = storage::check(file.string());
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.decisions, 1);  // committed in the WAL, seen by the checker
  store.record(decision("Acme", 2));
  EXPECT_EQ(store.decision_count(), 2u);
}

TEST(check, a_file_with_a_damaged_table_page_reports_problems) {
  temp_dir dir;
  const auto file = dir.path() / "bot.db";
  {
    storage::database db(at(file));
    storage::decision_store store(db);
    std::vector<storage::decision_input> many;
    for (int i = 0; i < 400; ++i)
      many.push_back(decision("Vendor " + std::to_string(i), i, "rationale " + std::string(200, 'r')));
    store.import_all(many);
  }
  ASSERT_FALSE(fs::exists(file.string() + "-wal")) << "the last close checkpoints the WAL";
  const auto page_size = scalar(file, "PRAGMA page_size");
  const auto root = scalar(file, "SELECT rootpage FROM sqlite_master WHERE name = 'decisions'");
  ASSERT_GT(root, 1);
  {
    // The middle of the decisions table's root page (an interior page: it points at the others).
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size + 8);
    const std::string junk(static_cast<std::size_t>(page_size) - 16, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  try {
    const auto r = storage::check(file.string());
    EXPECT_FALSE(r.ok);
    ASSERT_FALSE(r.problems.empty());
    EXPECT_LE(r.problems.size(), 100u);
    std::printf("  %zu problems, the first: %s\n", r.problems.size(), r.problems.front().c_str());
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(contains(e.what(), file.string())) << e.what();
  }
}

TEST(check, broken_foreign_keys_are_problems) {
  temp_dir dir;
  const auto file = dir.path() / "bot.db";
  make_database(file, 1);
  {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);  // foreign_keys off by default
    raw.exec("INSERT INTO vendor_aliases (key, name, vendor_id) VALUES ('ghost', 'Ghost', 999)");
  }
  const auto r = storage::check(file.string());
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_TRUE(contains(r.problems[0], "vendor_aliases")) << r.problems[0];
  EXPECT_TRUE(contains(r.problems[0], "vendors")) << r.problems[0];
}

TEST(check, tables_that_are_missing_count_zero) {
  temp_dir dir;
  const auto file = dir.path() / "plain.db";
  { SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); raw.exec("CREATE TABLE t (x)"); }
  const auto r = storage::check(file.string());
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.schema_version, 0);
  EXPECT_EQ(r.decisions + r.reviews + r.vendors, 0);
}

TEST(restore, is_refused_while_the_database_is_in_use_and_changes_nothing) {
  temp_dir dir;
  const auto db = dir.path() / "bot.db";
  const auto copy = dir.path() / "copy.db";
  make_database(db, 2);
  storage::backup(db.string(), copy.string());
  make_database(db, 3);  // the live database moved on: 5 decisions
  const storage::instance_lock server(db.string(), "serve");
  try {
    storage::restore(copy.string(), db.string());
    FAIL() << "restored under a running server";
  } catch (const storage::lock_held& e) {
    EXPECT_TRUE(contains(e.what(), "in use")) << e.what();
    EXPECT_TRUE(contains(e.what(), "serve")) << e.what();
  }
  EXPECT_EQ(storage::check(db.string()).decisions, 5);
  EXPECT_FALSE(fs::exists(db.string() + ".restore.tmp"));
}

TEST(restore, a_backup_of_a_newer_schema_is_refused) {
  temp_dir dir;
  const auto db = dir.path() / "bot.db";
  const auto copy = dir.path() / "newer.db";
  make_database(db, 2);
  storage::backup(db.string(), copy.string());
  {
    SQLite::Database raw(copy.string(), SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = " + std::to_string(storage::database::schema_version() + 1));
  }
  make_database(db, 1);
  const auto e = error_of([&] { storage::restore(copy.string(), db.string()); });
  EXPECT_TRUE(contains(e, "newer")) << e;
  EXPECT_TRUE(contains(e, copy.string())) << e;
  EXPECT_EQ(storage::check(db.string()).decisions, 3);
  EXPECT_FALSE(storage::instance_lock::held_elsewhere(db.string())) << "restore released its lock";
}

TEST(restore, a_damaged_or_foreign_backup_is_refused) {
  temp_dir dir;
  const auto db = dir.path() / "bot.db";
  make_database(db, 2);
  const auto notes = dir.path() / "notes.txt";
  std::ofstream(notes) << std::string(8192, 'n');
  auto e = error_of([&] { storage::restore(notes.string(), db.string()); });
  EXPECT_TRUE(contains(e, "not a database")) << e;
  EXPECT_TRUE(contains(e, notes.string())) << e;
  const auto broken = dir.path() / "broken.db";
  make_database(broken, 1);
  {
    SQLite::Database raw(broken.string(), SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO vendor_aliases (key, name, vendor_id) VALUES ('ghost', 'Ghost', 999)");
  }
  e = error_of([&] { storage::restore(broken.string(), db.string()); });
  EXPECT_TRUE(contains(e, "fails its check")) << e;
  const auto empty = dir.path() / "empty.db";
  { SQLite::Database raw(empty.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); raw.exec("CREATE TABLE t (x)"); }
  e = error_of([&] { storage::restore(empty.string(), db.string()); });
  EXPECT_TRUE(contains(e, "not a playbook-bot database")) << e;
  e = error_of([&] { storage::restore(db.string(), db.string()); });
  EXPECT_TRUE(contains(e, "the database itself")) << e;
  EXPECT_EQ(storage::check(db.string()).decisions, 2);
  EXPECT_FALSE(fs::exists(db.string() + ".restore.tmp"));
}

TEST(restore, an_older_version_backup_creates_the_database_and_is_migrated_when_opened) {
  temp_dir dir;
  const auto old = dir.path() / "v3.db";
  {
    storage::database v3(at(old, 3));
    v3.handle().exec(
        "INSERT INTO vendors (id, name, key, created_at) VALUES (1, 'Acme AI Academy', "
        "'acme ai academy', 100);"
        "INSERT INTO vendor_aliases (key, name, vendor_id) VALUES ('acme ai academy', "
        "'Acme AI Academy', 1);"
        "INSERT INTO decisions (vendor_id, outcome, rationale, decided_by, decided_at, source) "
        "VALUES (1, 'reject', 'slideware about prompt engineering', 'U1', 100, 'slack');");
  }
  const auto db = dir.path() / "new" / "place" / "bot.db";
  const auto report = storage::restore(old.string(), db.string());
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.schema_version, 3);
  EXPECT_EQ(report.decisions, 1);
  EXPECT_FALSE(fs::exists(db.string() + ".restore.tmp"));
  storage::database opened(at(db));
  EXPECT_EQ(opened.handle().execAndGet("PRAGMA user_version").getInt(), storage::database::schema_version());
  storage::decision_store store(opened);
  const auto acme = store.find_vendor("acme ai academy");
  ASSERT_TRUE(acme);
  ASSERT_EQ(acme->history.size(), 1u);
  EXPECT_EQ(acme->history[0].rationale, "slideware about prompt engineering");
}

TEST(restore, a_stale_wal_of_the_replaced_file_is_not_replayed_into_the_restored_one) {
  temp_dir dir;
  const auto source = dir.path() / "source.db";
  const auto copy = dir.path() / "copy.db";
  make_database(source, 3, "Backed-up ");
  storage::backup(source.string(), copy.string());

  // The live database, as a killed server leaves it: its last commits only in its -wal.
  const auto db = dir.path() / "bot.db";
  const auto wal = db.string() + "-wal";
  make_database(db, 2, "Old ");
  {
    storage::database live(at(db));
    storage::decision_store store(live);
    for (int i = 0; i < 5; ++i) store.record(decision("Newer " + std::to_string(i), 500 + i));
    ASSERT_TRUE(fs::exists(wal));
    fs::copy_file(wal, dir.path() / "saved-wal");
  }
  fs::copy_file(dir.path() / "saved-wal", wal, fs::copy_options::overwrite_existing);
  ASSERT_GT(fs::file_size(wal), 0u);

  const auto report = storage::restore(copy.string(), db.string());
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.decisions, 3);
  EXPECT_FALSE(fs::exists(wal));
  EXPECT_FALSE(fs::exists(db.string() + "-shm"));
  // Opened as a server opens it (WAL mode): what is there is the backup, row for row.
  { storage::database opened(at(db)); EXPECT_TRUE(opened.ping()); }
  for (const char* table : tables) {
    SCOPED_TRACE(table);
    EXPECT_EQ(rows(db, table), rows(copy, table));
  }
  EXPECT_TRUE(storage::check(db.string()).ok);
}
