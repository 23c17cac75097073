#include "integrations/tickets/signature.hpp"

namespace integrations::tickets {

hub_signature::hub_signature(std::string_view secret, std::string_view header_name)
    : key_(secret), header_name_(header_name) {}

result<void> hub_signature::verify(std::string_view value, std::string_view body) const {
  if (value.empty()) return error{"missing " + header_name_ + " header"};
  constexpr std::string_view prefix = "sha256=";
  if (value.size() != prefix.size() + 64 || !value.starts_with(prefix))
    return error{"signature is not sha256=<hex>"};
  // Hex digits may arrive in either case; the digest is compared in the lowercase to_hex writes.
  // Lowercasing first tells nothing about the secret: only the presented value is looked at.
  std::string presented(value.substr(prefix.size()));
  for (auto& c : presented) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return error{"signature is not sha256=<hex>"};
  }
  if (!crypto::equal_constant_time(presented, crypto::to_hex(key_.mac({body}))))
    return error{"signature does not match"};
  return {};
}

std::string hub_signature::sign(std::string_view body) const {
  return "sha256=" + crypto::to_hex(key_.mac({body}));
}

}  // namespace integrations::tickets
