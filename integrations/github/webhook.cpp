#include "integrations/github/webhook.hpp"

#include "integrations/tickets/payload.hpp"

#include <array>
#include <algorithm>

namespace integrations::github {

webhook_verifier::webhook_verifier(std::string_view secret)
    : signature_(secret, "X-Hub-Signature-256") {}

result<void> webhook_verifier::verify(std::string_view signature_header, std::string_view body) const {
  return signature_.verify(signature_header, body);
}

std::string webhook_verifier::sign(std::string_view body) const { return signature_.sign(body); }

namespace {

constexpr std::array<std::string_view, 6> issue_actions = {"opened", "closed", "reopened",
                                                            "edited", "labeled", "unlabeled"};

bool handled_issue_action(std::string_view action) {
  return std::find(issue_actions.begin(), issue_actions.end(), action) != issue_actions.end();
}

}  // namespace

result<tickets::hook> parse_webhook(std::string_view event, std::string_view body) {
  // A ping carries the hook's configuration, nothing to read: it only proves the secret matches.
  if (event == "ping") return tickets::hook{tickets::ping{}};
  if (event != "issues" && event != "issue_comment")
    return tickets::hook{tickets::ignored{"GitHub event " + tickets::payload::quote(event) + " is not handled"}};

  auto doc = tickets::payload::parse_object(body);
  if (!doc) return doc.error();
  tickets::payload::reader r;
  const auto root = r.root(*doc);
  const auto action = r.string(root, "action");
  if (r.failed()) return r.failure();

  const bool comment = event == "issue_comment";
  if (comment ? (action != "created" && action != "edited") : !handled_issue_action(action))
    return tickets::hook{tickets::ignored{"GitHub " + std::string(event) + " action " + tickets::payload::quote(action) + " is not handled"}};

  const auto issue = r.object(root, "issue");
  if (r.failed()) return r.failure();
  // GitHub treats every pull request as an issue too; its comments arrive as issue_comment with
  // issue.pull_request set. Procurement requests are issues, so these are not ours.
  if (r.find(issue, "pull_request") != nullptr && !r.find(issue, "pull_request")->is_null())
    return tickets::hook{tickets::ignored{"GitHub " + std::string(event) + " on a pull request"}};

  tickets::ticket_event e;
  e.where.system = tickets::tracker::github;
  e.where.project = r.string(r.object(root, "repository"), "full_name");
  e.where.number = r.id(issue, "number");
  e.where.url = r.optional_string(issue, "html_url");
  e.action = comment ? "commented" : action;
  e.title = r.string(issue, "title");
  e.body = r.nullable_string(issue, "body");
  e.labels = r.names(issue, "labels", "name");
  e.state = r.optional_string(issue, "state");
  const auto sender = r.optional_object(root, "sender");
  e.actor = r.optional_string(sender, "login");
  e.actor_is_bot = r.optional_string(sender, "type") == "Bot";
  if (comment) {
    const auto c = r.object(root, "comment");
    e.comment_id = r.id(c, "id");
    e.comment_body = r.nullable_string(c, "body").value_or("");
  }
  if (r.failed()) return r.failure();
  return tickets::hook{std::move(e)};
}

}  // namespace integrations::github
