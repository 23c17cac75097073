// Schema migrations: a new file and a file at every earlier version end at the current version
// with their data kept and indexed; a failed migration leaves the file at its last good version.

#include "storage/database.hpp"
#include "storage/decisions.hpp"
#include "storage/migrations.hpp"

#include "tests/storage/temp_dir.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <string>

namespace {

using storage_test::temp_dir;

storage::database_options at(const std::filesystem::path& p, int version = -1) {
  storage::database_options o;
  o.path = p.string();
  o.migrate_to = version;
  return o;
}

int version_of(const std::filesystem::path& p) {
  SQLite::Database db(p.string(), SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace

TEST(migrations, the_schema_version_is_the_number_of_migrations) {
  EXPECT_EQ(storage::database::schema_version(), static_cast<int>(storage::migrations().size()));
  EXPECT_GE(storage::database::schema_version(), 5);
}

TEST(migrations, an_empty_file_is_migrated_to_the_current_version) {
  temp_dir dir;
  const auto file = dir.path() / "empty.db";
  { SQLite::Database create(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
  ASSERT_EQ(version_of(file), 0);
  { storage::database db(at(file)); }
  EXPECT_EQ(version_of(file), storage::database::schema_version());
}

TEST(migrations, every_earlier_version_is_migrated_to_the_current_one_keeping_its_data) {
  for (int from = 1; from < storage::database::schema_version(); ++from) {
    SCOPED_TRACE("from version " + std::to_string(from));
    temp_dir dir;
    const auto file = dir.path() / "old.db";
    {
      // A database as a build of that version left it, with a decision in it (written by hand:
      // the store itself needs the current schema).
      storage::database old(at(file, from));
      old.handle().exec(
          "INSERT INTO vendors (id, name, key, created_at) VALUES (1, 'Acme AI Academy', "
          "'acme ai academy', 100);"
          "INSERT INTO vendor_aliases (key, name, vendor_id) VALUES ('acme ai academy', "
          "'Acme AI Academy', 1);"
          "INSERT INTO decisions (vendor_id, outcome, rationale, decided_by, decided_at, source) "
          "VALUES (1, 'reject', 'slideware about prompt engineering', 'U1', 100, 'slack');");
    }
    ASSERT_EQ(version_of(file), from);
    storage::database db(at(file));
    EXPECT_EQ(version_of(file), storage::database::schema_version());
    storage::decision_store store(db);
    const auto acme = store.find_vendor("ACME AI Academy, Inc.");
    ASSERT_TRUE(acme);
    ASSERT_EQ(acme->history.size(), 1u);
    EXPECT_EQ(acme->history[0].rationale, "slideware about prompt engineering");
    // Rows written before search existed are searchable after the migration.
    const auto hits = store.search("slideware");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_TRUE(hits[0].found_decision);
    EXPECT_EQ(store.similar_vendors("acme academy").size(), 1u);
    // The ticket tables (version 4) are there, empty.
    for (const char* table : {"inbox", "ticket_state", "outbox"}) {
      SCOPED_TRACE(table);
      EXPECT_EQ(db.handle().execAndGet(std::string("SELECT count(*) FROM ") + table).getInt(), 0);
    }
    // The outbox's request ids (version 5).
    EXPECT_EQ(db.handle()
                  .execAndGet("SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'request_id'")
                  .getInt(),
              1);
  }
}

TEST(migrations, reopening_a_current_file_changes_nothing) {
  temp_dir dir;
  const auto file = dir.path() / "current.db";
  {
    storage::database db(at(file));
    storage::decision_store store(db);
    storage::decision_input in;
    in.vendor = "Acme";
    in.what = storage::outcome::approve;
    in.by = {"U1", "", "cli", ""};
    in.at = 5;
    store.record(in);
  }
  storage::database db(at(file));
  storage::decision_store store(db);
  EXPECT_EQ(store.decision_count(), 1u);
  EXPECT_EQ(version_of(file), storage::database::schema_version());
}

TEST(migrations, a_failed_migration_leaves_the_last_good_version_and_names_itself) {
  temp_dir dir;
  const auto file = dir.path() / "broken.db";
  {
    storage::database old(at(file, 1));
    // Something in the way of version 2: a table of the name it creates.
    old.handle().exec("CREATE TABLE search_index (x)");
  }
  try {
    storage::database db(at(file));
    FAIL() << "the migration succeeded over a conflicting table";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("migration to version 2"), std::string::npos) << message;
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  }
  EXPECT_EQ(version_of(file), 1);
  SQLite::Database check(file.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'decisions_search'")
                .getInt(),
            0);
}

TEST(migrations, two_processes_opening_a_new_file_at_once_migrate_it_once) {
  temp_dir dir;
  const auto file = dir.path() / "race.db";
  storage::database a(at(file));
  storage::database b(at(file));  // sees the current version and applies nothing
  EXPECT_EQ(version_of(file), storage::database::schema_version());
}
