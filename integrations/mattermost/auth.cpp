#include "integrations/mattermost/auth.hpp"

#include "integrations/http/crypto.hpp"

#include <strings.h>

namespace integrations::mattermost {

token_checker::token_checker(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

bool token_checker::known(std::string_view presented) const {
  // Every configured token is compared, so the time taken does not tell which one matched.
  bool match = false;
  for (const auto& t : tokens_) match |= crypto::tokens_equal(presented, t);
  return match && !presented.empty();
}

bool token_checker::accepts(std::optional<std::string_view> authorization,
                            std::optional<std::string_view> form_token) const {
  bool presented = false;
  if (authorization) {
    constexpr std::string_view scheme = "Token ";
    if (authorization->size() >= scheme.size() &&
        strncasecmp(authorization->data(), scheme.data(), scheme.size()) == 0) {
      presented = true;
      if (!known(authorization->substr(scheme.size()))) return false;
    }
  }
  if (form_token) {
    presented = true;
    if (!known(*form_token)) return false;
  }
  return presented;
}

}  // namespace integrations::mattermost
