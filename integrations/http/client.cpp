#include "integrations/http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/version.hpp>

#include <openssl/ssl.h>

#include <charconv>
#include <optional>

namespace integrations::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// Reads the response into out; stream is a tcp_stream or an ssl_stream over one.
template <class Stream>
void exchange(Stream& stream, const url& u, const get_options& o, get_response& out,
              boost::system::error_code& ec) {
  // Kept alive by the handler: this function returns before the write completes.
  auto req = std::make_shared<bhttp::request<bhttp::empty_body>>(bhttp::verb::get, u.target, 11);
  req->set(bhttp::field::host, u.host);
  req->set(bhttp::field::user_agent, "playbook-bot");
  req->set(bhttp::field::accept, "application/json");
  for (const auto& [name, value] : o.headers) req->set(name, value);
  bhttp::async_write(stream, *req, [&, req](boost::system::error_code e, std::size_t) {
    if (e) {
      ec = e;
      return;
    }
    auto buffer = std::make_shared<beast::flat_buffer>();
    auto parser = std::make_shared<bhttp::response_parser<bhttp::string_body>>();
    parser->body_limit(o.body_limit);
    bhttp::async_read(stream, *buffer, *parser,
                      [&, buffer, parser](boost::system::error_code e2, std::size_t) {
                        if (e2) {
                          ec = e2;
                          return;
                        }
                        out.status = parser->get().result_int();
                        out.body = std::move(parser->get().body());
                      });
  });
}

std::string describe(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return "timed out";
  if (ec == bhttp::error::body_limit) return "the response is larger than allowed";
  return ec.message();
}

}  // namespace

result<url> parse_url(std::string_view text) {
  url u;
  if (text.starts_with("https://")) {
    text.remove_prefix(8);
  } else if (text.starts_with("http://")) {
    u.tls = false;
    text.remove_prefix(7);
  } else {
    return error{"the address must start with https:// (or http:// for a local test server)"};
  }
  const auto slash = text.find_first_of("/?");
  std::string_view authority = text.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(text.substr(slash));
  if (u.target.front() == '?') u.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos)
    return error{"the address may not carry a user name or password"};
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return error{"the address has an unclosed ["};
    u.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return error{"unexpected text after the IPv6 address"};
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    u.host = std::string(authority.substr(0, colon));
    port = authority.substr(colon + 1);
  } else {
    u.host = std::string(authority);
  }
  if (u.host.empty()) return error{"the address has no host"};
  if (port.empty()) {
    u.port = u.tls ? "443" : "80";
  } else {
    unsigned n = 0;
    const auto [p, e] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (e != std::errc{} || p != port.data() + port.size() || n == 0 || n > 65535)
      return error{"the address has a bad port"};
    u.port = std::string(port);
  }
  for (char c : u.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return error{"the address has a space or control character"};
  return u;
}

result<get_response> get(std::string_view address, const get_options& o) {
  auto parsed = parse_url(address);
  if (!parsed) return parsed.error();
  const url& u = *parsed;
  net::io_context ioc;
  get_response out;
  boost::system::error_code ec;
  std::optional<std::string> failure;

  tcp::resolver resolver(ioc);
  beast::tcp_stream tcp_stream(ioc);
  net::ssl::context tls(net::ssl::context::tls_client);
  std::optional<beast::ssl_stream<beast::tcp_stream&>> tls_stream;
  if (u.tls) {
    tls.set_default_verify_paths();
    tls.set_verify_mode(net::ssl::verify_peer);
    tls_stream.emplace(tcp_stream, tls);
    tls_stream->set_verify_callback(net::ssl::host_name_verification(u.host));
    if (!SSL_set_tlsext_host_name(tls_stream->native_handle(), u.host.c_str()))
      return error{"cannot set the TLS server name for " + u.host};
  }
  tcp_stream.expires_after(o.timeout);
  resolver.async_resolve(u.host, u.port, [&](boost::system::error_code e, tcp::resolver::results_type found) {
    if (e) {
      failure = "cannot resolve " + u.host + ": " + e.message();
      return;
    }
    tcp_stream.async_connect(found, [&](boost::system::error_code e2, const tcp::endpoint&) {
      if (e2) {
        failure = "cannot connect to " + u.host + ":" + u.port + ": " + describe(e2);
        return;
      }
      if (!u.tls) {
        exchange(tcp_stream, u, o, out, ec);
        return;
      }
      tls_stream->async_handshake(net::ssl::stream_base::client, [&](boost::system::error_code e3) {
        if (e3) {
          failure = "TLS with " + u.host + " failed: " + describe(e3);
          return;
        }
        exchange(*tls_stream, u, o, out, ec);
      });
    });
  });
  // The resolver has no deadline of its own; run_for bounds the whole exchange.
  ioc.run_for(o.timeout + std::chrono::seconds(1));
  if (!ioc.stopped()) return error{"the request to " + u.host + " timed out"};
  if (failure) return error{*failure};
  if (ec) return error{"the request to " + u.host + " failed: " + describe(ec)};
  if (out.status == 0) return error{"no response from " + u.host};
  return out;
}

}  // namespace integrations::http
