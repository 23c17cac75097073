#pragma once
// Jira Cloud and Data Center admin webhooks: checking X-Hub-Signature and reading issue and
// comment deliveries into the tracker-neutral tickets::hook. Verify first, on the raw bytes.

#include "integrations/error.hpp"
#include "integrations/tickets/event.hpp"
#include "integrations/tickets/signature.hpp"

#include <string>
#include <string_view>

namespace integrations::jira {

class webhook_verifier {
 public:
  explicit webhook_verifier(std::string_view secret);

  // signature_header is the X-Hub-Signature value ("" when absent): "sha256=<hex>" of
  // HMAC-SHA256(raw body, secret), as Jira sends when the webhook has a secret. Errors:
  // "missing X-Hub-Signature header", "signature is not sha256=<hex>", "signature does not match".
  result<void> verify(std::string_view signature_header, std::string_view body) const;

  // The X-Hub-Signature value for body; for tests and benchmarks.
  std::string sign(std::string_view body) const;

 private:
  tickets::hub_signature signature_;
};

// By webhookEvent: "jira:issue_created" → action "opened", "jira:issue_updated" → "updated"
// (the new status and resolution are in the event; a comment added through an update, as Data
// Center sends, fills comment_id/comment_body too), "comment_created" → "commented" with
// partial = true and body nullopt (the payload's issue is abbreviated; fetch it). Every other
// event → tickets::ignored. The ticket: project = fields.project.key, project_id = issue.id,
// number = issue.key, url = <site>/browse/<key> derived from issue.self. actor = accountId (Cloud)
// or name (Data Center) of user (issue events) or comment.author (comment events).
// A description that is not a string (an ADF document) leaves body nullopt. Malformed JSON or a
// handled event without a required field → an error naming the field. delivery is left "" (the
// caller sets it from X-Atlassian-Webhook-Identifier).
result<tickets::hook> parse_webhook(std::string_view body);

}  // namespace integrations::jira
