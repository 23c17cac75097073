#pragma once
// The "sha256=<hex>" webhook signature (WebSub's X-Hub-Signature form) that GitHub sends in
// X-Hub-Signature-256 and Jira in X-Hub-Signature: HMAC-SHA256 of the raw body with the shared
// secret, hex encoded. jira::webhook_verifier and github::webhook_verifier wrap it.

#include "integrations/error.hpp"
#include "integrations/http/crypto.hpp"

#include <string>
#include <string_view>

namespace integrations::tickets {

class hub_signature {
 public:
  // header_name only names the header in error messages ("X-Hub-Signature-256").
  hub_signature(std::string_view secret, std::string_view header_name);

  // value is the header's value ("" when absent), body the raw bytes as received. Errors:
  // "missing <header> header", "signature is not sha256=<hex>", "signature does not match".
  // Never says what the expected signature is. Constant time in the signature's contents.
  result<void> verify(std::string_view value, std::string_view body) const;

  // The header value for body: "sha256=<64 lowercase hex digits>". For tests and benchmarks.
  std::string sign(std::string_view body) const;

 private:
  crypto::hmac_sha256 key_;
  std::string header_name_;
};

}  // namespace integrations::tickets
