#include "tests/integration/test_client.hpp"

#include "integrations/slack/verify.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <sstream>

namespace test {
namespace net = boost::asio;
using tcp = net::ip::tcp;

connection::connection(std::uint16_t port) : socket_(ioc_) {
  socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  set_read_timeout(10);
  timeval tv{10, 0};
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void connection::set_read_timeout(int seconds) {
  timeval tv{seconds, 0};
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

response connection::round_trip(request req) {
  req.prepare_payload();
  http::write(socket_, req);
  auto res = read_response();
  if (!res) throw std::runtime_error("the server closed the connection without answering");
  return std::move(*res);
}

void connection::write(std::string_view bytes) { net::write(socket_, net::buffer(bytes)); }

std::optional<response> connection::read_response() {
  response res;
  boost::beast::error_code ec;
  http::read(socket_, buffer_, res, ec);
  if (ec == http::error::end_of_stream || ec == net::error::eof ||
      ec == net::error::connection_reset)
    return std::nullopt;
  if (ec) throw boost::system::system_error(ec, "reading a response");
  return res;
}

bool connection::closed_by_peer() {
  char byte;
  boost::beast::error_code ec;
  socket_.read_some(net::buffer(&byte, 1), ec);
  return ec == net::error::eof || ec == net::error::connection_reset;
}

request form_post(std::string_view target, std::string body) {
  request req{http::verb::post, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/x-www-form-urlencoded");
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

request slack_post(std::string_view secret, std::int64_t ts, std::string body,
                   std::string_view target) {
  const integrations::slack::request_verifier signer(secret);
  const std::string stamp = std::to_string(ts);
  const std::string signature = signer.sign(stamp, body);
  auto req = form_post(target, std::move(body));
  req.set("X-Slack-Request-Timestamp", stamp);
  req.set("X-Slack-Signature", signature);
  return req;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0xF];
    }
  }
  return out;
}

std::string command_body(std::string_view text, std::string_view command) {
  return "token=legacy&team_id=T1&team_domain=test&channel_id=C1&channel_name=general"
         "&user_id=U1&user_name=alice&command=" +
         percent_encode(command) + "&text=" + percent_encode(text) +
         "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fx&trigger_id=1.2.3";
}

std::string head_of(request req) {
  req.prepare_payload();
  std::ostringstream out;
  out << req.base();
  return out.str();
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace test
