#include "storage/database.hpp"

#include "storage/connection.hpp"
#include "storage/migrations.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

namespace storage {

namespace {
std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::atomic<std::uint64_t> busy_retry_count{0};

// SQLite's busy_timeout sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms: a writer that
// lost a race by a millisecond could wait 100 ms. Ours stay at 10 ms, since the locks here are
// held for one short transaction (or a checkpoint's last pages). Like SQLite's, it gives up when
// the sleeps add up to the timeout, whatever time the sleeps actually took.
int busy_wait(void* timeout, int count) noexcept {
  busy_retry_count.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t timeout_ms = reinterpret_cast<std::intptr_t>(timeout);
  static constexpr std::int64_t first[] = {1, 2, 5};
  std::int64_t slept = 0, delay = 10;
  if (count < 3) {
    for (int i = 0; i < count; ++i) slept += first[i];
    delay = first[count];
  } else {
    slept = 8 + 10 * static_cast<std::int64_t>(count - 3);
  }
  if (slept >= timeout_ms) return 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min(delay, timeout_ms - slept)));
  return 1;
}

}  // namespace

std::uint64_t busy_retries() { return busy_retry_count.load(std::memory_order_relaxed); }

void install_busy_handler(SQLite::Database& db, int timeout_ms) {
  // The timeout travels in the handler's pointer argument: nothing to keep alive beside the
  // connection.
  sqlite3_busy_handler(db.getHandle(), busy_wait,
                       reinterpret_cast<void*>(static_cast<std::intptr_t>(std::max(timeout_ms, 0))));
}

void priority_mutex::lock() {
  waiting_.fetch_add(1, std::memory_order_acq_rel);
  mutex_.lock();
  waiting_.fetch_sub(1, std::memory_order_acq_rel);
  last_request_ms_.store(steady_ms(), std::memory_order_relaxed);
}

std::int64_t priority_mutex::quiet_ms() const {
  return steady_ms() - last_request_ms_.load(std::memory_order_relaxed);
}

