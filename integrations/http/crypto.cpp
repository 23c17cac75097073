#include "integrations/http/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdint>
#include <stdexcept>

namespace integrations::crypto {

// The keyed context is built once (fetching the algorithm is the slow part in OpenSSL 3) and each
// mac() works on a duplicate, so concurrent callers never share mutable state.
struct hmac_sha256::state {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* keyed = nullptr;
  ~state() {
    EVP_MAC_CTX_free(keyed);
    EVP_MAC_free(mac);
  }
};

hmac_sha256::hmac_sha256(std::string_view key) : state_(std::make_unique<state>()) {
  state_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (state_->mac == nullptr) throw std::runtime_error("OpenSSL: HMAC is not available");
  state_->keyed = EVP_MAC_CTX_new(state_->mac);
  if (state_->keyed == nullptr) throw std::bad_alloc();
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  // OpenSSL refuses a null key pointer even for length 0, so point at something.
  static const unsigned char empty = 0;
  const auto* key_bytes =
      key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(state_->keyed, key_bytes, key.size(), params) != 1)
    throw std::runtime_error("OpenSSL: HMAC-SHA256 initialisation failed");
}

hmac_sha256::~hmac_sha256() = default;
hmac_sha256::hmac_sha256(hmac_sha256&&) noexcept = default;
hmac_sha256& hmac_sha256::operator=(hmac_sha256&&) noexcept = default;

sha256_digest hmac_sha256::mac(std::initializer_list<std::string_view> parts) const {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(state_->keyed);
  if (ctx == nullptr) throw std::bad_alloc();
  bool ok = true;
  for (auto part : parts)
    ok = ok && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size()) == 1;
  sha256_digest out{};
  std::size_t written = 0;
  ok = ok && EVP_MAC_final(ctx, out.data(), &written, out.size()) == 1 && written == out.size();
  EVP_MAC_CTX_free(ctx);
  if (!ok) throw std::runtime_error("OpenSSL: HMAC-SHA256 failed");
  return out;
}

sha256_digest sha256(std::string_view data) {
  sha256_digest out{};
  unsigned int written = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &written, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  return out;
}

std::string to_hex(const sha256_digest& digest) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(digest.size() * 2, '\0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 0xF];
  }
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool tokens_equal(std::string_view presented, std::string_view expected) {
  const auto a = sha256(presented);
  const auto b = sha256(expected);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

constexpr char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of a base64 character, or -1.
int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto at = [&bytes](std::size_t i) -> std::uint32_t {
    return static_cast<std::uint8_t>(bytes[i]);
  };
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    out += base64_alphabet[n >> 18 & 63];
    out += base64_alphabet[n >> 12 & 63];
    out += base64_alphabet[n >> 6 & 63];
    out += base64_alphabet[n & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    const std::uint32_t n = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
    out += base64_alphabet[n >> 18 & 63];
    out += base64_alphabet[n >> 12 & 63];
    out += rest == 2 ? base64_alphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

// Hand-written rather than EVP_DecodeBlock: OpenSSL's decoder skips leading and trailing
// whitespace, accepts '=' in the middle of the input and returns the padding as zero bytes,
// while a security token must decode one way only. Non-zero bits under the padding are refused
// too, so every byte string has exactly one accepted encoding.
std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t n = 0;
  const std::size_t data_chars = text.size() - padding;
  for (std::size_t i = 0; i < data_chars; ++i) {
    const int v = base64_value(text[i]);
    if (v < 0) return std::nullopt;
    n = n << 6 | static_cast<std::uint32_t>(v);
    if (i % 4 == 3) {
      out += static_cast<char>(n >> 16 & 0xFF);
      out += static_cast<char>(n >> 8 & 0xFF);
      out += static_cast<char>(n & 0xFF);
      n = 0;
    }
  }
  if (padding == 2) {  // two characters left: 12 bits, one byte and 4 unused bits
    if ((n & 0x0F) != 0) return std::nullopt;
    out += static_cast<char>(n >> 4 & 0xFF);
  } else if (padding == 1) {  // three characters left: 18 bits, two bytes and 2 unused bits
    if ((n & 0x03) != 0) return std::nullopt;
    out += static_cast<char>(n >> 10 & 0xFF);
    out += static_cast<char>(n >> 2 & 0xFF);
  }
  return out;
}

}  // namespace integrations::crypto
