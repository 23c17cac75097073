#pragma once
// Outbound HTTP(S) for calls to platform APIs (Slack's user groups, Jira, GitHub, GitLab). Blocking;
// one `client` per process, shared by every thread. https verifies the certificate chain (system
// trust store, or only PLAYBOOK_CA_FILE's certificates) and the host name, with TLS 1.2 or newer and
// SNI. Plain http goes only to loopback test doubles unless allow_insecure_http is set. Redirects are
// never followed: a 3xx is a response like any other.

#include "integrations/error.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace integrations::http {

struct url {
  bool tls = true;
  std::string host;
  std::string port;    // "443" when not given for https, "80" for http
  std::string target;  // path and query, at least "/"
};

// "https://slack.com/api/x?y=1" → {tls, "slack.com", "443", "/api/x?y=1"}. Errors name what is
// wrong (another scheme, no host, user info, a bad port).
result<url> parse_url(std::string_view text);

// True for "localhost", 127.0.0.0/8 and ::1 (also IPv4-mapped ::ffff:127.x.y.z); the host as in
// url::host (no brackets). Plain http is allowed to these without allow_insecure_http.
bool is_loopback_host(std::string_view host);

struct header {
  std::string name, value;
};

struct response {
  unsigned status = 0;
  std::vector<header> headers;  // as received, in order
  std::string body;
  // The first header with this name, compared case-insensitively; "" when there is none.
  std::string_view header_value(std::string_view name) const;
};

struct request_options {
  // Sent as given (replacing a default of the same name: User-Agent, Accept, Content-Type).
  std::vector<header> headers;
  std::chrono::milliseconds connect_timeout{5'000};  // resolve + TCP connect
  std::chrono::milliseconds handshake_timeout{5'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds read_timeout{10'000};     // the whole response, header and body
  // The bound on the whole exchange (also covers a resolver that never answers); 0: the sum of the
  // four phases.
  std::chrono::milliseconds total_timeout{0};
  std::size_t body_limit = 4u << 20;
};

struct client_settings {
  std::string ca_file;               // PEM certificates to trust instead of the system store; "" system store
  bool allow_insecure_http = false;  // plain http to any host, not just loopback
};

class client {  // thread-safe; one per process
 public:
  // Builds the TLS context once (the system trust store is read on the first https call). Throws
  // std::runtime_error naming the CA file when it cannot be read or holds no certificate.
  explicit client(client_settings s = {});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // method "GET"|"POST"|"PUT"|"PATCH"|"DELETE". A non-empty body (and any POST/PUT/PATCH) is sent
  // with Content-Length and Content-Type: application/json unless o.headers names another type.
  // Any status is a response: the caller decides what a 3xx/4xx/5xx means. An error says what
  // failed and where: the address, plain http refused, resolve, connect, TLS (untrusted chain,
  // certificate for another host, protocol), a timeout and in which phase, a body over the limit
  // ("the response is larger than N bytes").
  result<response> send(std::string_view method, std::string_view address, std::string_view body,
                        const request_options& o = {}) const;

  const client_settings& settings() const { return settings_; }

 private:
  struct tls_context;  // the OpenSSL context: configured in the constructor, only read afterwards
  client_settings settings_;
  std::unique_ptr<tls_context> tls_;
};

// ---- the older GET for Slack's user groups, kept for bot/slack_groups.cpp ----

struct get_response {
  unsigned status = 0;
  std::string body;
};

struct get_options {
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Authorization
  std::chrono::milliseconds timeout{10'000};                 // each phase, and the whole exchange
  std::size_t body_limit = 4u << 20;
};

// GETs the address through a process-wide client with default settings (system trust store, plain
// http only to loopback); errors as client::send.
result<get_response> get(std::string_view address, const get_options& options = {});

}  // namespace integrations::http
