#include "storage/database.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <filesystem>
#include <stdexcept>

namespace storage {

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
    if (version > schema_version)
      throw std::runtime_error("schema version " + std::to_string(version) +
                               " is newer than this build knows (" +
                               std::to_string(schema_version) + "); upgrade playbook-bot");
    db_->exec("PRAGMA journal_mode=WAL");
    db_->exec("PRAGMA foreign_keys=ON");
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
