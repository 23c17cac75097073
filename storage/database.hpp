#pragma once
// The bot's SQLite database: opened read-write (created when missing) in WAL mode with a busy
// timeout and foreign keys on, and migrated to the schema this build writes. Failures to open are
// exceptions with a message naming the file.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

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
  // The server: WAL checkpoints (which wait for the disk) run on a thread and connection of their
  // own every checkpoint_interval_ms, instead of inside whichever commit fills the WAL, so no
  // request waits for one. Short-lived commands keep SQLite's automatic checkpoints.
  bool background_checkpoint = false;
  int checkpoint_interval_ms = 250;
};

// How many times a connection opened by storage/ (any database, backup, check or restore, in
// this process) found the database locked by another connection and waited (retried), since the
// process started. Each connection otherwise waits like busy_timeout: sleeps, and gives up after
// its busy_timeout_ms. For /metrics: a rising count means writers contend (another process, or the
// checkpointer).
std::uint64_t busy_retries();

// The database's lock, with two kinds of callers: requests (lock(), what std::lock_guard takes),
// which someone is waiting on, and background workers (lock_background()), which let every request
// already waiting go first. A worker never waits behind another worker longer than one
// transaction; a request waits for at most the transaction in progress.
class priority_mutex {
 public:
  void lock();
  bool try_lock() { return mutex_.try_lock(); }
  void unlock() { mutex_.unlock(); }
  void lock_background();
  // Milliseconds since the last request took the lock (steady clock), for work best done when
  // requests are quiet.
  std::int64_t quiet_ms() const;

 private:
  std::atomic<int> waiting_{0};
  std::atomic<std::int64_t> last_request_ms_{0};
  std::mutex mutex_;
};

// std::lock_guard for background work.
class background_lock {
 public:
  explicit background_lock(priority_mutex& m) : m_(m) { m_.lock_background(); }
  ~background_lock() { m_.unlock(); }
  background_lock(const background_lock&) = delete;
  background_lock& operator=(const background_lock&) = delete;

 private:
  priority_mutex& m_;
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
  priority_mutex& mutex() { return mutex_; }

 private:
  void checkpoint_loop(int interval_ms, int busy_timeout_ms);

  std::string path_;
  priority_mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool stopping_ = false;
  std::atomic<int> wal_frames_{0};  // the WAL's length in frames after the last commit
  std::thread checkpointer_;
};

}  // namespace storage
