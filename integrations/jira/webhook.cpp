#include "integrations/jira/webhook.hpp"

#include "integrations/tickets/payload.hpp"

#include <boost/json/serialize.hpp>

namespace integrations::jira {

webhook_verifier::webhook_verifier(std::string_view secret) : signature_(secret, "X-Hub-Signature") {}

result<void> webhook_verifier::verify(std::string_view signature_header, std::string_view body) const {
  return signature_.verify(signature_header, body);
}

std::string webhook_verifier::sign(std::string_view body) const { return signature_.sign(body); }

namespace {

using tickets::payload::node;
using tickets::payload::reader;

// Cloud identifies people by accountId only; Data Center by name (and key).
std::string person(reader& r, const node& user) {
  auto id = r.optional_string(user, "accountId");
  return id.empty() ? r.optional_string(user, "name") : id;
}

// issue.self is "<site>/rest/api/2/issue/<id>"; the page people open is "<site>/browse/<key>".
// The site may sit under a context path (Data Center's "http://host/jira"), which this keeps.
std::string browse_url(std::string_view self, std::string_view key) {
  const auto at = self.find("/rest/api/");
  if (at == std::string_view::npos || key.empty()) return {};
  return std::string(self.substr(0, at)) + "/browse/" + std::string(key);
}

// A comment body is a wiki-markup string in webhooks; should one ever arrive as an ADF document,
// its JSON text is kept rather than refusing the event.
std::string comment_text(reader& r, const node& comment) {
  const auto* v = r.find(comment, "body");
  if (v != nullptr && v->is_object()) return boost::json::serialize(*v);
  return r.optional_string(comment, "body");
}

}  // namespace

result<tickets::hook> parse_webhook(std::string_view body) {
  auto doc = tickets::payload::parse_object(body);
  if (!doc) return doc.error();
  reader r;
  const auto root = r.root(*doc);
  const auto event = r.string(root, "webhookEvent");
  if (r.failed()) return r.failure();

  tickets::ticket_event e;
  if (event == "jira:issue_created") {
    e.action = "opened";
  } else if (event == "jira:issue_updated") {
    e.action = "updated";
  } else if (event == "comment_created") {
    e.action = "commented";
  } else {
    return tickets::hook{tickets::ignored{"Jira event " + tickets::payload::quote(event) + " is not handled"}};
  }
  const bool comment_event = e.action == "commented";

  const auto issue = r.object(root, "issue");
  const auto fields = r.object(issue, "fields");
  e.where.system = tickets::tracker::jira;
  e.where.number = r.string(issue, "key");
  e.where.project_id = r.id(issue, "id");
  e.where.url = browse_url(r.optional_string(issue, "self"), e.where.number);
  e.where.project = r.string(r.object(fields, "project"), "key");
  e.issue_type = r.optional_string(r.optional_object(fields, "issuetype"), "name");
  e.status = r.optional_string(r.optional_object(fields, "status"), "name");
  e.resolution = r.optional_string(r.optional_object(fields, "resolution"), "name");

  if (comment_event) {
    // comment_created carries only id, key, summary, type, project, status, priority and
    // assignee of the issue: the worker fetches the rest.
    e.partial = true;
    e.title = r.optional_string(fields, "summary");
    const auto comment = r.object(root, "comment");
    e.comment_id = r.id(comment, "id");
    e.comment_body = comment_text(r, comment);
    e.actor = person(r, r.optional_object(comment, "author"));
  } else {
    e.title = r.string(fields, "summary");
    // null is an empty description, present; absent (a field filter) or an ADF object leaves it
    // to the worker's fetch.
    if (const auto* d = r.find(fields, "description"); d != nullptr && !d->is_object())
      e.body = r.nullable_string(fields, "description");
    e.labels = r.strings(fields, "labels");
    for (const auto& a : r.objects(fields, "attachment")) {
      tickets::attachment item;
      item.id = r.id(a, "id");
      item.filename = r.string(a, "filename");
      item.mime_type = r.optional_string(a, "mimeType");
      item.size = r.optional_count(a, "size");
      item.url = r.string(a, "content");
      e.attachments.push_back(std::move(item));
    }
    e.actor = person(r, r.optional_object(root, "user"));
    // Data Center reports a comment added on its own as jira:issue_updated with the comment
    // beside the issue (issue_event_type_name "issue_commented").
    if (const auto comment = r.optional_object(root, "comment")) {
      e.comment_id = r.optional_id(comment, "id");
      e.comment_body = comment_text(r, comment);
    }
  }
  if (r.failed()) return r.failure();
  return result<tickets::hook>(boost::system::in_place_value, std::move(e));
}

}  // namespace integrations::jira
