// The SQLite database: opened in memory and on a real file (with its folder created), in WAL mode,
// refusing files written by a newer build and paths it cannot open, with messages naming the file;
// a writer finding the file locked waits (counted by busy_retries) up to its busy timeout.

#include "storage/database.hpp"

#include "tests/storage/temp_dir.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

namespace fs = std::filesystem;

using storage_test::temp_dir;

storage::database_options at(const fs::path& p) {
  storage::database_options o;
  o.path = p.string();
  return o;
}

// The message of the exception opening path throws, or "" when it opened.
std::string open_error(const std::string& path) {
  try {
    storage::database_options o;
    o.path = path;
    storage::database db(o);
    return "";
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

}  // namespace

TEST(database, default_options_name_the_documented_file) {
  const storage::database_options o;
  EXPECT_EQ(o.path, "./var/playbook.db");
  EXPECT_GT(o.busy_timeout_ms, 0);
}

TEST(database, opens_in_memory_and_answers_ping) {
  storage::database_options o;
  o.path = ":memory:";
  storage::database db(o);
  EXPECT_TRUE(db.ping());
  EXPECT_EQ(db.path(), ":memory:");
}

TEST(database, opens_a_new_file_creating_missing_parent_folders) {
  temp_dir dir;
  const auto file = dir.path() / "a" / "b" / "c" / "playbook.db";
  ASSERT_FALSE(fs::exists(file.parent_path()));
  storage::database db(at(file));
  EXPECT_TRUE(db.ping());
  EXPECT_EQ(db.path(), file.string());
  EXPECT_TRUE(fs::exists(file));
}

TEST(database, opens_a_file_in_an_existing_folder_and_reopens_it) {
  temp_dir dir;
  const auto file = dir.path() / "playbook.db";
  { storage::database db(at(file)); EXPECT_TRUE(db.ping()); }
  storage::database again(at(file));
  EXPECT_TRUE(again.ping());
}

TEST(database, a_file_database_is_in_wal_mode) {
  temp_dir dir;
  const auto file = dir.path() / "wal.db";
  storage::database db(at(file));
  // WAL is a property of the file, so a second connection sees it.
  SQLite::Database check(file.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(database, a_new_file_has_the_current_schema_version) {
  temp_dir dir;
  const auto file = dir.path() / "version.db";
  { storage::database db(at(file)); }
  SQLite::Database check(file.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("PRAGMA user_version").getInt(), storage::database::schema_version());
}

TEST(database, two_connections_to_one_file_can_be_open_at_once) {
  temp_dir dir;
  const auto file = dir.path() / "shared.db";
  storage::database a(at(file));
  storage::database b(at(file));
  EXPECT_TRUE(a.ping());
  EXPECT_TRUE(b.ping());
}

TEST(database, a_file_written_by_a_newer_version_is_refused_naming_the_file) {
  temp_dir dir;
  const auto file = dir.path() / "newer.db";
  {
    SQLite::Database newer(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    newer.exec("PRAGMA user_version = " + std::to_string(storage::database::schema_version() + 1));
  }
  const auto e = open_error(file.string());
  ASSERT_FALSE(e.empty()) << "a newer schema was accepted";
  EXPECT_NE(e.find(file.string()), std::string::npos) << e;
  EXPECT_NE(e.find("newer"), std::string::npos) << e;
  // Refused untouched: still in its original journal mode, not switched to WAL.
  SQLite::Database check(file.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("PRAGMA journal_mode").getString(), "delete");
}

TEST(database, a_file_of_the_current_version_is_accepted) {
  temp_dir dir;
  const auto file = dir.path() / "current.db";
  {
    SQLite::Database current(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    current.exec("PRAGMA user_version = " + std::to_string(storage::database::schema_version()));
  }
  EXPECT_EQ(open_error(file.string()), "");
}

TEST(database, a_directory_is_refused_naming_it) {
  temp_dir dir;
  const auto e = open_error(dir.path().string());
  ASSERT_FALSE(e.empty()) << "a directory was opened as a database";
  EXPECT_NE(e.find(dir.path().string()), std::string::npos) << e;
}

TEST(database, a_path_under_a_regular_file_is_refused_naming_it) {
  // The parent folder cannot be created because a file of that name is in the way; this fails
  // even for root, unlike a read-only folder.
  temp_dir dir;
  const auto blocker = dir.path() / "not-a-folder";
  std::ofstream(blocker) << "x";
  const auto file = blocker / "sub" / "playbook.db";
  const auto e = open_error(file.string());
  ASSERT_FALSE(e.empty());
  EXPECT_NE(e.find(file.string()), std::string::npos) << e;
}

TEST(database, a_file_that_is_not_a_database_is_refused_naming_it) {
  temp_dir dir;
  const auto file = dir.path() / "garbage.db";
  {
    std::ofstream out(file, std::ios::binary);
    out << std::string(4096, 'x');
  }
  const auto e = open_error(file.string());
  ASSERT_FALSE(e.empty());
  EXPECT_NE(e.find(file.string()), std::string::npos) << e;
}

TEST(database, background_checkpoints_empty_the_wal_without_a_commit_doing_it) {
  temp_dir dir;
  storage::database_options o;
  o.path = (dir.path() / "bot.db").string();
  o.background_checkpoint = true;
  o.checkpoint_interval_ms = 20;
  storage::database db(o);
  EXPECT_EQ(db.handle().execAndGet("PRAGMA wal_autocheckpoint").getInt(), 0);
  {
    std::lock_guard lock(db.mutex());
    db.handle().exec("CREATE TABLE t (x BLOB)");
    for (int i = 0; i < 50; ++i) db.handle().exec("INSERT INTO t VALUES (randomblob(8000))");
  }
  // The serving connection never checkpoints (autocheckpoint is off), so only the background
  // thread can have copied the rows from the WAL into the database file.
  bool done = false;
  for (int i = 0; i < 250 && !done; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    done = std::filesystem::file_size(dir.path() / "bot.db") > 50 * 8000;
  }
  EXPECT_TRUE(done);
}

TEST(database, workers_let_a_waiting_request_take_the_lock_first) {
  storage::priority_mutex m;
  std::atomic<int> order{0};
  int request_at = 0, worker_at = 0;
  m.lock();  // a transaction in progress
  std::thread request([&] {
    m.lock();
    request_at = ++order;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    m.unlock();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the request is waiting now
  std::thread worker([&] {
    storage::background_lock lock(m);
    worker_at = ++order;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  m.unlock();
  request.join();
  worker.join();
  EXPECT_EQ(request_at, 1);
  EXPECT_EQ(worker_at, 2);
}

TEST(database_busy, a_writer_waits_for_another_connections_transaction_and_the_wait_is_counted) {
  temp_dir dir;
  storage::database holder(at(dir.path() / "busy.db"));
  storage::database writer(at(dir.path() / "busy.db"));
  holder.handle().exec("CREATE TABLE t (x INTEGER)");
  const auto before = storage::busy_retries();
  holder.handle().exec("BEGIN IMMEDIATE");
  holder.handle().exec("INSERT INTO t VALUES (1)");
  // The holder's write transaction is open before the writer starts, so the writer finds the
  // database locked however the threads are scheduled.
  std::thread commit([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    holder.handle().exec("COMMIT");
  });
  EXPECT_NO_THROW(writer.handle().exec("INSERT INTO t VALUES (2)"));
  commit.join();
  EXPECT_GT(storage::busy_retries(), before);
  EXPECT_EQ(writer.handle().execAndGet("SELECT count(*) FROM t").getInt(), 2);
}

TEST(database_busy, a_writer_gives_up_after_its_busy_timeout) {
  temp_dir dir;
  storage::database holder(at(dir.path() / "busy.db"));
  auto o = at(dir.path() / "busy.db");
  o.busy_timeout_ms = 30;
  storage::database writer(o);
  holder.handle().exec("CREATE TABLE t (x INTEGER)");
  holder.handle().exec("BEGIN IMMEDIATE");
  const auto before = storage::busy_retries();
  try {
    writer.handle().exec("INSERT INTO t VALUES (2)");
    FAIL() << "wrote while another connection held the write lock";
  } catch (const SQLite::Exception& e) {
    EXPECT_EQ(e.getErrorCode(), SQLITE_BUSY) << e.what();
  }
  // At least one wait before giving up (30 ms are a handful of sleeps).
  EXPECT_GE(storage::busy_retries() - before, 2u);
  holder.handle().exec("ROLLBACK");
  EXPECT_NO_THROW(writer.handle().exec("INSERT INTO t VALUES (3)"));
}
