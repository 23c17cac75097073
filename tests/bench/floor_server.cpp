// bench_floor: the floor of the /slack/commands benchmark (tests/bench/slack_commands.sh).
// The least a Beast server can do for a signed Slack command, with the bot's threading: a pool of
// N threads on one io_context, one coroutine and one strand per connection, keep-alive,
// TCP_NODELAY. Each request's Slack signature is checked with the same request_verifier and the
// answer is fixed bytes (the bot's own answer to `/playbook criteria`, read from a file).
// No form parsing, routing, rendering, timeouts or logging; prints nothing per request.
//
// Usage: bench_floor <listen-port> <body-file> <signing-secret> [threads]

#include "integrations/slack/verify.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

auto await_ec(beast::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

std::optional<std::string_view> header(const http::request<http::string_body>& req,
                                       std::string_view name) {
  const auto it = req.find(name);
  if (it == req.end()) return std::nullopt;
  return it->value();
}

net::awaitable<void> session(beast::tcp_stream stream, const std::string& body,
                             const integrations::slack::request_verifier& verifier) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    http::request<http::string_body> req;
    co_await http::async_read(stream, buffer, req, await_ec(ec));
    if (ec) break;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const bool ok = verifier.verify(header(req, "X-Slack-Request-Timestamp"),
                                    header(req, "X-Slack-Signature"), req.body(),
                                    now) == integrations::slack::verify_status::ok;
    http::response<http::string_body> res{ok ? http::status::ok : http::status::unauthorized,
                                          req.version()};
    res.set(http::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = ok ? body : std::string(R"({"error":"bad signature"})");
    res.prepare_payload();
    co_await http::async_write(stream, res, await_ec(ec));
    if (ec || !res.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

net::awaitable<void> listen(tcp::acceptor& acceptor, const std::string& body,
                            const integrations::slack::request_verifier& verifier) {
  auto& ioc = static_cast<net::io_context&>(acceptor.get_executor().context());
  for (;;) {
    beast::error_code ec;
    const auto strand = net::make_strand(ioc);  // named: GCC 12 may destroy a co_await temporary twice
    tcp::socket socket = co_await acceptor.async_accept(strand, await_ec(ec));
    if (ec) co_return;
    socket.set_option(tcp::no_delay(true), ec);
    beast::tcp_stream stream(std::move(socket));
    const auto executor = stream.get_executor();
    net::co_spawn(executor, session(std::move(stream), body, verifier), net::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr, "usage: bench_floor <listen-port> <body-file> <signing-secret> [threads]\n");
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::strtoul(argv[1], nullptr, 10));
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_floor: cannot read %s\n", argv[2]);
    return 1;
  }
  const std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const integrations::slack::request_verifier verifier(argv[3]);
  unsigned threads = argc == 5 ? static_cast<unsigned>(std::strtoul(argv[4], nullptr, 10))
                               : std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;

  net::io_context ioc;
  tcp::acceptor acceptor(net::make_strand(ioc));
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(net::socket_base::max_listen_connections);
  net::co_spawn(acceptor.get_executor(), listen(acceptor, body, verifier), net::detached);

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&ioc](const beast::error_code&, int) { ioc.stop(); });

  std::printf("bench_floor listening on 127.0.0.1:%u, %u threads, %zu-byte body\n",
              static_cast<unsigned>(acceptor.local_endpoint().port()), threads, body.size());
  std::fflush(stdout);

  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return 0;
}
