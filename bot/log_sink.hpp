#pragma once
// Where log lines go: stderr, in batches written by a background thread so that a request does
// not pay a system call for its log line. Lines are never split or interleaved, keep their order,
// and urgent ones (warnings, errors) are written before append() returns.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace bot::log {

class line_sink {
 public:
  // fd receives the lines; batches are written at least every flush_interval_ms.
  explicit line_sink(int fd, int flush_interval_ms = 20);
  ~line_sink();  // writes what is still pending
  line_sink(const line_sink&) = delete;
  line_sink& operator=(const line_sink&) = delete;

  // Queues whole lines (each ending in '\n'); with urgent, writes them and everything queued
  // before them now.
  void append(std::string_view lines, bool urgent);

  // Writes everything queued so far.
  void flush();

  // Pending bytes above which new lines are dropped (and counted) rather than queued: a stderr
  // that stops draining must not take the process's memory with it.
  static constexpr std::size_t max_pending = 8u << 20;

 private:
  void run();
  void write_out(std::string& batch);

  int fd_;
  int interval_ms_;
  std::mutex queue_mutex_;  // guards pending_, dropped_, stop_
  std::mutex write_mutex_;  // held while taking and writing a batch, so batches keep their order
  std::condition_variable wake_;
  std::string pending_;
  std::size_t dropped_ = 0;
  bool stop_ = false;
  std::thread writer_;
};

// The process's sink for stderr, started on first use.
line_sink& stderr_sink();

}  // namespace bot::log
