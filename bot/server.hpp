#pragma once
// The HTTP/1.1 server on Boost.Beast: a listener that only accepts, sessions (one coroutine and
// one strand per connection) that only move bytes, and a handler that turns requests into
// responses. Graceful shutdown: stop accepting, let in-flight requests finish (answered with
// Connection: close), then stop, within a bounded time.

#include "bot/router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace bot {

struct server_limits {
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 8 << 10;
  std::size_t max_connections = 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds shutdown_timeout{10'000};
  unsigned threads = 0;  // 0: one per core
};

server_limits limits_from(const settings& s);

using handler_fn = std::function<response(const request&, const request_context&)>;

class server {
 public:
  server(server_limits limits, handler_fn handler);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and listens; throws std::system_error naming the address when that fails.
  void listen(const std::string& host, std::uint16_t port);

  // The port actually bound (useful after listening on port 0).
  std::uint16_t port() const;

  // Starts the worker threads and returns. With handle_signals, SIGTERM and SIGINT begin a
  // graceful shutdown.
  void start(bool handle_signals = false);

  // Begins a graceful shutdown; safe from any thread, more than once.
  void stop();

  // Blocks until the server has stopped and its threads have ended. True when every in-flight
  // request finished before the shutdown deadline.
  bool wait();

  // Requests being handled right now, and connections open right now.
  std::size_t in_flight() const { return state_->in_flight.load(); }
  std::size_t connections() const { return state_->connections.load(); }

  struct shared_state {
    std::atomic<std::size_t> in_flight{0};
    std::atomic<std::size_t> connections{0};
    std::atomic<bool> draining{false};
    std::atomic<std::uint64_t> next_request{0};
    std::uint64_t id_salt = 0;
  };

 private:
  void begin_shutdown();
  void check_drained(std::chrono::steady_clock::time_point deadline);

  server_limits limits_;
  handler_fn handler_;
  std::shared_ptr<shared_state> state_;
  boost::asio::io_context ioc_;
  boost::asio::strand<boost::asio::io_context::executor_type> control_;  // acceptor, timer, signals
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer drain_timer_;
  boost::asio::signal_set signals_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_requested_{false};
  bool drained_cleanly_ = true;
};

}  // namespace bot
