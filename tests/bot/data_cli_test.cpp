// backup, restore, check and healthcheck as the CLI runs them: what they print, their exit
// statuses, and that a refused restore changes nothing and a done one keeps what it replaced.

#include "bot/data_cli.hpp"

#include "storage/database.hpp"
#include "storage/decisions.hpp"
#include "storage/instance_lock.hpp"
#include "tests/storage/temp_dir.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct run_result {
  int status = 0;
  std::string out, err;
};

template <class F>
run_result run(F command, std::vector<std::string> args, const bot::settings& s) {
  std::ostringstream out, err;
  run_result r;
  r.status = command(args, s, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

bot::settings with_db(const fs::path& db) {
  bot::settings s;
  s.db_path = db.string();
  return s;
}

// A database holding `n` decisions about vendor.
void fill(const fs::path& db, std::string_view vendor, int n) {
  storage::database d({.path = db.string()});
  storage::decision_store store(d);
  for (int i = 0; i < n; ++i) {
    storage::decision_input in;
    in.vendor = std::string(vendor);
    in.what = storage::outcome::approve;
    in.rationale = "row " + std::to_string(i);
    in.by = {"U1", "alice", "cli", ""};
    in.at = 1'800'000'000 + i;
    store.record(in);
  }
}

std::size_t decisions_of(const fs::path& db, std::string_view vendor) {
  storage::database d({.path = db.string()});
  storage::decision_store store(d);
  const auto status = store.find_vendor(vendor, 100);
  return status ? status->history.size() : 0;
}

TEST(data_cli, backup_then_check_reports_the_copy) {
  storage_test::temp_dir dir;
  fill(dir.path() / "playbook.db", "Acme Academy", 3);
  const auto s = with_db(dir.path() / "playbook.db");
  const auto b = run(bot::run_backup, {(dir.path() / "copy.db").string()}, s);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_NE(b.out.find("copy.db"), std::string::npos) << b.out;
  const auto c = run(bot::run_check, {}, with_db(dir.path() / "copy.db"));
  EXPECT_EQ(c.status, 0) << c.err;
  EXPECT_NE(c.out.find(": ok"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("3 decisions"), std::string::npos) << c.out;
  EXPECT_EQ(decisions_of(dir.path() / "copy.db", "Acme Academy"), 3u);
}

TEST(data_cli, misuse_is_exit_2_with_usage) {
  storage_test::temp_dir dir;
  const auto s = with_db(dir.path() / "playbook.db");
  EXPECT_EQ(run(bot::run_backup, {}, s).status, 2);
  EXPECT_EQ(run(bot::run_backup, {"a", "b"}, s).status, 2);
  EXPECT_EQ(run(bot::run_restore, {}, s).status, 2);
  EXPECT_EQ(run(bot::run_check, {"extra"}, s).status, 2);
  EXPECT_EQ(run(bot::run_healthcheck, {"extra"}, s).status, 2);
}

TEST(data_cli, a_missing_database_is_said_plainly) {
  storage_test::temp_dir dir;
  const auto s = with_db(dir.path() / "none.db");
  const auto b = run(bot::run_backup, {(dir.path() / "copy.db").string()}, s);
  EXPECT_EQ(b.status, 1);
  EXPECT_NE(b.err.find("no database"), std::string::npos) << b.err;
  EXPECT_FALSE(fs::exists(dir.path() / "none.db"));
  EXPECT_EQ(run(bot::run_check, {}, s).status, 1);
}

TEST(data_cli, restore_keeps_the_replaced_database_and_brings_back_the_backup) {
  storage_test::temp_dir dir;
  const auto db = dir.path() / "playbook.db";
  fill(db, "Acme Academy", 2);
  ASSERT_EQ(run(bot::run_backup, {(dir.path() / "monday.db").string()}, with_db(db)).status, 0);
  fill(db, "Acme Academy", 1);  // a third decision, made after the backup
  ASSERT_EQ(decisions_of(db, "Acme Academy"), 3u);

  const auto r = run(bot::run_restore, {(dir.path() / "monday.db").string()}, with_db(db));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("kept the current database as"), std::string::npos) << r.out;
  EXPECT_EQ(decisions_of(db, "Acme Academy"), 2u);
  // What the restore replaced is still there, whole.
  std::size_t kept = 0;
  for (const auto& e : fs::directory_iterator(dir.path()))
    if (e.path().filename().string().starts_with("playbook.db.before-restore-")) {
      ++kept;
      EXPECT_EQ(decisions_of(e.path(), "Acme Academy"), 3u);
    }
  EXPECT_EQ(kept, 1u);
}

TEST(data_cli, restore_is_refused_while_a_server_holds_the_database) {
  storage_test::temp_dir dir;
  const auto db = dir.path() / "playbook.db";
  fill(db, "Acme Academy", 1);
  ASSERT_EQ(run(bot::run_backup, {(dir.path() / "b.db").string()}, with_db(db)).status, 0);
  fill(db, "Acme Academy", 1);
  {
    const storage::instance_lock server(db.string(), "serve");
    const auto r = run(bot::run_restore, {(dir.path() / "b.db").string()}, with_db(db));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("restore refused"), std::string::npos) << r.err;
  }
  EXPECT_EQ(decisions_of(db, "Acme Academy"), 2u);  // untouched
}

TEST(data_cli, a_damaged_or_foreign_backup_is_refused_and_changes_nothing) {
  storage_test::temp_dir dir;
  const auto db = dir.path() / "playbook.db";
  fill(db, "Acme Academy", 2);
  const auto junk = dir.path() / "junk.db";
  std::ofstream(junk) << "this is not an SQLite database, just text\n";
  const auto r = run(bot::run_restore, {junk.string()}, with_db(db));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("junk.db"), std::string::npos) << r.err;
  EXPECT_EQ(decisions_of(db, "Acme Academy"), 2u);
  const auto c = run(bot::run_check, {}, with_db(junk));
  EXPECT_EQ(c.status, 1);
}

TEST(data_cli, a_damaged_database_is_kept_as_it_is_and_replaced_by_the_backup) {
  storage_test::temp_dir dir;
  const auto db = dir.path() / "playbook.db";
  fill(db, "Acme Academy", 2);
  ASSERT_EQ(run(bot::run_backup, {(dir.path() / "good.db").string()}, with_db(db)).status, 0);
  {
    // Scribble over the middle of the file, as a failing disk might.
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 + 100);
    const std::string junk(3000, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const auto before = fs::file_size(db);
  const auto r = run(bot::run_restore, {(dir.path() / "good.db").string()}, with_db(db));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(decisions_of(db, "Acme Academy"), 2u);
  std::size_t kept = 0;
  for (const auto& e : fs::directory_iterator(dir.path()))
    if (e.path().filename().string().starts_with("playbook.db.before-restore-") &&
        !e.path().filename().string().ends_with("-wal")) {
      ++kept;
      EXPECT_EQ(fs::file_size(e.path()), before);
    }
  EXPECT_EQ(kept, 1u);
}

TEST(data_cli, healthcheck_fails_when_nothing_listens) {
  // A port that was just free: nothing listens there.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = a.local_endpoint().port();
  a.close();
  bot::settings s;
  s.listen.host = "0.0.0.0";
  s.listen.port = port;
  const auto r = run(bot::run_healthcheck, {}, s);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("healthcheck"), std::string::npos) << r.err;
}

}  // namespace
