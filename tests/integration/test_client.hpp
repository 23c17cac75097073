#pragma once
// A blocking HTTP/1.1 client for loopback tests, and helpers to sign chat requests.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace test {

namespace http = boost::beast::http;
using response = http::response<http::string_body>;
using request = http::request<http::string_body>;

// One TCP connection to 127.0.0.1:port. Every read and write gives up after 10 s, so a broken
// server fails the test instead of hanging it.
class connection {
 public:
  explicit connection(std::uint16_t port);

  // Sends a request and reads its response.
  response round_trip(request req);

  // Writes raw bytes.
  void write(std::string_view bytes);

  // Reads one response; nullopt when the server closed the connection instead.
  std::optional<response> read_response();

  // True when the server has closed the connection (a read returns end of stream or reset)
  // within the socket's read timeout.
  bool closed_by_peer();

  // Shortens the read timeout (for tests that expect the server to close first).
  void set_read_timeout(int seconds);

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// A POST with a form body.
request form_post(std::string_view target, std::string body);

// The same, signed for Slack with secret at Unix time ts.
request slack_post(std::string_view secret, std::int64_t ts, std::string body,
                   std::string_view target = "/slack/commands");

// A slash-command form body with the given text (percent-encoded here).
std::string command_body(std::string_view text, std::string_view command = "/playbook");

std::string percent_encode(std::string_view s);

// The request line and headers of req as sent on the wire (for sending a body in parts).
std::string head_of(request req);

std::int64_t unix_now();

}  // namespace test
