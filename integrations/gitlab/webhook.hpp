#pragma once
// GitLab project/group webhooks: checking X-Gitlab-Token and reading Issue Hook / Note Hook
// deliveries into the tracker-neutral tickets::hook. Check the token first; parse after.

#include "integrations/error.hpp"
#include "integrations/tickets/event.hpp"

#include <string>
#include <string_view>

namespace integrations::gitlab {

class token_checker {
 public:
  explicit token_checker(std::string_view token);

  // presented is the X-Gitlab-Token value ("" when absent). Errors: "missing X-Gitlab-Token
  // header", "X-Gitlab-Token does not match". Time independent of both tokens' contents.
  result<void> verify(std::string_view presented) const;

 private:
  std::string token_;
};

// event is the X-Gitlab-Event header.
// "Issue Hook" with object_kind "issue": action open → "opened", close → "closed", reopen →
// "reopened", update → "labeled" when changes.labels is present, else "edited".
// "Note Hook" on an Issue (noteable_type "Issue") → "commented", with the title,
// description and labels (not partial).
// Confidential issues and notes, work items, merge requests, other notes, other actions and
// every other event → tickets::ignored. Malformed JSON or a handled event without a required
// field → an error naming the field. The event's delivery is left "" (the caller sets it from
// Idempotency-Key / X-Gitlab-Event-UUID).
result<tickets::hook> parse_webhook(std::string_view event, std::string_view body);

}  // namespace integrations::gitlab
