#include "integrations/http/client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace integrations::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using namespace std::string_view_literals;

struct client::tls_context {
  net::ssl::context ctx{net::ssl::context::tls_client};
  // The system trust store is read on the first https call, not when the client is made: reading
  // the CA bundle takes ~30 ms, which every start-up and `playbook-bot healthcheck` (plain http to
  // loopback) would pay for nothing. A PLAYBOOK_CA_FILE is read at once, so a bad one stops
  // start-up.
  std::once_flag system_store_once;
  std::string system_store_error;  // set once, inside system_store_once
};

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// The last OpenSSL error queued on this thread, for messages; "" when there is none.
std::string openssl_reason() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out = buf;
  }
  return out;
}

enum class phase { resolve, connect, handshake, write, read };

// One request on its own io_context: everything it needs lives here, on the caller's stack, so
// the completion handlers capture only `this`. The shared TLS context is only read.
class exchange {
 public:
  exchange(const url& u, bhttp::verb method, std::string_view body, const request_options& o,
           net::ssl::context* tls, bool loopback_only)
      : u_(u), o_(o), loopback_only_(loopback_only) {
    req_.method(method);
    req_.target(u.target);
    req_.version(11);
    const bool default_port = u.port == (u.tls ? "443" : "80");
    std::string host = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
    if (!default_port) host += ":" + u.port;
    req_.set(bhttp::field::host, host);
    req_.set(bhttp::field::user_agent, "playbook-bot");
    req_.set(bhttp::field::accept, "application/json");
    // One request per connection: the server may close as soon as it has answered.
    req_.keep_alive(false);
    const bool has_body = !body.empty() || method == bhttp::verb::post || method == bhttp::verb::put ||
                          method == bhttp::verb::patch;
    if (has_body) {
      req_.set(bhttp::field::content_type, "application/json");
      req_.body() = std::string(body);
    }
    for (const auto& h : o.headers) req_.set(h.name, h.value);
    if (has_body) req_.prepare_payload();
    if (tls != nullptr) tls_stream_.emplace(tcp_, *tls);
    parser_.body_limit(o.body_limit);
    // GitHub and Jira send long Link and security headers; 8 KB (Beast's default) is tight.
    parser_.header_limit(64 * 1024);
  }

  result<response> run() {
    if (tls_stream_) {
      // SNI carries a name, never an address (RFC 6066 §3).
      if (!is_ip_literal(u_.host) && !SSL_set_tlsext_host_name(tls_stream_->native_handle(), u_.host.c_str()))
        return error{"cannot set the TLS server name for " + u_.host + ": " + openssl_reason()};
      tls_stream_->set_verify_callback([this](bool preverified, net::ssl::verify_context& ctx) {
        return verify(preverified, ctx);
      });
    }
    // resolve + connect share connect_timeout: the stream's deadline starts now, and an already
    // expired deadline fails the connect at once.
    tcp_.expires_after(o_.connect_timeout);
    resolver_.async_resolve(u_.host, u_.port, [this](boost::system::error_code ec, tcp::resolver::results_type r) {
      on_resolve(ec, std::move(r));
    });
    const auto total = o_.total_timeout.count() > 0
                           ? o_.total_timeout
                           : o_.connect_timeout + o_.handshake_timeout + o_.write_timeout + o_.read_timeout;
    // The resolver has no deadline of its own (getaddrinfo runs on a helper thread); run_for bounds
    // the whole exchange whatever hangs.
    ioc_.run_for(total);
    if (!ioc_.stopped() && !failure_ && !done_) {
      std::string message = "the request to " + where() + " timed out after " + std::to_string(total.count()) +
                            " ms (while " + doing() + ")";
      // Let the pending operations finish as aborted now rather than be destroyed unfinished with
      // the io_context. A getaddrinfo call in progress cannot be interrupted: the resolver's
      // thread is joined when ioc_ goes, so a hanging DNS server can still hold this call up to
      // the system resolver's own timeout (resolv.conf).
      boost::system::error_code ignored;
      resolver_.cancel();
      tcp_.socket().close(ignored);
      ioc_.restart();
      ioc_.poll();
      return error{std::move(message)};
    }
    if (failure_) return error{*failure_};
    if (!done_) return error{"no response from " + where()};
    response out;
    auto& msg = parser_.get();
    out.status = msg.result_int();
    for (const auto& field : msg) out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    out.body = std::move(msg.body());
    return out;
  }

 private:
  std::string where() const {
    return (u_.host.find(':') != std::string::npos ? "[" + u_.host + "]" : u_.host) + ":" + u_.port;
  }

