#include "integrations/slack/verify.hpp"

#include <charconv>
#include <string>

namespace integrations::slack {

std::string_view describe(verify_status s) {
  switch (s) {
    case verify_status::ok:
      return "ok";
    case verify_status::missing_timestamp:
      return "missing X-Slack-Request-Timestamp";
    case verify_status::malformed_timestamp:
      return "malformed X-Slack-Request-Timestamp";
    case verify_status::stale_timestamp:
      return "X-Slack-Request-Timestamp is outside the 5-minute window";
    case verify_status::missing_signature:
      return "missing X-Slack-Signature";
    case verify_status::malformed_signature:
      return "malformed X-Slack-Signature";
    case verify_status::bad_signature:
      return "X-Slack-Signature does not match";
  }
  return "unknown";
}

request_verifier::request_verifier(std::string_view signing_secret) : key_(signing_secret) {}

verify_status request_verifier::verify(std::optional<std::string_view> timestamp,
                                       std::optional<std::string_view> signature,
                                       std::string_view body, std::int64_t now) const {
  if (!timestamp || timestamp->empty()) return verify_status::missing_timestamp;
  // Digits only: from_chars alone would accept a leading '-' and stop at trailing junk.
  if (timestamp->size() > 12 || timestamp->find_first_not_of("0123456789") != std::string_view::npos)
    return verify_status::malformed_timestamp;
  std::int64_t ts = 0;
  std::from_chars(timestamp->data(), timestamp->data() + timestamp->size(), ts);
  if (ts < now - max_skew_seconds || ts > now + max_skew_seconds)
    return verify_status::stale_timestamp;

  if (!signature || signature->empty()) return verify_status::missing_signature;
  constexpr std::string_view version = "v0=";
  if (signature->size() != version.size() + 64 || !signature->starts_with(version))
    return verify_status::malformed_signature;

  const auto expected = crypto::to_hex(key_.mac({"v0:", *timestamp, ":", body}));
  if (!crypto::equal_constant_time(signature->substr(version.size()), expected))
    return verify_status::bad_signature;
  return verify_status::ok;
}

std::string request_verifier::sign(std::string_view timestamp, std::string_view body) const {
  return "v0=" + crypto::to_hex(key_.mac({"v0:", timestamp, ":", body}));
}

}  // namespace integrations::slack
