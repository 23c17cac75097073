#pragma once
// For storage/ only: how a cached (prepared once, reused) SQLiteCpp statement is taken up and put
// down. Take it with fresh() before binding; keep a reset_on_exit alive for as long as it is read.

#include <SQLiteCpp/Statement.h>

namespace storage {

// A statement ready to be bound again: reset and its bindings cleared. tryReset, because reset()
// rethrows the error of the statement's last run (a full disk an hour ago) as if it were new.
inline SQLite::Statement& fresh(SQLite::Statement& s) {
  s.tryReset();
  s.clearBindings();
  return s;
}

// Resets a cached statement when its use ends. A statement stopped before its last row keeps its
// read transaction open, which would keep checkpoints from ever finishing (an ever-growing WAL)
// and other statements from seeing a consistent, current database.
class reset_on_exit {
 public:
  explicit reset_on_exit(SQLite::Statement& s) : s_(s) {}
  ~reset_on_exit() { s_.tryReset(); }
  reset_on_exit(const reset_on_exit&) = delete;
  reset_on_exit& operator=(const reset_on_exit&) = delete;

 private:
  SQLite::Statement& s_;
};

}  // namespace storage
