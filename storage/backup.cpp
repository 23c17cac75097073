#include "storage/backup.hpp"

#include "storage/connection.hpp"
#include "storage/database.hpp"
#include "storage/instance_lock.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace storage {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_problems = 100;

std::unique_ptr<SQLite::Database> open(const std::string& path, int flags) {
  auto db = std::make_unique<SQLite::Database>(path, flags);
  install_busy_handler(*db, database_options{}.busy_timeout_ms);
  return db;
}

fs::path folder_of(const std::string& path) {
  const auto parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// Whether a and b name the same file once ".", ".." and symlinks are resolved; a file that does
// not exist yet is compared by the path it would have.
bool same_path(const std::string& a, const std::string& b) {
  std::error_code ea, eb;
  const auto ca = fs::weakly_canonical(a, ea), cb = fs::weakly_canonical(b, eb);
  return !ea && !eb && ca == cb;
}

// The open file's data and size on the disk before it is renamed into place, and the folder's
// entry after: a rename is only durable once its folder is synced.
void sync(const fs::path& path, bool folder) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
  if (fd < 0) throw std::runtime_error("cannot open " + path.string() + " to sync it: " +
                                       std::system_category().message(errno));
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0)
    throw std::runtime_error("cannot sync " + path.string() + ": " + std::system_category().message(error));
}

// A database file and the journal files SQLite may have left beside it.
void remove_with_journals(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ec);
}

