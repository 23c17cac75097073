#pragma once
// HMAC-SHA256 and constant-time comparison, on OpenSSL's EVP_MAC; base64 (RFC 4648).

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace integrations::crypto {

using sha256_digest = std::array<std::uint8_t, 32>;

// A secret key made ready once; mac() may then be called from many threads at once.
class hmac_sha256 {
 public:
  explicit hmac_sha256(std::string_view key);
  ~hmac_sha256();
  hmac_sha256(hmac_sha256&&) noexcept;
  hmac_sha256& operator=(hmac_sha256&&) noexcept;
  hmac_sha256(const hmac_sha256&) = delete;
  hmac_sha256& operator=(const hmac_sha256&) = delete;

  // The MAC of the concatenation of parts (no separator is added).
  sha256_digest mac(std::initializer_list<std::string_view> parts) const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

// SHA-256 of data.
sha256_digest sha256(std::string_view data);

// Lowercase hex of bytes.
std::string to_hex(const sha256_digest& digest);

// True when a and b hold the same bytes; the time taken depends only on their lengths.
bool equal_constant_time(std::string_view a, std::string_view b);

// True when a and b hold the same bytes; the time taken does not depend on their contents or
// lengths (both are hashed first). For comparing a presented token with a configured one.
bool tokens_equal(std::string_view presented, std::string_view expected);

// bytes in base64 with the standard alphabet (A-Z a-z 0-9 + /) and '=' padding.
std::string base64_encode(std::string_view bytes);

// The bytes that text encodes, or nullopt when text is not canonical padded base64 in the
// standard alphabet: a length that is not a multiple of 4, any other character (whitespace,
// '-', '_' included), '=' anywhere but the last one or two places, or padding whose unused bits
// are not zero. "" decodes to "".
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace integrations::crypto
