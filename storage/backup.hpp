#pragma once
// Backups of the bot's database: taken, checked and restored, safely while a server runs (backup,
// check) or refused while one runs (restore). For `playbook-bot backup FILE`, `check`, `restore FILE`.
//
//   storage::backup(db_path, "/backups/playbook-2026-05-01.db");   // server may keep running
//   storage::check("/backups/playbook-2026-05-01.db").ok;
//   storage::restore("/backups/playbook-2026-05-01.db", db_path);  // server stopped
//
// A backup is one self-contained SQLite file (rollback-journal mode, no -wal beside it) that any
// SQLite tool opens; restore accepts any SQLite file of this bot's schema, this version or older.

#include <cstdint>
#include <string>
#include <vector>

namespace storage {

struct backup_report {
  std::string path;             // dest
  std::int64_t bytes = 0;       // the backup file's size
  int schema_version = 0;       // PRAGMA user_version of the copy
};

// A consistent copy of the database at db_path, taken with SQLite's online backup API while a
// server may be writing (WAL: the server is not blocked; the copy holds every transaction
// committed before it started). Written to "<dest>.tmp", checked with PRAGMA quick_check,
// fsynced, then renamed over dest. dest may not be the database itself or its -wal/-shm/.lock.
// Throws std::runtime_error naming the file on any failure (dest untouched, no .tmp left).
backup_report backup(const std::string& db_path, const std::string& dest);

struct check_report {
  bool ok = false;                     // no problems
  std::vector<std::string> problems;   // integrity_check / foreign_key_check lines, at most 100
  int schema_version = 0;              // PRAGMA user_version
  int supported_version = 0;           // database::schema_version()
  std::int64_t bytes = 0;              // page_count * page_size
  std::int64_t decisions = 0, reviews = 0, vendors = 0;  // 0 when the tables are missing
};

// PRAGMA integrity_check and foreign_key_check on the file, opened read-only (safe while a
// server runs). A corrupted file is reported (ok false, problems say where). Throws
// std::runtime_error naming the file when it does not exist, cannot be opened or is not an SQLite
// database.
check_report check(const std::string& path);

// Replaces the database at db_path with the backup file (creating it, and its folder, when
// missing): refuses (std::runtime_error, nothing changed) when another process holds the instance
// lock (a running server: lock_held, see instance_lock.hpp), when the backup is not a readable
// SQLite database, fails check(), is not a playbook-bot database (schema version 0) or has a
// schema_version newer than this build. Holds the instance lock ("restore") while it works;
// copies with the backup API into "<db>.restore.tmp", removes the old file's -wal/-shm/-journal
// and renames the copy over the database. With keep_as, the database it replaces (and its WAL) is
// kept under that name first, as it is, damaged or not (hard links; copies where the file system
// has none); nothing is kept when the restore is refused. Older schema versions are fine: the next
// start migrates them. Returns the check report of the restored file.
check_report restore(const std::string& backup_path, const std::string& db_path,
                     const std::string& keep_as = "");

}  // namespace storage
