#pragma once
// Verifies that a request came from Slack: the v0 signing scheme (HMAC-SHA256 over
// "v0:{timestamp}:{raw body}" with the app's signing secret, a 5-minute replay window).

#include "integrations/http/crypto.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace integrations::slack {

enum class verify_status {
  ok,
  missing_timestamp,
  malformed_timestamp,
  stale_timestamp,
  missing_signature,
  malformed_signature,
  bad_signature,
};

// A short reason for logs and the 401 body; never contains the secret or the expected signature.
std::string_view describe(verify_status s);

class request_verifier {
 public:
  // Requests whose timestamp is further than this from now, in either direction, are refused.
  static constexpr std::int64_t max_skew_seconds = 300;

  explicit request_verifier(std::string_view signing_secret);

  // timestamp and signature are the X-Slack-Request-Timestamp and X-Slack-Signature header
  // values (nullopt when absent or repeated), body the raw bytes, now the Unix time in seconds.
  verify_status verify(std::optional<std::string_view> timestamp,
                       std::optional<std::string_view> signature, std::string_view body,
                       std::int64_t now) const;

  // The X-Slack-Signature value for a request; for tests and the benchmark client.
  std::string sign(std::string_view timestamp, std::string_view body) const;

 private:
  crypto::hmac_sha256 key_;
};

}  // namespace integrations::slack