  std::string doing() const {
    switch (phase_) {
      case phase::resolve: return "resolving " + u_.host;
      case phase::connect: return "connecting";
      case phase::handshake: return "in the TLS handshake";
      case phase::write: return "sending the request";
      case phase::read: return "reading the response";
    }
    return "";
  }

  std::chrono::milliseconds phase_timeout() const {
    switch (phase_) {
      case phase::resolve:
      case phase::connect: return o_.connect_timeout;
      case phase::handshake: return o_.handshake_timeout;
      case phase::write: return o_.write_timeout;
      case phase::read: return o_.read_timeout;
    }
    return {};
  }

  void fail(const boost::system::error_code& ec) {
    std::string what;
    if (ec == beast::error::timeout) {
      what = "timed out after " + std::to_string(phase_timeout().count()) + " ms";
    } else if (ec == bhttp::error::body_limit) {
      what = "the response is larger than " + std::to_string(o_.body_limit) + " bytes";
    } else if (ec == bhttp::error::header_limit) {
      what = "the response header is too large";
    } else if (phase_ == phase::handshake) {
      what = describe_tls_failure(ec);
    } else {
      what = ec.message();
    }
    switch (phase_) {
      case phase::resolve: failure_ = "cannot resolve " + u_.host + ": " + what; break;
      case phase::connect: failure_ = "cannot connect to " + where() + ": " + what; break;
      case phase::handshake: failure_ = "TLS with " + where() + " failed: " + what; break;
      case phase::write: failure_ = "sending the request to " + where() + " failed: " + what; break;
      case phase::read: failure_ = "reading the response from " + where() + " failed: " + what; break;
    }
  }

  // Why the handshake failed, in words: the verify callback saw the details.
  std::string describe_tls_failure(const boost::system::error_code& ec) const {
    if (host_mismatch_)
      return "the certificate is not for " + u_.host + " (host name verification failed)";
    if (chain_error_ != X509_V_OK)
      return std::string("the certificate is not trusted: ") +
             X509_verify_cert_error_string(chain_error_);
    const std::string reason = ec.message();
    if (ec == net::ssl::error::stream_truncated || ec == net::error::eof)
      return "the server closed the connection during the handshake (" + reason + ")";
    return reason;
  }

  // OpenSSL's chain verdict, then the host name check on the leaf; remembers what failed so the
  // error can say it (the handshake error itself only says "certificate verify failed").
  bool verify(bool preverified, net::ssl::verify_context& ctx) {
    X509_STORE_CTX* store = ctx.native_handle();
    if (!preverified) {
      if (chain_error_ == X509_V_OK) chain_error_ = X509_STORE_CTX_get_error(store);
      return false;
    }
    const bool ok = net::ssl::host_name_verification(u_.host)(preverified, ctx);
    if (!ok && X509_STORE_CTX_get_error_depth(store) == 0) host_mismatch_ = true;
    return ok;
  }

  void on_resolve(boost::system::error_code ec, tcp::resolver::results_type found) {
    if (ec) return fail(ec);
    std::vector<tcp::endpoint> endpoints;
    for (const auto& e : found) {
      const auto a = e.endpoint().address();
      const bool loopback = a.is_loopback() || (a.is_v6() && a.to_v6().is_v4_mapped() &&
                                                net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).is_loopback());
      // "localhost" allowed plain http on the promise that it is this machine: hold it to that.
      if (!loopback_only_ || loopback) endpoints.push_back(e.endpoint());
    }
    if (endpoints.empty()) {
      failure_ = "plain http to " + u_.host + " is refused: it does not resolve to a loopback address";
      return;
    }
    phase_ = phase::connect;
    tcp_.async_connect(endpoints, [this](boost::system::error_code e, const tcp::endpoint&) { on_connect(e); });
  }

  void on_connect(boost::system::error_code ec) {
    if (ec) return fail(ec);
    if (!tls_stream_) return write(tcp_);
    phase_ = phase::handshake;
    tcp_.expires_after(o_.handshake_timeout);
    tls_stream_->async_handshake(net::ssl::stream_base::client, [this](boost::system::error_code e) {
      if (e) return fail(e);
      write(*tls_stream_);
    });
  }

  template <class Stream>
  void write(Stream& stream) {
    phase_ = phase::write;
    tcp_.expires_after(o_.write_timeout);
    bhttp::async_write(stream, req_, [this, &stream](boost::system::error_code ec, std::size_t) {
      if (ec) return fail(ec);
      phase_ = phase::read;
      tcp_.expires_after(o_.read_timeout);
      bhttp::async_read(stream, buffer_, parser_, [this](boost::system::error_code e, std::size_t) {
        if (e) return fail(e);
        // No TLS close_notify exchange: the response is complete (the parser says so), the
        // connection is not reused, and waiting for the peer's close_notify could only add a delay.
        tcp_.cancel();
        done_ = true;
      });
    });
  }

  const url& u_;
  const request_options& o_;
  const bool loopback_only_;
  net::io_context ioc_{1};
  tcp::resolver resolver_{ioc_};
  beast::tcp_stream tcp_{ioc_};
  std::optional<beast::ssl_stream<beast::tcp_stream&>> tls_stream_;
  bhttp::request<bhttp::string_body> req_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
  phase phase_ = phase::resolve;
  std::optional<std::string> failure_;
  bool done_ = false;
  bool host_mismatch_ = false;
  int chain_error_ = X509_V_OK;
};

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (iequals(host, "localhost")) return true;
  boost::system::error_code ec;
  const auto a = net::ip::make_address(std::string(host), ec);
  if (ec) return false;
  if (a.is_loopback()) return true;
  return a.is_v6() && a.to_v6().is_v4_mapped() &&
         net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).is_loopback();
}