// Removes a temporary copy (and its journals) unless it was renamed into place.
class temp_file {
 public:
  explicit temp_file(std::string path) : path_(std::move(path)) { remove_with_journals(path_); }
  ~temp_file() {
    if (!kept_) remove_with_journals(path_);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  const std::string& path() const { return path_; }
  void rename_to(const std::string& dest) {
    fs::rename(path_, dest);
    kept_ = true;
  }

 private:
  std::string path_;
  bool kept_ = false;
};

// Every page of from into to, in one step: the source is read in a single read transaction, so
// the copy is one consistent snapshot; in WAL mode that transaction does not block the writer.
void copy_pages(SQLite::Database& from, SQLite::Database& to) {
  sqlite3_backup* b = sqlite3_backup_init(to.getHandle(), "main", from.getHandle(), "main");
  if (b == nullptr) throw std::runtime_error(sqlite3_errmsg(to.getHandle()));
  const int step = sqlite3_backup_step(b, -1);
  const int finish = sqlite3_backup_finish(b);
  if (step != SQLITE_DONE) throw std::runtime_error(sqlite3_errstr(step));
  if (finish != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(to.getHandle()));
}

// The copy's page 1 says WAL when the source was in WAL mode (the backup API copies it as it is
// unless the destination is in WAL mode itself), so a file renamed into place as it is would need
// a -wal beside it. Switched to rollback-journal mode it is one self-contained file; then checked,
// since a copy no one can open is worse than no copy.
int finish_copy(SQLite::Database& copy) {
  copy.execAndGet("SELECT count(*) FROM sqlite_master");  // reads page 1: WAL mode as the file says
  const auto mode = copy.execAndGet("PRAGMA journal_mode=DELETE").getString();
  if (mode != "delete") throw std::runtime_error("the copy stays in journal mode " + mode);
  const auto quick = copy.execAndGet("PRAGMA quick_check").getString();
  if (quick != "ok") throw std::runtime_error("the copy fails its check: " + quick);
  return copy.execAndGet("PRAGMA user_version").getInt();
}

bool is_corruption(const SQLite::Exception& e) { return (e.getErrorCode() & 0xff) == SQLITE_CORRUPT; }

bool has_table(SQLite::Database& db, const char* name) {
  SQLite::Statement s(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  s.bind(1, name);
  return s.executeStep();
}

void add_problem(check_report& r, std::string problem) {
  if (r.problems.size() < max_problems) r.problems.push_back(std::move(problem));
}

// The database file and its WAL under a second name, as they are (they need not open): hard links,
// so nothing is copied and the pair stays whole when the originals are replaced; copies where the
// file system has no links.
void keep(const std::string& db_path, const std::string& keep_as) {
  for (const char* suffix : {"", "-wal"}) {
    const fs::path from = db_path + suffix, to = keep_as + suffix;
    if (!fs::exists(from)) continue;
    std::error_code ec;
    fs::create_hard_link(from, to, ec);
    if (ec) fs::copy_file(from, to);  // throws naming both files when this fails too
  }
}

}  // namespace

backup_report backup(const std::string& db_path, const std::string& dest) {
  const auto fail = [&](const std::string& why) -> backup_report {
    throw std::runtime_error("backup of " + db_path + " to " + dest + ": " + why);
  };
  if (db_path == ":memory:") return fail("an in-memory database has no file to copy");
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".lock"})
    if (same_path(dest, db_path + suffix))
      return fail(suffix[0] == '\0' ? "the destination is the database itself"
                                    : std::string("the destination is the database's ") + (suffix + 1) +
                                          " file");
  if (!fs::exists(db_path)) return fail("the database " + db_path + " does not exist");
  const auto folder = folder_of(dest);
  if (!fs::is_directory(folder)) return fail("the folder " + folder.string() + " does not exist");
  try {
    temp_file tmp(dest + ".tmp");
    backup_report r;
    {
      const auto from = open(db_path, SQLite::OPEN_READONLY);
      const auto to = open(tmp.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      copy_pages(*from, *to);
      r.schema_version = finish_copy(*to);
    }
    sync(tmp.path(), false);
    tmp.rename_to(dest);
    sync(folder, true);
    r.path = dest;
    r.bytes = static_cast<std::int64_t>(fs::file_size(dest));
    return r;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

check_report check(const std::string& path) {
  check_report r;
  r.supported_version = database::schema_version();
  const auto fail = [&](const std::string& why) -> check_report {
    throw std::runtime_error("check of " + path + ": " + why);
  };
  if (!fs::exists(path)) return fail("no such file");
  if (fs::is_directory(path)) return fail("a folder, not a database file");
  std::unique_ptr<SQLite::Database> db;
  try {
    db = open(path, SQLite::OPEN_READONLY);
    // The first read of the header: a file that is not SQLite fails here ("file is not a
    // database"), and so does one whose header is damaged.
    r.schema_version = db->execAndGet("PRAGMA user_version").getInt();
    r.bytes = db->execAndGet("PRAGMA page_count").getInt64() * db->execAndGet("PRAGMA page_size").getInt64();
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  // Damage found while reading is a problem to report, like what integrity_check finds: a
  // corrupted page can make any of these statements fail. Anything else (I/O, locking) is not
  // about the file's content and ends the check.
  const auto step = [&](const char* what, auto&& run) {
    try {
      run();
    } catch (const SQLite::Exception& e) {
      if (!is_corruption(e)) fail(std::string(what) + ": " + e.what());
      add_problem(r, std::string(what) + ": " + e.what());
    }
  };
  step("integrity_check", [&] {
    SQLite::Statement s(*db, "PRAGMA integrity_check(" + std::to_string(max_problems) + ")");
    // A row may hold many lines (one per damaged cell of a tree), after a heading naming the
    // schema ("*** in database main ***"), which says nothing here: one database.
    while (s.executeStep()) {
      const auto text = s.getColumn(0).getString();
      if (text == "ok") continue;
      std::size_t begin = 0;
      while (begin < text.size()) {
        auto end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        const auto line = text.substr(begin, end - begin);
        if (!line.empty() && !line.starts_with("*** in database")) add_problem(r, line);
        begin = end + 1;
      }
    }
  });
  step("foreign_key_check", [&] {
    SQLite::Statement s(*db, "PRAGMA foreign_key_check");
    while (s.executeStep())
      add_problem(r, "foreign key: " + s.getColumn(0).getString() + " row " + s.getColumn(1).getString() +
                         " refers to a missing " + s.getColumn(2).getString() + " row");
  });
  for (const auto& [table, count] : {std::pair{"decisions", &r.decisions}, std::pair{"reviews", &r.reviews},
                                     std::pair{"vendors", &r.vendors}}) {
    step(table, [&, table = table, count = count] {
      if (has_table(*db, table)) *count = db->execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64();
    });
  }
  r.ok = r.problems.empty();
  return r;
}

check_report restore(const std::string& backup_path, const std::string& db_path,
                     const std::string& keep_as) {
  const auto fail = [&](const std::string& why) -> check_report {
    throw std::runtime_error("restore of " + db_path + " from " + backup_path + ": " + why);
  };
  if (db_path == ":memory:") return fail("an in-memory database cannot be restored");
  if (same_path(backup_path, db_path)) return fail("the backup is the database itself");
  // Taken first, and held to the end: a server starting meanwhile fails instead of opening a file
  // that is about to be replaced. lock_held goes to the caller as it is.
  const instance_lock lock(db_path, "restore");
  check_report found;
  try {
    found = check(backup_path);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  if (found.schema_version > found.supported_version)
    return fail("the backup has schema version " + std::to_string(found.schema_version) +
                ", newer than this build knows (" + std::to_string(found.supported_version) +
                "); restore it with a newer playbook-bot");
  if (found.schema_version < 1) return fail("not a playbook-bot database (schema version 0)");
  if (!found.ok)
    return fail("the backup fails its check (" + std::to_string(found.problems.size()) +
                " problems): " + found.problems.front());
  try {
    temp_file tmp(db_path + ".restore.tmp");
    {
      const auto from = open(backup_path, SQLite::OPEN_READONLY);
      const auto to = open(tmp.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      copy_pages(*from, *to);
      finish_copy(*to);
    }
    sync(tmp.path(), false);
    if (!keep_as.empty()) keep(db_path, keep_as);
    // The old file's WAL (and rollback journal) go before the new file arrives: SQLite does not
    // check that a WAL belongs to the file beside it, so one left over from a crashed server would
    // be replayed into the restored database. No one has them open: we hold the instance lock.
    {
      std::error_code ec;
      for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        fs::remove(db_path + suffix, ec);
        if (ec) throw std::runtime_error("cannot remove " + db_path + suffix + ": " + ec.message());
      }
    }
    tmp.rename_to(db_path);
    sync(folder_of(db_path), true);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return check(db_path);
}

}  // namespace storage
