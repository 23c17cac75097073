#pragma once
// The schema as a list of forward-only migrations: migration i takes a database from version i
// to version i + 1 (PRAGMA user_version). Never edit a shipped migration; append a new one.

#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace storage {

struct migration {
  std::string_view name;  // what it does, for error messages
  std::string_view sql;   // statements run in one transaction
};

// Every migration in order; its size is the schema version this build writes.
const std::vector<migration>& migrations();

// Applies the migrations from the database's version up to target, each in its own transaction
// together with its user_version bump, so a failure leaves the database at the last good version.
// Throws std::runtime_error naming the failed migration.
void migrate(SQLite::Database& db, int target);

}  // namespace storage
