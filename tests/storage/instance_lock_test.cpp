// The instance lock: one holder of a database file at a time, whether the other is this process or
// another one; the message names the holder's pid and role; released when the object goes; a
// process can ask whether someone holds it without taking it; ":memory:" locks nothing.

#include "storage/instance_lock.hpp"

#include "tests/storage/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

using storage::instance_lock;
using storage::lock_held;
using storage_test::temp_dir;

// The message of the lock_held a second lock throws, or "" when it was taken.
std::string second_lock_error(const std::string& db, std::string_view what = "restore") {
  try {
    instance_lock again(db, what);
    return "";
  } catch (const lock_held& e) {
    return e.what();
  }
}

std::string contents(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(instance_lock, a_held_lock_refuses_a_second_holder_naming_the_first) {
  temp_dir dir;
  const auto db = (dir.path() / "bot.db").string();
  instance_lock first(db, "serve");
  const auto e = second_lock_error(db);
  ASSERT_FALSE(e.empty()) << "a second lock was taken in the same process";
  EXPECT_NE(e.find(db), std::string::npos) << e;
  EXPECT_NE(e.find("pid " + std::to_string(::getpid())), std::string::npos) << e;
  EXPECT_NE(e.find("serve"), std::string::npos) << e;
  EXPECT_NE(e.find("in use by another playbook-bot"), std::string::npos) << e;
}

TEST(instance_lock, the_lock_file_sits_next_to_the_database_and_says_who_holds_it) {
  temp_dir dir;
  const auto db = dir.path() / "a" / "b" / "bot.db";  // folders created as database does
  {
    instance_lock lock(db.string(), "serve");
    const auto file = fs::path(db.string() + ".lock");
    ASSERT_TRUE(fs::exists(file));
    EXPECT_EQ(contents(file), std::to_string(::getpid()) + " serve\n");
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  // Taken again by someone else: the older owner's words are replaced, not appended to.
  instance_lock again(db.string(), "restore");
  EXPECT_EQ(contents(db.string() + ".lock"), std::to_string(::getpid()) + " restore\n");
  EXPECT_FALSE(fs::exists(db)) << "the lock creates no database";
}

TEST(instance_lock, is_released_when_destroyed) {
  temp_dir dir;
  const auto db = (dir.path() / "bot.db").string();
  { instance_lock first(db, "serve"); }
  EXPECT_EQ(second_lock_error(db), "");
  EXPECT_TRUE(fs::exists(db + ".lock")) << "the lock file is kept";
}

TEST(instance_lock, held_elsewhere_tells_without_taking_it) {
  temp_dir dir;
  const auto db = (dir.path() / "bot.db").string();
  EXPECT_FALSE(instance_lock::held_elsewhere(db));  // no lock file yet
  EXPECT_FALSE(fs::exists(db + ".lock")) << "asking creates nothing";
  {
    instance_lock lock(db, "serve");
    EXPECT_TRUE(instance_lock::held_elsewhere(db));
    EXPECT_TRUE(instance_lock::held_elsewhere(db));  // asking released what it took
  }
  EXPECT_FALSE(instance_lock::held_elsewhere(db));  // the file is there, nobody holds it
  EXPECT_EQ(second_lock_error(db), "");
}

TEST(instance_lock, a_lock_held_by_another_process_is_refused_until_it_exits) {
  temp_dir dir;
  const auto db = (dir.path() / "bot.db").string();
  int taken[2], go[2];
  ASSERT_EQ(::pipe(taken), 0);
  ASSERT_EQ(::pipe(go), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child takes the lock, says so, and holds it until told to go; _exit skips everything
    // the test framework would run at exit.
    char byte = 'x';
    try {
      instance_lock lock(db, "serve");
      if (::write(taken[1], &byte, 1) != 1) ::_exit(2);
      if (::read(go[0], &byte, 1) != 1) ::_exit(3);
    } catch (...) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(taken[0], &byte, 1), 1) << "the child did not take the lock";
  EXPECT_TRUE(instance_lock::held_elsewhere(db));
  const auto e = second_lock_error(db, "serve");
  EXPECT_NE(e.find("pid " + std::to_string(child) + ", serve"), std::string::npos) << e;
  ASSERT_EQ(::write(go[1], &byte, 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  for (const int fd : {taken[0], taken[1], go[0], go[1]}) ::close(fd);
  // Gone with the process that held it.
  EXPECT_FALSE(instance_lock::held_elsewhere(db));
  EXPECT_EQ(second_lock_error(db), "");
}

TEST(instance_lock, an_in_memory_database_locks_nothing) {
  instance_lock a(":memory:", "serve");
  instance_lock b(":memory:", "serve");
  EXPECT_FALSE(instance_lock::held_elsewhere(":memory:"));
  EXPECT_FALSE(fs::exists(":memory:.lock"));
}

TEST(instance_lock, a_lock_file_that_cannot_be_created_is_an_error_naming_it) {
  temp_dir dir;
  const auto blocker = dir.path() / "not-a-folder";
  std::ofstream(blocker) << "x";
  const auto db = (blocker / "bot.db").string();
  try {
    instance_lock lock(db, "serve");
    FAIL() << "locked a file under a regular file";
  } catch (const lock_held& e) {
    FAIL() << "reported as held: " << e.what();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(db + ".lock"), std::string::npos) << e.what();
  }
}
