#pragma once
// The bot's SQLite database: opened read-write (created when missing) in WAL mode with a busy
// timeout and foreign keys on, and migrated to the schema this build writes. Failures to open are
// exceptions with a message naming the file.

#include <memory>
#include <mutex>
#include <string>

namespace SQLite {
class Database;
}

namespace storage {

// How hard a commit waits for the disk. normal (WAL + synchronous=NORMAL): a committed row
// survives a crash or kill of the process; the last commits before a power cut may be lost.
// full: every commit is fsynced, so it also survives a power cut, at a few hundred commits/s.
enum class sync_mode { normal, full };

struct database_options {
  std::string path = "./var/playbook.db";  // ":memory:" for a private in-memory database
  int busy_timeout_ms = 5000;
  sync_mode sync = sync_mode::normal;
  // The schema version to migrate to; -1 is this build's. Tests use it to build older files.
  int migrate_to = -1;
};

class database {
 public:
  // Opens (and creates, with its parent folder) the database and applies the migrations it lacks;
  // throws std::runtime_error naming the file when it cannot be opened, a migration fails (the
  // failed migration leaves nothing behind), or it was written by a newer version of the bot.
  explicit database(const database_options& opts);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  // True when the database answers a trivial query; for readiness probes.
  bool ping() noexcept;

  const std::string& path() const { return path_; }

  // The schema version this build writes (PRAGMA user_version).
  static int schema_version();

  // For storage/ only: the connection and the lock every use of it holds (one writer at a time;
  // SQLite serialises writers anyway, and the lock keeps prepared statements single-threaded).
  SQLite::Database& handle() { return *db_; }
  std::mutex& mutex() { return mutex_; }

 private:
  std::string path_;
  std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace storage
