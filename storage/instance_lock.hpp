#pragma once
// One process owns a database file at a time: an exclusive flock(2) on "<db>.lock" (created next
// to the database, with its folder, and never deleted), held for the object's lifetime. A server
// takes it before opening the database; restore takes it before replacing the file; a second
// server, or a restore while the server runs, fails with a message naming the owner.
//
//   storage::instance_lock lock(opts.path, "serve");   // throws lock_held when in use
//   storage::database db(opts);
//
// The lock belongs to the open file: it is released when the object is destroyed or the process
// ends, however it ends (no stale lock after a crash). Two instance_locks on one file exclude each
// other even within one process. ":memory:" locks nothing.

#include <stdexcept>
#include <string>
#include <string_view>

namespace storage {

struct lock_held : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class instance_lock {
 public:
  // what: who takes it, e.g. "serve" or "restore"; written into the lock file (pid + what) for
  // the message other processes show. Throws lock_held (a std::runtime_error) with a message
  // like "<db> is in use by another playbook-bot (pid 123, serve)" when held elsewhere;
  // std::runtime_error naming the file for other failures (folder cannot be created, no access).
  instance_lock(const std::string& db_path, std::string_view what);
  ~instance_lock();
  instance_lock(const instance_lock&) = delete;
  instance_lock& operator=(const instance_lock&) = delete;

  // Whether someone else holds the lock right now (another process, or another instance_lock of
  // this one), without taking it. false when the lock file does not exist or cannot be read.
  static bool held_elsewhere(const std::string& db_path);

 private:
  int fd_ = -1;
};

}  // namespace storage