void priority_mutex::lock_background() {
  for (;;) {
    // Requests come in bursts of microseconds; a short sleep lets a waiting one through without
    // spinning a core.
    while (waiting_.load(std::memory_order_acquire) > 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
    mutex_.lock();
    if (waiting_.load(std::memory_order_acquire) == 0) return;
    mutex_.unlock();  // a request arrived meanwhile: it goes first
  }
}

int database::schema_version() { return static_cast<int>(migrations().size()); }

database::database(const database_options& opts) : path_(opts.path) {
  try {
    if (path_ != ":memory:") {
      const auto parent = std::filesystem::path(path_).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
    }
    db_ = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                        SQLite::OPEN_FULLMUTEX);
    install_busy_handler(*db_, opts.busy_timeout_ms);
    // Checked before anything is changed: a newer build's database is left exactly as it was.
    const int version = db_->execAndGet("PRAGMA user_version").getInt();
    if (version > schema_version())
      throw std::runtime_error("schema version " + std::to_string(version) +
                               " is newer than this build knows (" +
                               std::to_string(schema_version()) + "); upgrade playbook-bot");
    db_->exec("PRAGMA journal_mode=WAL");
    // In WAL mode NORMAL syncs at checkpoints only: a commit is in the WAL file (and so survives
    // the process being killed) when it returns, but may be lost in a power cut. FULL syncs every
    // commit. See sync_mode.
    db_->exec(opts.sync == sync_mode::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db_->exec("PRAGMA foreign_keys=ON");
    migrate(*db_, opts.migrate_to < 0 ? schema_version() : opts.migrate_to);
    if (opts.background_checkpoint && path_ != ":memory:") {
      db_->exec("PRAGMA wal_autocheckpoint=0");
      // Told the WAL's length after every commit, so the checkpointer knows it without asking.
      sqlite3_wal_hook(
          db_->getHandle(),
          [](void* self, sqlite3*, const char*, int frames) {
            static_cast<database*>(self)->wal_frames_.store(frames, std::memory_order_relaxed);
            return SQLITE_OK;
          },
          this);
      checkpointer_ = std::thread([this, interval = opts.checkpoint_interval_ms,
                                   busy = opts.busy_timeout_ms] { checkpoint_loop(interval, busy); });
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("database " + path_ + ": " + e.what());
  }
}

database::~database() {
  if (checkpointer_.joinable()) {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stopping_ = true;
    }
    checkpoint_wake_.notify_all();
    checkpointer_.join();
  }
}

namespace {
// WAL frames (pages, 4 KiB by default: 64 MiB) from which the checkpointer makes the WAL start
// over. The WAL file keeps its size (truncating it inside a commit stalled requests for tens of
// milliseconds in the benchmark), so this also bounds the file when requests pause.
constexpr int restart_frames = 16'384;
// What is left to copy with the serving connection waiting: a few hundred frames.
constexpr int restart_remainder = 256;
// That last copy ends with a disk sync, which the benchmark measured at 15-65 ms on a virtual
// disk, too long for a request to wait: the WAL is started over when no request has taken the
// lock for this long, or, under a load that never pauses, when it reaches hard_restart_frames.
constexpr std::int64_t quiet_for_ms = 200;
constexpr int hard_restart_frames = 262'144;  // 1 GiB
}  // namespace

void database::checkpoint_loop(int interval_ms, int busy_timeout_ms) {
  // A connection of its own: a checkpoint copies committed pages from the WAL into the database
  // file and syncs it, while writers go on appending to the WAL through the other connection.
  // PASSIVE never waits for readers or writers; what it cannot copy now it copies next time.
  std::unique_ptr<SQLite::Database> own;
  try {
    own = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE);
    // A passive checkpoint never calls it; opening the WAL index may.
    install_busy_handler(*own, busy_timeout_ms);
  } catch (const std::exception&) {
    return;  // the serving connection still works; the WAL is checkpointed when it closes
  }
  std::unique_lock lock(checkpoint_mutex_);
  while (!checkpoint_wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_; })) {
    lock.unlock();
    try {
      SQLite::Statement passive(*own, "PRAGMA wal_checkpoint(PASSIVE)");
      const auto pass = [&passive] {
        const int frames = passive.executeStep() ? passive.getColumn(1).getInt() : 0;
        passive.reset();
        return frames;
      };
      // A checkpoint's disk sync holds up WAL writes through the file system's journal (the
      // benchmark's slowest acknowledgements lined up with them), so while requests are coming in
      // the WAL just grows, up to hard_restart_frames.
      if (mutex_.quiet_ms() < quiet_for_ms && wal_frames_.load(std::memory_order_relaxed) < hard_restart_frames) {
        lock.lock();
        continue;
      }
      int log_frames = pass();
      // Under steady writes a passive checkpoint never catches up with the end of the WAL, and
      // the WAL only starts over from its beginning once it has: it would grow without end. So
      // when it is large and requests are quiet (see quiet_for_ms), more passes (without the
      // lock) copy what came during the one before, until little is left; that little is copied
      // while the serving connection waits, as a background user of its lock, and the next
      // commit starts the WAL over.
      if (log_frames > hard_restart_frames ||
          (log_frames > restart_frames && mutex_.quiet_ms() >= quiet_for_ms)) {
        for (int round = 0; round < 8; ++round) {
          const int before = log_frames;
          log_frames = pass();
          if (log_frames - before < restart_remainder) break;
        }
        const background_lock serving(mutex_);
        pass();
      }
    } catch (const std::exception&) {
      // Busy or out of space: the WAL keeps the data, and the next round tries again.
    }
    lock.lock();
  }
}

bool database::ping() noexcept {
  try {
    std::lock_guard lock(mutex_);
    return db_->execAndGet("SELECT 1").getInt() == 1;
  } catch (...) {
    return false;
  }
}

}  // namespace storage
