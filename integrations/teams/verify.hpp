#pragma once
// Verifies that a request came from a Microsoft Teams outgoing webhook: the Authorization header
// "HMAC <base64>" must equal base64(HMAC-SHA256(key, raw body)), where key is the base64-decoded
// security token Teams showed when the webhook was created. One token per outgoing webhook (a
// webhook belongs to one team); Teams documents no timestamp, so there is no replay window.

#include "integrations/http/crypto.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace integrations::teams {

enum class verify_status { ok, missing_header, malformed_header, bad_signature };

// A short reason for logs and the 401 body; never contains a token or the expected signature.
std::string_view describe(verify_status s);

// What is wrong with one TEAMS_HMAC_SECRET entry (the base64 security token Teams shows when an
// outgoing webhook is created): empty, not base64, or shorter than 16 bytes decoded. nullopt when
// it is fine. The words follow the entry's name ("is not base64 ...") and never repeat the token.
std::optional<std::string> token_problem(std::string_view token);

class hmac_verifier {
 public:
  // Tokens decoded shorter than this are refused: Teams' own are 32 bytes.
  static constexpr std::size_t min_key_bytes = 16;

  // tokens: one per outgoing webhook. Throws std::invalid_argument when the list is empty or an
  // entry fails token_problem; the message names the entry's position ("token 2 of 3"), never
  // its value.
  explicit hmac_verifier(const std::vector<std::string>& tokens);

  // authorization: the Authorization header value (nullopt when absent or repeated); body: the
  // raw request bytes. ok when the header is "HMAC <base64 of 32 bytes>" (scheme in any case)
  // and the signature matches one of the keys. Every key is tried, compared in constant time.
  verify_status verify(std::optional<std::string_view> authorization, std::string_view body) const;

 private:
  std::vector<crypto::hmac_sha256> keys_;
};

}  // namespace integrations::teams
