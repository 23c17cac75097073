#pragma once
// GitHub repository webhooks: checking X-Hub-Signature-256 and reading issues / issue_comment
// deliveries into the tracker-neutral tickets::hook. Verify first, on the raw bytes; parse after.

#include "integrations/error.hpp"
#include "integrations/tickets/event.hpp"
#include "integrations/tickets/signature.hpp"

#include <string>
#include <string_view>

namespace integrations::github {

class webhook_verifier {
 public:
  explicit webhook_verifier(std::string_view secret);

  // signature_header is the X-Hub-Signature-256 value ("" when absent), body the raw bytes.
  // Errors: "missing X-Hub-Signature-256 header", "signature is not sha256=<hex>",
  // "signature does not match".
  result<void> verify(std::string_view signature_header, std::string_view body) const;

  // The X-Hub-Signature-256 value for body; for tests and the benchmark client.
  std::string sign(std::string_view body) const;

 private:
  tickets::hub_signature signature_;
};

// event is the X-GitHub-Event header. "ping" → tickets::ping; "issues" with action opened|edited|
// labeled|unlabeled|closed|reopened → a ticket_event with that action; "issue_comment" created|
// edited on an issue → action "commented" (the payload carries the whole issue: not partial).
// Comments on pull requests, other actions and other events → tickets::ignored. Malformed JSON
// or a handled event without a required field → an error naming the field.
// The event's delivery is left "" (the caller sets it from X-GitHub-Delivery).
result<tickets::hook> parse_webhook(std::string_view event, std::string_view body);

}  // namespace integrations::github
