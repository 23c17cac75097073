#include "bot/server.hpp"

#include "bot/log.hpp"
#include "bot/metrics.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <csignal>
#include <random>
#include <strings.h>
#include <system_error>

namespace bot {
namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using error_code = beast::error_code;

namespace {

auto await_ec(error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

// Counts a connection or a request for as long as the guard lives (the coroutine frame).
class counter_guard {
 public:
  explicit counter_guard(std::atomic<std::size_t>& c) : c_(&c) {}
  ~counter_guard() {
    if (c_) c_->fetch_sub(1);
  }
  counter_guard(const counter_guard&) = delete;
  counter_guard& operator=(const counter_guard&) = delete;

 private:
  std::atomic<std::size_t>* c_;
};

std::string make_request_id(server::shared_state& st) {
  const std::uint64_t n = st.next_request.fetch_add(1, std::memory_order_relaxed);
  // 16 lower-case hex digits, as "%016llx" would print them, without going through printf.
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t v = st.id_salt ^ n;
  std::string id(16, '0');
  for (std::size_t i = 16; i-- > 0; v >>= 4) id[i] = digits[v & 0xF];
  return id;
}

// Feeds the parser the bytes already in the buffer, exactly as Beast's read operations do
// (put, consume, stop on need_more), but without their round trip through the executor: a
// complete request usually arrives in the first read, and async_read_header/async_read would
// each post a completion through the strand for data that is already here. Returns true when
// the parser reached `done` or failed (ec says which); false when it needs bytes that have not
// arrived yet (ec clear): the caller then goes on with the asynchronous read, which carries on
// from the parser's state.
template <class Done>
bool parse_buffered(http::request_parser<http::string_body>& parser, beast::flat_buffer& buffer,
                    error_code& ec, Done done) {
  ec = {};
  while (buffer.size() != 0 && !done(parser)) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more) {
      ec = {};
      return false;
    }
    if (ec) return true;
    if (used == 0) return false;
  }
  return done(parser);
}

bool header_done(const http::request_parser<http::string_body>& p) { return p.is_header_done(); }
bool message_done(const http::request_parser<http::string_body>& p) { return p.is_done(); }

// Errors that end a connection without anything worth logging.
bool harmless(const error_code& ec) {
  return ec == http::error::end_of_stream      // the peer closed between requests
         || ec == net::error::eof              // the same, seen by a raw read
         || ec == net::error::operation_aborted  // our own cancellation, at shutdown
         || ec == net::error::connection_reset   // the peer went away abruptly
         || ec == net::error::broken_pipe        // the peer went away while we wrote
         || ec == http::error::partial_message;  // the peer closed in the middle of a request
}

// What to answer when reading a request failed; nullopt: just close.
struct read_failure {
  http::status status;
  std::string message;
};

std::optional<read_failure> classify_read_error(const error_code& ec, const server_limits& lim) {
  if (ec == http::error::header_limit)
    return read_failure{http::status::request_header_fields_too_large,
                        "request headers exceed " + std::to_string(lim.header_limit) + " bytes"};
  if (ec == http::error::body_limit)
    return read_failure{http::status::payload_too_large,
                        "request body exceeds " + std::to_string(lim.body_limit) + " bytes"};
  // A deadline that passed has already closed the socket (tcp_stream does that), so there is
  // no 408 to send: the connection just ends.
  if (ec == beast::error::timeout || harmless(ec)) return std::nullopt;
  if (ec.category() == http::make_error_code(http::error::bad_target).category())
    return read_failure{http::status::bad_request, "malformed HTTP request: " + ec.message()};
  return std::nullopt;
}

std::string body_json_error(std::string_view message) {
  std::string out = "{\"error\":\"";
  for (char c : message) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"}";
}

// Sends a final error answer on a connection whose request could not be read, then closes it
// gracefully: the client still gets the status even though we never read what it sent.
net::awaitable<void> fail_and_close(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                    const read_failure& f, const server_limits& lim,
                                    std::string_view request_id) {
  http::response<http::string_body> res{f.status, 11};
  res.set(http::field::content_type, "application/json");
  if (!request_id.empty()) res.set("X-Request-Id", request_id);
  res.keep_alive(false);
  res.body() = body_json_error(f.message);
  res.prepare_payload();
  error_code ec;
  stream.expires_after(lim.write_timeout);
  co_await http::async_write(stream, res, await_ec(ec));
  if (ec) co_return;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Linger: read and discard what is still arriving for a moment, so that closing with unread
  // data does not reset the connection before the client has read our answer.
  stream.expires_after(std::chrono::seconds(1));
  std::size_t drained = 0;
  while (!ec && drained < (1u << 20)) {
    buffer.clear();
    drained += co_await stream.async_read_some(buffer.prepare(16 * 1024), await_ec(ec));
  }
}

void log_request(std::string_view id, std::string_view method, std::string_view target,
                 unsigned status, std::chrono::steady_clock::time_point started,
                 std::size_t bytes_in, std::size_t bytes_out) {
  const auto q = target.find('?');  // never the query: a GET command carries its token there
  const auto path = target.substr(0, q);
  const auto took = std::chrono::steady_clock::now() - started;
  metrics::observe_request(path, status, took);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  log::info("request", {{"request_id", id},
                        {"method", method},
                        {"path", path.substr(0, 256)},
                        {"status", status},
                        {"duration_us", micros},
                        {"bytes_in", bytes_in},
                        {"bytes_out", bytes_out}});
}

net::awaitable<void> run_session(beast::tcp_stream stream, server_limits lim,
                                 const handler_fn& handler,
                                 std::shared_ptr<server::shared_state> st) {
  counter_guard connection(st->connections);
  beast::flat_buffer buffer;
  error_code ec;
  bool first = true;
  for (;;) {
    // Wait for the first byte of the next request: a fresh connection gets the header deadline,
    // a kept-alive one the (longer) idle deadline.
    if (buffer.size() == 0) {
      stream.expires_after(first ? lim.header_timeout : lim.idle_timeout);
      const std::size_t n = co_await stream.async_read_some(buffer.prepare(4096), await_ec(ec));
      if (ec) break;  // idle timeout, close or reset: nothing was asked, nothing to answer
      buffer.commit(n);
    }
    first = false;
    const auto started = std::chrono::steady_clock::now();

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(lim.header_limit));
    parser.body_limit(lim.body_limit);
    // async_read_header leaves the parser non-eager: it stops after the header.
    parser.eager(false);
    if (!parse_buffered(parser, buffer, ec, header_done)) {
      stream.expires_after(lim.header_timeout);
      co_await http::async_read_header(stream, buffer, parser, await_ec(ec));
    }
    if (ec) {
      if (auto f = classify_read_error(ec, lim)) {
        const auto id = make_request_id(*st);
        log_request(id, parser.is_header_done() ? parser.get().method_string() : "-",
                    parser.is_header_done() ? parser.get().target() : "-",
                    static_cast<unsigned>(f->status), started, 0, f->message.size());
        co_await fail_and_close(stream, buffer, *f, lim, id);
      }
      break;
    }

    st->in_flight.fetch_add(1);
    counter_guard busy(st->in_flight);
    const auto id = make_request_id(*st);

    if (!parser.is_done()) {
      const auto expect = parser.get()[http::field::expect];
      if (expect.size() == 12 && strncasecmp(expect.data(), "100-continue", 12) == 0) {
        http::response<http::empty_body> go_on{http::status::continue_, 11};
        stream.expires_after(lim.write_timeout);
        co_await http::async_write(stream, go_on, await_ec(ec));
        if (ec) break;
      }
      parser.eager(true);  // as http::async_read sets it
      if (!parse_buffered(parser, buffer, ec, message_done)) {
        stream.expires_after(lim.body_timeout);
        co_await http::async_read(stream, buffer, parser, await_ec(ec));
      }
      if (ec) {
        if (auto f = classify_read_error(ec, lim)) {
          log_request(id, parser.get().method_string(), parser.get().target(),
                      static_cast<unsigned>(f->status), started, 0, f->message.size());
          co_await fail_and_close(stream, buffer, *f, lim, id);
        }
        break;
      }
    }

    request req = parser.release();
    response res;
    try {
      res = handler(req, request_context{id, st->draining.load()});
    } catch (const std::exception& e) {
      log::error("request failed", {{"request_id", id}, {"error", e.what()}});
      res = error_response(req, http::status::internal_server_error,
                           "internal error (request id " + id + ")");
    }
    if (st->draining.load()) res.keep_alive(false);
    res.set("X-Request-Id", id);
    stream.expires_after(lim.write_timeout);
    co_await http::async_write(stream, res, await_ec(ec));
    log_request(id, req.method_string(), req.target(), res.result_int(), started,
                req.body().size(), res.body().size());
    if (ec || !res.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream.socket().close(ec);
}

// Over the connection limit: answer 503 at once and close, rather than leave the client hanging.
net::awaitable<void> refuse(beast::tcp_stream stream, server_limits lim) {
  beast::flat_buffer buffer;
  // Named, not a temporary: GCC 12 can destroy temporaries inside a co_await expression twice.
  const read_failure busy{http::status::service_unavailable,
                          "too many open connections; try again shortly"};
  co_await fail_and_close(stream, buffer, busy, lim, {});
}

net::awaitable<void> accept_loop(tcp::acceptor& acceptor, server_limits lim,
                                 const handler_fn& handler,
                                 std::shared_ptr<server::shared_state> st) {
  auto& ioc = static_cast<net::io_context&>(acceptor.get_executor().context());
  for (;;) {
    error_code ec;
    const auto strand = net::make_strand(ioc);  // named: see refuse() about GCC 12 temporaries
    tcp::socket socket = co_await acceptor.async_accept(strand, await_ec(ec));
    if (ec) {
      if (!acceptor.is_open() || ec == net::error::operation_aborted) co_return;
      // Out of file descriptors and the like: say so, pause briefly, keep serving.
      log::warn("accept failed", {{"error", ec.message()}});
      net::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(await_ec(ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    beast::tcp_stream stream(std::move(socket));
    const auto executor = stream.get_executor();
    if (st->connections.load() >= lim.max_connections) {
      net::co_spawn(executor, refuse(std::move(stream), lim), net::detached);
      continue;
    }
    st->connections.fetch_add(1);
    net::co_spawn(executor, run_session(std::move(stream), lim, handler, st), net::detached);
  }
}

}  // namespace

server_limits limits_from(const settings& s) {
  server_limits l;
  l.body_limit = s.body_limit;
  l.header_limit = s.header_limit;
  l.max_connections = s.max_connections;
  l.header_timeout = s.header_timeout;
  l.body_timeout = s.body_timeout;
  l.idle_timeout = s.idle_timeout;
  l.write_timeout = s.write_timeout;
  l.shutdown_timeout = s.shutdown_timeout;
  l.threads = s.threads;
  return l;
}

server::server(server_limits limits, handler_fn handler)
    : limits_(limits),
      handler_(std::move(handler)),
      state_(std::make_shared<shared_state>()),
      ioc_(),
      control_(net::make_strand(ioc_)),
      acceptor_(control_),
      drain_timer_(control_),
      signals_(control_) {
  state_->id_salt = std::random_device{}() * 0x9E3779B97F4A7C15ull ^ std::random_device{}();
}

server::~server() {
  stop();
  wait();
}

void server::listen(const std::string& host, std::uint16_t port) {
  const tcp::endpoint endpoint(net::ip::make_address(host), port);
  try {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  } catch (const boost::system::system_error& e) {
    throw std::system_error(e.code(), "cannot listen on " + host + ":" + std::to_string(port));
  }
}

std::uint16_t server::port() const { return acceptor_.local_endpoint().port(); }

void server::start(bool handle_signals) {
  net::co_spawn(control_, accept_loop(acceptor_, limits_, handler_, state_), net::detached);
  if (handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](const error_code& ec, int signal) {
      if (ec) return;
      log::info("shutting down", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
      begin_shutdown();
    });
  }
  unsigned n = limits_.threads != 0 ? limits_.threads : std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  threads_.reserve(n);
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void server::stop() {
  if (stop_requested_.exchange(true)) return;
  if (threads_.empty()) {
    ioc_.stop();
    return;
  }
  net::post(control_, [this] { begin_shutdown(); });
}

void server::begin_shutdown() {
  if (state_->draining.exchange(true)) return;
  stop_requested_ = true;
  error_code ec;
  acceptor_.close(ec);
  signals_.cancel(ec);
  check_drained(std::chrono::steady_clock::now() + limits_.shutdown_timeout);
}

void server::check_drained(std::chrono::steady_clock::time_point deadline) {
  if (state_->in_flight.load() == 0) {
    ioc_.stop();
    return;
  }
  if (std::chrono::steady_clock::now() >= deadline) {
    log::warn("shutdown deadline passed with requests in flight",
              {{"in_flight", state_->in_flight.load()}});
    drained_cleanly_ = false;
    ioc_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(5));
  drain_timer_.async_wait([this, deadline](const error_code& ec) {
    if (!ec) check_drained(deadline);
  });
}

bool server::wait() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  return drained_cleanly_;
}

}  // namespace bot
