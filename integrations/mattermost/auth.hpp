#pragma once
// Checks a Mattermost slash-command request against the configured command tokens.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace integrations::mattermost {

class token_checker {
 public:
  explicit token_checker(std::vector<std::string> tokens);

  // authorization is the Authorization header (nullopt when absent or repeated), form_token the
  // `token` field. Accepts when at least one credential is presented and every one presented
  // ("Token <t>" in the header, the field) equals a configured token. Other Authorization schemes
  // (an Outgoing OAuth Connection's bearer) are not Mattermost's command token and are ignored.
  bool accepts(std::optional<std::string_view> authorization,
               std::optional<std::string_view> form_token) const;

 private:
  bool known(std::string_view presented) const;
  std::vector<std::string> tokens_;
};

}  // namespace integrations::mattermost