std::string_view response::header_value(std::string_view name) const {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return h.value;
  return {};
}

client::client(client_settings s) : settings_(std::move(s)), tls_(std::make_unique<tls_context>()) {
  SSL_CTX* ctx = tls_->ctx.native_handle();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
    throw std::runtime_error("cannot require TLS 1.2: " + openssl_reason());
  tls_->ctx.set_verify_mode(net::ssl::verify_peer);
  if (!settings_.ca_file.empty()) {
    // Only these certificates: a private CA (or a test CA) replaces the system store rather than
    // adding to it, so the trust is exactly what was configured.
    ERR_clear_error();
    if (SSL_CTX_load_verify_locations(ctx, settings_.ca_file.c_str(), nullptr) != 1)
      throw std::runtime_error("cannot read the CA file " + settings_.ca_file + " (PLAYBOOK_CA_FILE): " +
                               openssl_reason());
  }
}

client::~client() = default;

result<response> client::send(std::string_view method, std::string_view address, std::string_view body,
                              const request_options& o) const {
  const auto verb = bhttp::string_to_verb(method);
  if (verb != bhttp::verb::get && verb != bhttp::verb::post && verb != bhttp::verb::put &&
      verb != bhttp::verb::patch && verb != bhttp::verb::delete_)
    return error{"unsupported HTTP method " + std::string(method)};
  auto parsed = parse_url(address);
  if (!parsed) return parsed.error();
  const url& u = *parsed;
  // A line break in a header would let a configured value add headers (or a second request).
  for (const auto& h : o.headers) {
    const auto bad = [](std::string_view text) { return text.find_first_of("\r\n\0"sv) != std::string_view::npos; };
    if (h.name.empty() || bad(h.name) || bad(h.value) || h.name.find_first_of(" :\t") != std::string::npos)
      return error{"the request header " + h.name + " has a line break or a bad name"};
  }
  bool loopback_only = false;
  if (!u.tls && !settings_.allow_insecure_http) {
    if (!is_loopback_host(u.host))
      return error{"plain http to " + u.host + " is refused; use https or set PLAYBOOK_ALLOW_INSECURE_HTTP"};
    loopback_only = true;
  }
  if (u.tls && settings_.ca_file.empty()) {
    std::call_once(tls_->system_store_once, [this] {
      boost::system::error_code ec;
      tls_->ctx.set_default_verify_paths(ec);
      if (ec) tls_->system_store_error = "cannot read the system's trusted certificates: " + ec.message();
    });
    if (!tls_->system_store_error.empty()) return error{tls_->system_store_error};
  }
  exchange x(u, verb, body, o, u.tls ? &tls_->ctx : nullptr, loopback_only);
  return x.run();
}

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

result<get_response> get(std::string_view address, const get_options& options) {
  // One client for the process: the TLS context (system trust store) is built once.
  static const client shared;
  request_options o;
  for (const auto& [name, value] : options.headers) o.headers.push_back({name, value});
  o.connect_timeout = o.handshake_timeout = o.write_timeout = o.read_timeout = o.total_timeout = options.timeout;
  o.body_limit = options.body_limit;
  auto r = shared.send("GET", address, "", o);
  if (!r) return r.error();
  return get_response{r->status, std::move(r->body)};
}

}  // namespace integrations::http
