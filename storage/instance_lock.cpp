#include "storage/instance_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace storage {

namespace {

std::string lock_path(const std::string& db_path) { return db_path + ".lock"; }

std::string errno_text(int error) { return std::system_category().message(error); }

// What the holder wrote ("123 serve"), as "pid 123, serve"; "owner unknown" when the file is
// empty, which it is for the moment between the holder's truncate and write.
std::string owner_of(int fd) {
  char buf[256];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string text = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return "owner unknown";
  const auto space = text.find(' ');
  if (space == std::string::npos) return "pid " + text;
  return "pid " + text.substr(0, space) + ", " + text.substr(space + 1);
}

}  // namespace

instance_lock::instance_lock(const std::string& db_path, std::string_view what) {
  if (db_path == ":memory:") return;
  const std::string path = lock_path(db_path);
  const auto parent = std::filesystem::path(db_path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) throw std::runtime_error("lock file " + path + ": cannot create its folder: " + ec.message());
  }
  // Each instance_lock opens the file itself: flock belongs to the open file description, so a
  // second one in this process conflicts with the first as another process's would.
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("lock file " + path + ": " + errno_text(errno));
  int rc;
  do rc = ::flock(fd_, LOCK_EX | LOCK_NB);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int error = errno;
    std::string message = error == EWOULDBLOCK
                              ? db_path + " is in use by another playbook-bot (" + owner_of(fd_) + ")"
                              : "lock file " + path + ": " + errno_text(error);
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) throw lock_held(message);
    throw std::runtime_error(message);
  }
  // Only for the message others show: failing to write it does not make the lock any less held.
  const std::string owner = std::to_string(::getpid()) + " " + std::string(what) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd_, owner.data(), owner.size(), 0);
  }
}

instance_lock::~instance_lock() {
  // Closing the only descriptor of the open file releases the lock. The file stays: deleting it
  // would let a process that opened it just before lock a file no one else will ever open.
  if (fd_ >= 0) ::close(fd_);
}

bool instance_lock::held_elsewhere(const std::string& db_path) {
  if (db_path == ":memory:") return false;
  const int fd = ::open(lock_path(db_path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  int rc;
  do rc = ::flock(fd, LOCK_SH | LOCK_NB);
  while (rc != 0 && errno == EINTR);
  const bool held = rc != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // releases the shared lock, if taken
  return held;
}

}  // namespace storage
