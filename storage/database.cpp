#include "storage/database.hpp"

#include "storage/migrations.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <filesystem>
#include <stdexcept>

namespace storage {

int database::schema_version() { return static_cast<int>(migrations().size()); }

database::database(const database_options& opts) : path_(opts.path) {
  try {
    if (path_ != ":memory:") {
      const auto parent = std::filesystem::path(path_).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
    }
    db_ = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                        SQLite::OPEN_FULLMUTEX);
    db_->setBusyTimeout(opts.busy_timeout_ms);
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
  } catch (const std::exception& e) {
    throw std::runtime_error("database " + path_ + ": " + e.what());
  }
}

database::~database() = default;

bool database::ping() noexcept {
  try {
    std::lock_guard lock(mutex_);
    return db_->execAndGet("SELECT 1").getInt() == 1;
  } catch (...) {
    return false;
  }
}

}  // namespace storage
