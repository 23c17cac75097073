#include "bot/worker_loop.hpp"

#include "bot/log.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace bot {

worker_loop::worker_loop(std::string name, std::function<bool()> step, unsigned threads,
                         std::chrono::milliseconds poll)
    : name_(std::move(name)), step_(std::move(step)), thread_count_(threads == 0 ? 1 : threads),
      poll_(poll) {}

worker_loop::~worker_loop() { stop(); }

void worker_loop::start() {
  for (unsigned i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { run(); });
}

void worker_loop::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wakes_;
  }
  cv_.notify_all();
}

void worker_loop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void worker_loop::run() {
  // Background work: when the cores are busy, threads answering requests go first (a webhook's
  // acknowledgement waits on a request thread; a review can wait a little). Linux applies nice to
  // the calling thread only. Failure to lower it changes nothing else.
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
  for (;;) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      seen = wakes_;
    }
    bool worked = false;
    bool failed = false;
    try {
      worked = step_();
    } catch (const std::exception& e) {
      failed = true;
      log::error("worker step failed", {{"worker", name_}, {"error", e.what()}});
    }
    if (worked && !failed) continue;
    std::unique_lock lock(mutex_);
    // A wake that came while the step ran is not lost: only sleep when nothing arrived since.
    cv_.wait_for(lock, poll_, [&] { return stopping_ || (!failed && wakes_ != seen); });
  }
}

}  // namespace bot
