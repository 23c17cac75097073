#include "integrations/teams/verify.hpp"

#include <openssl/crypto.h>

#include <stdexcept>
#include <strings.h>

namespace integrations::teams {

std::string_view describe(verify_status s) {
  switch (s) {
    case verify_status::ok:
      return "ok";
    case verify_status::missing_header:
      return "missing Authorization header";
    case verify_status::malformed_header:
      return "Authorization header is not \"HMAC <base64 signature>\"";
    case verify_status::bad_signature:
      return "HMAC signature does not match";
  }
  return "unknown";
}

std::optional<std::string> token_problem(std::string_view token) {
  if (token.empty()) return "is empty";
  if (token.find_first_of(" \t\r\n") != std::string_view::npos)
    return std::string("contains whitespace (paste the security token exactly as Teams shows it)");
  const auto key = crypto::base64_decode(token);
  if (!key)
    return std::string(
        "is not base64 (expected the security token Teams shows when the outgoing webhook is "
        "created)");
  if (key->size() < hmac_verifier::min_key_bytes)
    return "decodes to " + std::to_string(key->size()) + " bytes; at least " +
           std::to_string(hmac_verifier::min_key_bytes) +
           " are required (Teams' security tokens decode to 32)";
  return std::nullopt;
}

hmac_verifier::hmac_verifier(const std::vector<std::string>& tokens) {
  if (tokens.empty()) throw std::invalid_argument("no Teams security token given");
  keys_.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (auto problem = token_problem(tokens[i]))
      throw std::invalid_argument("Teams security token " + std::to_string(i + 1) + " of " +
                                  std::to_string(tokens.size()) + " " + *problem);
    keys_.emplace_back(*crypto::base64_decode(tokens[i]));
  }
}

verify_status hmac_verifier::verify(std::optional<std::string_view> authorization,
                                    std::string_view body) const {
  if (!authorization || authorization->empty()) return verify_status::missing_header;
  // RFC 9110 credentials: auth-scheme 1*SP token68. Beast has already dropped the field's
  // surrounding whitespace; anything else around the signature makes it malformed.
  constexpr std::string_view scheme = "HMAC";
  std::string_view h = *authorization;
  if (h.size() <= scheme.size() || strncasecmp(h.data(), scheme.data(), scheme.size()) != 0 ||
      h[scheme.size()] != ' ')
    return verify_status::malformed_header;
  h.remove_prefix(scheme.size());
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  const auto presented = crypto::base64_decode(h);
  if (!presented || presented->size() != crypto::sha256_digest{}.size())
    return verify_status::malformed_header;

  // Compare the decoded bytes, not the text: base64_decode accepts one spelling per digest. Every
  // key is tried so the time taken does not tell which webhook's key matched, or whether any did.
  bool match = false;
  for (const auto& key : keys_) {
    const auto expected = key.mac({body});
    match |= CRYPTO_memcmp(expected.data(), presented->data(), expected.size()) == 0;
  }
  return match ? verify_status::ok : verify_status::bad_signature;
}

}  // namespace integrations::teams
