#pragma once
// The bot's SQLite database: opened read-write (created when missing) in WAL mode with a busy
// timeout and foreign keys on. Failures to open are exceptions with a message naming the file.

#include <memory>
#include <mutex>
#include <string>

namespace SQLite {
class Database;
}

namespace storage {

struct database_options {
  std::string path = "./var/playbook.db";  // ":memory:" for a private in-memory database
  int busy_timeout_ms = 5000;
};

class database {
 public:
  // Opens (and creates, with its parent folder) the database; throws std::runtime_error naming
  // the file when it cannot be opened or was written by a newer version of the bot.
  explicit database(const database_options& opts);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  // True when the database answers a trivial query; for readiness probes.
  bool ping() noexcept;

  const std::string& path() const { return path_; }

  // The schema version this build writes (PRAGMA user_version).
  static constexpr int schema_version = 0;

 private:
  std::string path_;
  std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace storage
