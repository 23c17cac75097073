#pragma once
// A background worker: threads that call a step function until it finds nothing to do, then
// sleep until woken (or a poll interval passes, for work that became due by time). Its threads run
// at a lower CPU priority (nice 10) than the threads answering requests.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bot {

class worker_loop {
 public:
  // step does one unit of work and returns true when it did some. An exception from it is
  // logged and the thread pauses for the poll interval (a failing database is not hammered).
  worker_loop(std::string name, std::function<bool()> step, unsigned threads = 1,
              std::chrono::milliseconds poll = std::chrono::seconds(1));
  ~worker_loop();
  worker_loop(const worker_loop&) = delete;
  worker_loop& operator=(const worker_loop&) = delete;

  void start();
  // There may be new work: sleeping threads look now.
  void wake();
  // Lets the current steps finish, then joins the threads. Safe to call more than once.
  void stop();

 private:
  void run();

  std::string name_;
  std::function<bool()> step_;
  unsigned thread_count_;
  std::chrono::milliseconds poll_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t wakes_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace bot
