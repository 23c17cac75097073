#include "bot/log_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace bot::log {

line_sink::line_sink(int fd, int flush_interval_ms)
    : fd_(fd), interval_ms_(flush_interval_ms), writer_([this] { run(); }) {}

line_sink::~line_sink() {
  {
    std::lock_guard lock(queue_mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
  flush();
}

void line_sink::append(std::string_view lines, bool urgent) {
  {
    std::lock_guard lock(queue_mutex_);
    if (pending_.size() + lines.size() > max_pending) {
      ++dropped_;
      return;
    }
    pending_.append(lines);
  }
  if (urgent) flush();
}

void line_sink::flush() {
  std::lock_guard write_lock(write_mutex_);
  std::string batch;
  {
    std::lock_guard lock(queue_mutex_);
    batch.swap(pending_);
    if (dropped_ > 0) {
      batch += "{\"level\":\"warn\",\"msg\":\"log lines dropped: stderr was not draining\","
               "\"dropped\":" + std::to_string(dropped_) + "}\n";
      dropped_ = 0;
    }
  }
  write_out(batch);
}

void line_sink::run() {
  std::unique_lock lock(queue_mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_));
    if (pending_.empty() && dropped_ == 0) continue;
    lock.unlock();
    flush();
    lock.lock();
  }
}

void line_sink::write_out(std::string& batch) {
  std::size_t done = 0;
  while (done < batch.size()) {
    const ssize_t n = ::write(fd_, batch.data() + done, batch.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr is gone; there is nowhere left to say so
    done += static_cast<std::size_t>(n);
  }
}

line_sink& stderr_sink() {
  // Destroyed at exit, after main returns: the destructor writes what is still queued.
  static line_sink sink(STDERR_FILENO);
  return sink;
}

}  // namespace bot::log
