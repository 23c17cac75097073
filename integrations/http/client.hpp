#pragma once
// An outbound HTTP(S) GET for calls to platform APIs (Slack's user groups, ...). Blocking, with one
// deadline for the whole exchange; https verifies the certificate chain against the system's
// trust store and the host name. Plain http is for loopback test doubles and proxies you run.

#include "integrations/error.hpp"

#include <chrono>
#include <cstddef>
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

struct get_response {
  unsigned status = 0;
  std::string body;
};

struct get_options {
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Authorization
  std::chrono::milliseconds timeout{10'000};
  std::size_t body_limit = 4u << 20;
};

// GETs the address; an error says what failed (resolve, connect, TLS, timeout, a body over the
// limit). Any status is a response: the caller decides what a 4xx means.
result<get_response> get(std::string_view address, const get_options& options = {});

}  // namespace integrations::http
