#include "integrations/gitlab/webhook.hpp"

#include "integrations/http/crypto.hpp"
#include "integrations/tickets/payload.hpp"

namespace integrations::gitlab {

token_checker::token_checker(std::string_view token) : token_(token) {}

result<void> token_checker::verify(std::string_view presented) const {
  if (presented.empty()) return error{"missing X-Gitlab-Token header"};
  if (!crypto::tokens_equal(presented, token_)) return error{"X-Gitlab-Token does not match"};
  return {};
}

namespace {

using tickets::payload::node;
using tickets::payload::quote;
using tickets::payload::reader;

tickets::hook ignore(std::string reason) { return tickets::hook{tickets::ignored{std::move(reason)}}; }

// The project's path and id: every GitLab API call about the issue names the project by id.
void read_project(reader& r, const node& root, tickets::ticket& where) {
  where.system = tickets::tracker::gitlab;
  const auto project = r.object(root, "project");
  where.project_id = r.id(project, "id");
  where.project = r.string(project, "path_with_namespace");
}

result<tickets::hook> parse_issue(const boost::json::value& doc) {
  reader r;
  const auto root = r.root(doc);
  const auto kind = r.string(root, "object_kind");
  if (r.failed()) return r.failure();
  // Since 17.2 tasks, incidents, epics... arrive on the same hook as object_kind "work_item";
  // only issues (and Service Desk issues) are procurement tickets.
  if (kind != "issue") return ignore("GitLab Issue Hook for a " + quote(kind));
  if (r.optional_string(root, "event_type") == "confidential_issue")
    return ignore("GitLab confidential issue");

  const auto attrs = r.object(root, "object_attributes");
  if (r.flag(attrs, "confidential")) return ignore("GitLab confidential issue");
  const auto action = r.string(attrs, "action");
  if (r.failed()) return r.failure();

  tickets::ticket_event e;
  if (action == "open") {
    e.action = "opened";
  } else if (action == "close") {
    e.action = "closed";
  } else if (action == "reopen") {
    e.action = "reopened";
  } else if (action == "update") {
    const auto changes = r.optional_object(root, "changes");
    e.action = r.find(changes, "labels") != nullptr ? "labeled" : "edited";
  } else {
    return ignore("GitLab issue action " + quote(action) + " is not handled");
  }

  read_project(r, root, e.where);
  e.where.number = r.id(attrs, "iid");
  e.where.url = r.optional_string(attrs, "url");
  e.title = r.string(attrs, "title");
  e.body = r.nullable_string(attrs, "description");
  e.state = r.optional_string(attrs, "state");
  // The top-level labels are the issue's labels after the change; object_attributes.labels holds
  // the same on current GitLab, and is the only list on some older versions.
  e.labels = r.find(root, "labels") != nullptr ? r.names(root, "labels", "title")
                                               : r.names(attrs, "labels", "title");
  e.actor = r.optional_string(r.optional_object(root, "user"), "username");
  if (r.failed()) return r.failure();
  return result<tickets::hook>(boost::system::in_place_value, std::move(e));
}

result<tickets::hook> parse_note(const boost::json::value& doc) {
  reader r;
  const auto root = r.root(doc);
  const auto kind = r.string(root, "object_kind");
  if (r.failed()) return r.failure();
  if (kind != "note") return ignore("GitLab Note Hook for a " + quote(kind));
  if (r.optional_string(root, "event_type") == "confidential_note")
    return ignore("GitLab confidential note");

  const auto attrs = r.object(root, "object_attributes");
  const auto noteable = r.string(attrs, "noteable_type");
  if (r.failed()) return r.failure();
  if (noteable != "Issue") return ignore("GitLab note on a " + quote(noteable));
  if (r.flag(attrs, "confidential") || r.flag(attrs, "internal"))
    return ignore("GitLab confidential note");

  const auto issue = r.object(root, "issue");
  if (r.flag(issue, "confidential")) return ignore("GitLab note on a confidential issue");

  tickets::ticket_event e;
  e.action = "commented";
  read_project(r, root, e.where);
  e.where.number = r.id(issue, "iid");
  // The issue part carries no address of its own; the note's is the issue's plus "#note_<id>".
  const auto note_url = r.optional_string(attrs, "url");
  e.where.url = note_url.substr(0, note_url.find('#'));
  e.title = r.string(issue, "title");
  e.body = r.nullable_string(issue, "description");
  e.state = r.optional_string(issue, "state");
  e.labels = r.names(issue, "labels", "title");
  e.actor = r.optional_string(r.optional_object(root, "user"), "username");
  e.comment_id = r.id(attrs, "id");
  e.comment_body = r.optional_string(attrs, "note");
  if (r.failed()) return r.failure();
  return result<tickets::hook>(boost::system::in_place_value, std::move(e));
}

}  // namespace

result<tickets::hook> parse_webhook(std::string_view event, std::string_view body) {
  const bool issue = event == "Issue Hook";
  if (!issue && event != "Note Hook") return ignore("GitLab event " + quote(event) + " is not handled");
  auto doc = tickets::payload::parse_object(body);
  if (!doc) return doc.error();
  return issue ? parse_issue(*doc) : parse_note(*doc);
}

}  // namespace integrations::gitlab
