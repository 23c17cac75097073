#pragma once
// For storage/ only: how every connection storage/ opens waits for a locked database. Install it
// on a connection right after opening it, instead of SQLiteCpp's setBusyTimeout (the two replace
// each other). database.hpp's busy_retries() reads what it counts.

namespace SQLite {
class Database;
}

namespace storage {

// Waits like PRAGMA busy_timeout = timeout_ms (sleeps of 1, 2, 5, then 10 ms, giving up when
// timeout_ms have been slept), counting every time the database was found locked.
void install_busy_handler(SQLite::Database& db, int timeout_ms);

}  // namespace storage
