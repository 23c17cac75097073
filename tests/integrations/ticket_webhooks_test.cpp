// Ticket webhooks: the sha256=<hex> signatures of GitHub and Jira (GitHub's official vector), the
// GitLab token, every payload fixture under tests/fixtures/tickets read into the expected fields,
// the events that are ignored, malformed bodies (errors naming the field), hostile strings kept
// as given, and the ticket's key and JSON round trip.

#include "integrations/github/webhook.hpp"
#include "integrations/gitlab/webhook.hpp"
#include "integrations/jira/webhook.hpp"
#include "integrations/tickets/event.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

namespace json = boost::json;
namespace tickets = integrations::tickets;
using integrations::result;

std::string fixture(std::string_view name) {
  const std::string path = std::string(PLAYBOOK_FIXTURES) + "/tickets/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fixture changed by edit, as JSON text: for variants of the real payloads.
std::string edited(std::string_view name, const std::function<void(json::object&)>& edit) {
  auto doc = json::parse(fixture(name));
  edit(doc.as_object());
  return json::serialize(doc);
}

json::object& at(json::object& o, std::string_view key) { return o.at(key).as_object(); }

tickets::ticket_event event_of(const result<tickets::hook>& h) {
  EXPECT_TRUE(h.has_value()) << (h.has_value() ? "" : h.error().message);
  if (!h.has_value()) return {};
  EXPECT_TRUE(std::holds_alternative<tickets::ticket_event>(*h));
  if (!std::holds_alternative<tickets::ticket_event>(*h)) return {};
  return std::get<tickets::ticket_event>(*h);
}

std::string ignored_reason(const result<tickets::hook>& h) {
  EXPECT_TRUE(h.has_value()) << (h.has_value() ? "" : h.error().message);
  if (!h.has_value()) return {};
  EXPECT_TRUE(std::holds_alternative<tickets::ignored>(*h));
  if (!std::holds_alternative<tickets::ignored>(*h)) return {};
  return std::get<tickets::ignored>(*h).reason;
}

std::string error_of(const result<tickets::hook>& h) {
  EXPECT_FALSE(h.has_value());
  return h.has_value() ? std::string() : h.error().message;
}

// ---------------------------------------------------------------------------------------------
// Signatures

// GitHub's documented test vector ("Validating webhook deliveries").
constexpr std::string_view github_secret = "It's a Secret to Everybody";
constexpr std::string_view github_payload = "Hello, World!";
constexpr std::string_view github_signature =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

TEST(ticket_webhooks, github_official_vector_verifies) {
  const integrations::github::webhook_verifier v(github_secret);
  EXPECT_TRUE(v.verify(github_signature, github_payload).has_value());
  EXPECT_EQ(v.sign(github_payload), github_signature);
}

TEST(ticket_webhooks, jira_uses_the_same_scheme_in_x_hub_signature) {
  const integrations::jira::webhook_verifier v(github_secret);
  EXPECT_TRUE(v.verify(github_signature, github_payload).has_value());
  EXPECT_EQ(v.sign(github_payload), github_signature);
  const auto missing = v.verify("", github_payload);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "missing X-Hub-Signature header");
}

TEST(ticket_webhooks, uppercase_hex_is_the_same_signature) {
  const integrations::github::webhook_verifier v(github_secret);
  std::string upper(github_signature);
  for (std::size_t i = 7; i < upper.size(); ++i)
    if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = static_cast<char>(upper[i] - 'a' + 'A');
  EXPECT_TRUE(v.verify(upper, github_payload).has_value());
}

TEST(ticket_webhooks, missing_signature_is_named) {
  const integrations::github::webhook_verifier v(github_secret);
  const auto r = v.verify("", github_payload);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "missing X-Hub-Signature-256 header");
}

TEST(ticket_webhooks, malformed_signatures_are_refused_as_malformed) {
  const integrations::github::webhook_verifier v(github_secret);
  const std::string hex(github_signature.substr(7));
  for (const std::string& bad : std::vector<std::string>{
           "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",  // no prefix
           "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
           "SHA256=" + hex,
           "sha256=" + hex.substr(0, 63),
           "sha256=" + hex + "0",
           "sha256=" + hex + "\n",
           " sha256=" + hex,
           "sha256=" + hex.substr(0, 63) + "g",
           "sha256=" + hex.substr(0, 62) + std::string("\0\0", 2),
           std::string("sha256="),
       }) {
    const auto r = v.verify(bad, github_payload);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message, "signature is not sha256=<hex>") << bad;
  }
}

TEST(ticket_webhooks, wrong_secret_or_changed_body_does_not_match) {
  const integrations::github::webhook_verifier wrong_secret("It's a secret to everybody");
  const integrations::github::webhook_verifier right(github_secret);
  for (const auto& r : {wrong_secret.verify(github_signature, github_payload),
                        right.verify(github_signature, "Hello, World! "),
                        right.verify(github_signature, "Hello, World"),
                        right.verify(github_signature, "")}) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message, "signature does not match");
    // The answer never reveals the expected signature.
    EXPECT_EQ(r.error().message.find(github_signature.substr(7, 16)), std::string::npos);
  }
}

TEST(ticket_webhooks, signature_covers_the_raw_bytes_of_a_fixture) {
  const integrations::github::webhook_verifier v("webhook secret");
  const auto body = fixture("github/issues.opened.json");
  EXPECT_TRUE(v.verify(v.sign(body), body).has_value());
  // Re-serialised JSON is the same document but not the same bytes: it must not verify.
  const auto reserialized = json::serialize(json::parse(body));
  ASSERT_NE(reserialized, body);
  EXPECT_FALSE(v.verify(v.sign(body), reserialized).has_value());
}

TEST(ticket_webhooks, gitlab_token_right_wrong_missing) {
  const integrations::gitlab::token_checker t("glwt-s3cret-token");
  EXPECT_TRUE(t.verify("glwt-s3cret-token").has_value());
  for (const std::string& wrong : std::vector<std::string>{"glwt-s3cret-toke", "glwt-s3cret-token ",
                                                          "GLWT-S3CRET-TOKEN", "x",
                                                          std::string("glwt-s3cret-token\0", 18)}) {
    const auto r = t.verify(wrong);
    ASSERT_FALSE(r.has_value()) << wrong;
    EXPECT_EQ(r.error().message, "X-Gitlab-Token does not match");
  }
  const auto missing = t.verify("");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "missing X-Gitlab-Token header");
}

// ---------------------------------------------------------------------------------------------
// GitHub payloads

TEST(ticket_webhooks, github_issue_opened) {
  const auto e = event_of(integrations::github::parse_webhook("issues", fixture("github/issues.opened.json")));
  EXPECT_EQ(e.where.system, tickets::tracker::github);
  EXPECT_EQ(e.where.project, "acme-corp/procurement");
  EXPECT_EQ(e.where.project_id, "");
  EXPECT_EQ(e.where.number, "42");
  EXPECT_EQ(e.where.url, "https://github.com/acme-corp/procurement/issues/42");
  EXPECT_EQ(e.where.key(), "acme-corp/procurement#42");
  EXPECT_EQ(e.delivery, "");
  EXPECT_EQ(e.action, "opened");
  EXPECT_EQ(e.title, "Northwind Skills Collective: GenAI Developer Bootcamp (25 seats, 8 weeks)");
  ASSERT_TRUE(e.body.has_value());
  EXPECT_NE(e.body->find("Northwind Skills Collective"), std::string::npos);
  EXPECT_NE(e.body->find("| 1 | Python Fundamentals I |"), std::string::npos);
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training"}));
  EXPECT_EQ(e.state, "open");
  EXPECT_EQ(e.actor, "marta-procurement");
  EXPECT_FALSE(e.actor_is_bot);
  EXPECT_EQ(e.comment_id, "");
  EXPECT_TRUE(e.attachments.empty());
  EXPECT_FALSE(e.partial);
  EXPECT_EQ(e.issue_type, "");
  EXPECT_EQ(e.status, "");
}

TEST(ticket_webhooks, github_issue_edited_with_null_body_has_an_empty_body) {
  const auto e = event_of(integrations::github::parse_webhook("issues", fixture("github/issues.edited.json")));
  EXPECT_EQ(e.action, "edited");
  ASSERT_TRUE(e.body.has_value());
  EXPECT_EQ(*e.body, "");
  EXPECT_EQ(e.where.key(), "acme-corp/procurement#42");
}

TEST(ticket_webhooks, github_issue_labeled_and_unlabeled) {
  const auto e = event_of(integrations::github::parse_webhook("issues", fixture("github/issues.labeled.json")));
  EXPECT_EQ(e.action, "labeled");
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training"}));
  EXPECT_EQ(e.actor, "ines-ops");
  const auto un = event_of(integrations::github::parse_webhook(
      "issues", edited("github/issues.labeled.json", [](json::object& o) {
        o["action"] = "unlabeled";
        at(o, "issue")["labels"] = json::array{};
      })));
  EXPECT_EQ(un.action, "unlabeled");
  EXPECT_TRUE(un.labels.empty());
}

TEST(ticket_webhooks, github_issue_closed_carries_state_and_decision_label) {
  const auto e = event_of(integrations::github::parse_webhook("issues", fixture("github/issues.closed.json")));
  EXPECT_EQ(e.action, "closed");
  EXPECT_EQ(e.state, "closed");
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training", "decision:approved"}));
  const auto re = event_of(integrations::github::parse_webhook(
      "issues", edited("github/issues.closed.json", [](json::object& o) { o["action"] = "reopened"; })));
  EXPECT_EQ(re.action, "reopened");
}

TEST(ticket_webhooks, github_issue_comment_is_commented_with_the_full_issue) {
  const auto e =
      event_of(integrations::github::parse_webhook("issue_comment", fixture("github/issue_comment.created.json")));
  EXPECT_EQ(e.action, "commented");
  EXPECT_FALSE(e.partial);
  EXPECT_EQ(e.comment_id, "2634117702");
  EXPECT_EQ(e.comment_body.rfind("Asked Northwind whether weeks 1-4", 0), 0u);
  EXPECT_EQ(e.actor, "ines-ops");
  ASSERT_TRUE(e.body.has_value());
  EXPECT_FALSE(e.body->empty());
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training"}));
  EXPECT_EQ(e.where.key(), "acme-corp/procurement#42");

  const auto edited_comment = event_of(integrations::github::parse_webhook(
      "issue_comment", edited("github/issue_comment.created.json", [](json::object& o) {
        o["action"] = "edited";
        at(o, "comment")["body"] = nullptr;
      })));
  EXPECT_EQ(edited_comment.action, "commented");
  EXPECT_EQ(edited_comment.comment_body, "");
}

TEST(ticket_webhooks, github_bot_sender_is_flagged) {
  const auto e = event_of(integrations::github::parse_webhook(
      "issue_comment", edited("github/issue_comment.created.json", [](json::object& o) {
        at(o, "sender")["login"] = "playbook-bot[bot]";
        at(o, "sender")["type"] = "Bot";
      })));
  EXPECT_EQ(e.actor, "playbook-bot[bot]");
  EXPECT_TRUE(e.actor_is_bot);
}

TEST(ticket_webhooks, github_ping) {
  const auto h = integrations::github::parse_webhook("ping", fixture("github/ping.json"));
  ASSERT_TRUE(h.has_value());
  EXPECT_TRUE(std::holds_alternative<tickets::ping>(*h));
}

TEST(ticket_webhooks, github_events_we_do_not_handle_are_ignored) {
  EXPECT_NE(ignored_reason(integrations::github::parse_webhook("push", "{}")).find("\"push\""), std::string::npos);
  EXPECT_FALSE(ignored_reason(integrations::github::parse_webhook("pull_request", "not even json")).empty());
  EXPECT_FALSE(ignored_reason(integrations::github::parse_webhook("", "{}")).empty());
  for (const std::string_view action : {"assigned", "deleted", "transferred", "pinned", "milestoned", "typed"}) {
    const auto reason = ignored_reason(integrations::github::parse_webhook(
        "issues", edited("github/issues.opened.json", [&](json::object& o) { o["action"] = action; })));
    EXPECT_NE(reason.find(std::string(action)), std::string::npos) << reason;
  }
  EXPECT_FALSE(ignored_reason(integrations::github::parse_webhook(
                                  "issue_comment", edited("github/issue_comment.created.json",
                                                          [](json::object& o) { o["action"] = "deleted"; })))
                   .empty());
  // A comment on a pull request arrives as issue_comment too.
  const auto pr = ignored_reason(integrations::github::parse_webhook(
      "issue_comment", edited("github/issue_comment.created.json", [](json::object& o) {
        at(o, "issue")["pull_request"] = json::object{{"url", "https://api.github.com/repos/acme-corp/procurement/pulls/43"}};
      })));
  EXPECT_NE(pr.find("pull request"), std::string::npos);
}

TEST(ticket_webhooks, github_missing_or_mistyped_fields_are_named) {
  const auto error_for = [](const std::function<void(json::object&)>& edit) {
    return error_of(integrations::github::parse_webhook("issues", edited("github/issues.opened.json", edit)));
  };
  EXPECT_EQ(error_for([](json::object& o) { o.erase("action"); }), "missing field action");
  EXPECT_EQ(error_for([](json::object& o) { o["action"] = 3; }), "field action is not a string");
  EXPECT_EQ(error_for([](json::object& o) { o.erase("issue"); }), "missing field issue");
  EXPECT_EQ(error_for([](json::object& o) { o["issue"] = "42"; }), "field issue is not an object");
  EXPECT_EQ(error_for([](json::object& o) { at(o, "issue").erase("title"); }), "missing field issue.title");
  EXPECT_EQ(error_for([](json::object& o) { at(o, "issue")["title"] = 42; }), "field issue.title is not a string");
  EXPECT_EQ(error_for([](json::object& o) { at(o, "issue")["title"] = nullptr; }),
            "field issue.title is not a string");
  EXPECT_EQ(error_for([](json::object& o) { at(o, "issue").erase("number"); }), "missing field issue.number");
  EXPECT_NE(error_for([](json::object& o) { at(o, "issue")["number"] = 4.2; }).find("issue.number"), std::string::npos);
  EXPECT_NE(error_for([](json::object& o) { at(o, "issue")["number"] = ""; }).find("issue.number"), std::string::npos);
  EXPECT_EQ(error_for([](json::object& o) { at(o, "issue")["body"] = 7; }), "field issue.body is not a string");
  EXPECT_EQ(error_for([](json::object& o) { at(o, "issue")["labels"] = "ai-training"; }),
            "field issue.labels is not an array");
  EXPECT_EQ(error_for([](json::object& o) { at(o, "issue")["labels"].as_array()[1].as_object().erase("name"); }),
            "missing field issue.labels[1].name");
  EXPECT_EQ(error_for([](json::object& o) { at(o, "issue")["labels"].as_array()[0] = "x"; }),
            "field issue.labels[0] is not an object");
  EXPECT_EQ(error_for([](json::object& o) { o.erase("repository"); }), "missing field repository");
  EXPECT_EQ(error_for([](json::object& o) { at(o, "repository").erase("full_name"); }),
            "missing field repository.full_name");
  EXPECT_EQ(error_of(integrations::github::parse_webhook(
                "issue_comment", edited("github/issue_comment.created.json",
                                        [](json::object& o) { at(o, "comment").erase("id"); }))),
            "missing field comment.id");
  // Absent optional parts are fine: no sender, no html_url, no state, no labels.
  const auto e = event_of(integrations::github::parse_webhook(
      "issues", edited("github/issues.opened.json", [](json::object& o) {
        o.erase("sender");
        at(o, "issue").erase("html_url");
        at(o, "issue").erase("state");
        at(o, "issue").erase("labels");
        at(o, "issue").erase("body");
      })));
  EXPECT_EQ(e.actor, "");
  EXPECT_EQ(e.where.url, "");
  EXPECT_TRUE(e.labels.empty());
  EXPECT_FALSE(e.body.has_value());  // not in the payload: the worker fetches it
}

TEST(ticket_webhooks, github_issue_number_as_string_or_large_integer) {
  const auto s = event_of(integrations::github::parse_webhook(
      "issues", edited("github/issues.opened.json", [](json::object& o) { at(o, "issue")["number"] = "42"; })));
  EXPECT_EQ(s.where.number, "42");
  const auto big = event_of(integrations::github::parse_webhook(
      "issue_comment", edited("github/issue_comment.created.json",
                              [](json::object& o) { at(o, "comment")["id"] = std::uint64_t{18446744073709551615u}; })));
  EXPECT_EQ(big.comment_id, "18446744073709551615");
}

// ---------------------------------------------------------------------------------------------
// GitLab payloads

TEST(ticket_webhooks, gitlab_issue_open) {
  const auto e = event_of(integrations::gitlab::parse_webhook("Issue Hook", fixture("gitlab/issue.open.json")));
  EXPECT_EQ(e.where.system, tickets::tracker::gitlab);
  EXPECT_EQ(e.where.project, "acme/procurement/requests");
  EXPECT_EQ(e.where.project_id, "4711");
  EXPECT_EQ(e.where.number, "7");
  EXPECT_EQ(e.where.url, "https://gitlab.acme.example/acme/procurement/requests/-/issues/7");
  EXPECT_EQ(e.where.key(), "acme/procurement/requests#7");
  EXPECT_EQ(e.action, "opened");
  EXPECT_EQ(e.title, "Meridian Labs: RAG Engineering Bootcamp for the search team");
  ASSERT_TRUE(e.body.has_value());
  EXPECT_EQ(e.body->rfind("We would like to buy the Meridian RAG bootcamp", 0), 0u);
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training"}));
  EXPECT_EQ(e.state, "opened");
  EXPECT_EQ(e.actor, "jweber");
  EXPECT_FALSE(e.partial);
}

TEST(ticket_webhooks, gitlab_issue_update_with_label_change_is_labeled) {
  const auto e =
      event_of(integrations::gitlab::parse_webhook("Issue Hook", fixture("gitlab/issue.update.labels.json")));
  EXPECT_EQ(e.action, "labeled");
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training"}));
  EXPECT_EQ(e.actor, "praman");
  const auto plain = event_of(integrations::gitlab::parse_webhook(
      "Issue Hook", edited("gitlab/issue.update.labels.json", [](json::object& o) {
        at(o, "changes").erase("labels");
        at(o, "object_attributes")["description"] = nullptr;
      })));
  EXPECT_EQ(plain.action, "edited");
  ASSERT_TRUE(plain.body.has_value());
  EXPECT_EQ(*plain.body, "");
}

TEST(ticket_webhooks, gitlab_issue_close_and_reopen) {
  const auto e = event_of(integrations::gitlab::parse_webhook("Issue Hook", fixture("gitlab/issue.close.json")));
  EXPECT_EQ(e.action, "closed");
  EXPECT_EQ(e.state, "closed");
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training", "decision:rejected"}));
  const auto re = event_of(integrations::gitlab::parse_webhook(
      "Issue Hook", edited("gitlab/issue.close.json", [](json::object& o) {
        at(o, "object_attributes")["action"] = "reopen";
        at(o, "object_attributes")["state"] = "opened";
      })));
  EXPECT_EQ(re.action, "reopened");
  EXPECT_EQ(re.state, "opened");
}

TEST(ticket_webhooks, gitlab_labels_fall_back_to_object_attributes) {
  const auto e = event_of(integrations::gitlab::parse_webhook(
      "Issue Hook", edited("gitlab/issue.open.json", [](json::object& o) { o.erase("labels"); })));
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training"}));
}

TEST(ticket_webhooks, gitlab_note_on_issue_is_commented) {
  const auto e = event_of(integrations::gitlab::parse_webhook("Note Hook", fixture("gitlab/note.issue.json")));
  EXPECT_EQ(e.action, "commented");
  EXPECT_FALSE(e.partial);
  EXPECT_EQ(e.where.project_id, "4711");
  EXPECT_EQ(e.where.number, "7");
  EXPECT_EQ(e.where.url, "https://gitlab.acme.example/acme/procurement/requests/-/issues/7");
  EXPECT_EQ(e.where.key(), "acme/procurement/requests#7");
  EXPECT_EQ(e.title, "Meridian Labs: RAG Engineering Bootcamp for the search team");
  ASSERT_TRUE(e.body.has_value());
  EXPECT_FALSE(e.body->empty());
  EXPECT_EQ(e.labels, (std::vector<std::string>{"procurement", "ai-training"}));
  EXPECT_EQ(e.comment_id, "1873302");
  EXPECT_EQ(e.comment_body.rfind("The vendor says the capstone", 0), 0u);
  EXPECT_EQ(e.actor, "praman");
}

TEST(ticket_webhooks, gitlab_events_we_do_not_handle_are_ignored) {
  EXPECT_NE(ignored_reason(integrations::gitlab::parse_webhook("Note Hook", fixture("gitlab/note.merge_request.json")))
                .find("MergeRequest"),
            std::string::npos);
  for (const std::string_view event : {"Merge Request Hook", "Push Hook", "Confidential Issue Hook",
                                       "Confidential Note Hook", "Work Item Hook", "issue hook", ""})
    EXPECT_FALSE(ignored_reason(integrations::gitlab::parse_webhook(event, fixture("gitlab/issue.open.json"))).empty())
        << event;
  const auto ignored_issue = [](const std::function<void(json::object&)>& edit) {
    return ignored_reason(integrations::gitlab::parse_webhook("Issue Hook", edited("gitlab/issue.open.json", edit)));
  };
  EXPECT_NE(ignored_issue([](json::object& o) { o["object_kind"] = "work_item"; }).find("work_item"), std::string::npos);
  EXPECT_NE(ignored_issue([](json::object& o) { at(o, "object_attributes")["confidential"] = true; }).find("confidential"),
            std::string::npos);
  EXPECT_NE(ignored_issue([](json::object& o) { o["event_type"] = "confidential_issue"; }).find("confidential"),
            std::string::npos);
  EXPECT_NE(ignored_issue([](json::object& o) { at(o, "object_attributes")["action"] = "delete"; }).find("delete"),
            std::string::npos);
  const auto ignored_note = [](const std::function<void(json::object&)>& edit) {
    return ignored_reason(integrations::gitlab::parse_webhook("Note Hook", edited("gitlab/note.issue.json", edit)));
  };
  EXPECT_NE(ignored_note([](json::object& o) { o["event_type"] = "confidential_note"; }).find("confidential"),
            std::string::npos);
  EXPECT_NE(ignored_note([](json::object& o) { at(o, "issue")["confidential"] = true; }).find("confidential"),
            std::string::npos);
  EXPECT_NE(ignored_note([](json::object& o) { at(o, "object_attributes")["internal"] = true; }).find("confidential"),
            std::string::npos);
  EXPECT_NE(ignored_note([](json::object& o) { at(o, "object_attributes")["noteable_type"] = "Snippet"; })
                .find("Snippet"),
            std::string::npos);
}

TEST(ticket_webhooks, gitlab_missing_or_mistyped_fields_are_named) {
  const auto issue_error = [](const std::function<void(json::object&)>& edit) {
    return error_of(integrations::gitlab::parse_webhook("Issue Hook", edited("gitlab/issue.open.json", edit)));
  };
  EXPECT_EQ(issue_error([](json::object& o) { o.erase("object_kind"); }), "missing field object_kind");
  EXPECT_EQ(issue_error([](json::object& o) { o.erase("object_attributes"); }), "missing field object_attributes");
  EXPECT_EQ(issue_error([](json::object& o) { at(o, "object_attributes").erase("action"); }),
            "missing field object_attributes.action");
  EXPECT_EQ(issue_error([](json::object& o) { at(o, "object_attributes").erase("iid"); }),
            "missing field object_attributes.iid");
  EXPECT_EQ(issue_error([](json::object& o) { at(o, "object_attributes")["title"] = json::array{}; }),
            "field object_attributes.title is not a string");
  EXPECT_EQ(issue_error([](json::object& o) { at(o, "project").erase("path_with_namespace"); }),
            "missing field project.path_with_namespace");
  EXPECT_EQ(issue_error([](json::object& o) { at(o, "project").erase("id"); }), "missing field project.id");
  EXPECT_EQ(issue_error([](json::object& o) { o["labels"].as_array()[0].as_object()["title"] = 5; }),
            "field labels[0].title is not a string");
  EXPECT_EQ(issue_error([](json::object& o) { at(o, "object_attributes")["confidential"] = "no"; }),
            "field object_attributes.confidential is not a boolean");
  const auto note_error = [](const std::function<void(json::object&)>& edit) {
    return error_of(integrations::gitlab::parse_webhook("Note Hook", edited("gitlab/note.issue.json", edit)));
  };
  EXPECT_EQ(note_error([](json::object& o) { o.erase("issue"); }), "missing field issue");
  EXPECT_EQ(note_error([](json::object& o) { at(o, "issue").erase("iid"); }), "missing field issue.iid");
  EXPECT_EQ(note_error([](json::object& o) { at(o, "object_attributes").erase("noteable_type"); }),
            "missing field object_attributes.noteable_type");
  EXPECT_EQ(note_error([](json::object& o) { at(o, "object_attributes").erase("id"); }),
            "missing field object_attributes.id");
}

// ---------------------------------------------------------------------------------------------
// Jira payloads

TEST(ticket_webhooks, jira_issue_created_with_attachment) {
  const auto e = event_of(integrations::jira::parse_webhook(fixture("jira/issue_created.json")));
  EXPECT_EQ(e.where.system, tickets::tracker::jira);
  EXPECT_EQ(e.where.project, "PROC");
  EXPECT_EQ(e.where.project_id, "10482");
  EXPECT_EQ(e.where.number, "PROC-12");
  EXPECT_EQ(e.where.url, "https://acme-procurement.atlassian.net/browse/PROC-12");
  EXPECT_EQ(e.where.key(), "PROC-12");
  EXPECT_EQ(e.action, "opened");
  EXPECT_EQ(e.title, "Ironbark Academy: LLMOps Bootcamp for the platform team");
  ASSERT_TRUE(e.body.has_value());
  EXPECT_EQ(e.body->rfind("h2. Request", 0), 0u);
  EXPECT_EQ(e.labels, (std::vector<std::string>{"ai-training"}));
  EXPECT_EQ(e.issue_type, "Purchase Request");
  EXPECT_EQ(e.status, "Vendor Review");
  EXPECT_EQ(e.resolution, "");
  EXPECT_EQ(e.state, "");
  EXPECT_EQ(e.actor, "712020:3f6b2c1e-8d4a-4e57-9b0c-6a2e1d7f5c34");
  EXPECT_FALSE(e.partial);
  ASSERT_EQ(e.attachments.size(), 1u);
  EXPECT_EQ(e.attachments[0].id, "10731");
  EXPECT_EQ(e.attachments[0].filename, "ironbark-llmops-proposal.pdf");
  EXPECT_EQ(e.attachments[0].mime_type, "application/pdf");
  EXPECT_EQ(e.attachments[0].size, 48213u);
  EXPECT_EQ(e.attachments[0].url, "https://acme-procurement.atlassian.net/rest/api/2/attachment/content/10731");
}

TEST(ticket_webhooks, jira_issue_updated_to_approved) {
  const auto e = event_of(integrations::jira::parse_webhook(fixture("jira/issue_updated.approved.json")));
  EXPECT_EQ(e.action, "updated");
  EXPECT_EQ(e.status, "Approved");
  EXPECT_EQ(e.resolution, "Done");
  EXPECT_EQ(e.actor, "5f8a1c2b3d4e5f6a7b8c9d0e");
  EXPECT_EQ(e.where.key(), "PROC-12");
  EXPECT_EQ(e.attachments.size(), 1u);
  EXPECT_EQ(e.comment_id, "");
}

TEST(ticket_webhooks, jira_comment_created_is_partial) {
  const auto e = event_of(integrations::jira::parse_webhook(fixture("jira/comment_created.json")));
  EXPECT_EQ(e.action, "commented");
  EXPECT_TRUE(e.partial);
  EXPECT_FALSE(e.body.has_value());
  EXPECT_EQ(e.where.project, "PROC");
  EXPECT_EQ(e.where.project_id, "10482");
  EXPECT_EQ(e.where.number, "PROC-12");
  // Cloud's comment events name the issue by "<site>/rest/api/2/<id>": still the same site.
  EXPECT_EQ(e.where.url, "https://acme-procurement.atlassian.net/browse/PROC-12");
  EXPECT_EQ(e.title, "Ironbark Academy: LLMOps Bootcamp for the platform team");
  EXPECT_EQ(e.status, "Vendor Review");
  EXPECT_EQ(e.comment_id, "10219");
  EXPECT_EQ(e.comment_body.rfind("Security questionnaire is back", 0), 0u);
  EXPECT_EQ(e.actor, "5f8a1c2b3d4e5f6a7b8c9d0e");
  EXPECT_TRUE(e.labels.empty());
  EXPECT_TRUE(e.attachments.empty());
}

TEST(ticket_webhooks, jira_data_center_people_by_name_and_context_path) {
  const auto e = event_of(integrations::jira::parse_webhook(edited("jira/issue_created.json", [](json::object& o) {
    o["user"] = json::object{{"name", "akeller"}, {"key", "JIRAUSER10100"}, {"displayName", "Anna Keller"}};
    at(o, "issue")["self"] = "https://jira.acme.example/jira/rest/api/2/issue/10482";
    at(at(o, "issue"), "fields")["description"] = nullptr;
  })));
  EXPECT_EQ(e.actor, "akeller");
  EXPECT_EQ(e.where.url, "https://jira.acme.example/jira/browse/PROC-12");
  ASSERT_TRUE(e.body.has_value());
  EXPECT_EQ(*e.body, "");  // null description: present and empty

  const auto c = event_of(integrations::jira::parse_webhook(edited("jira/comment_created.json", [](json::object& o) {
    at(o, "comment")["author"] = json::object{{"name", "tbrandt"}, {"key", "JIRAUSER10200"}};
  })));
  EXPECT_EQ(c.actor, "tbrandt");

  // Data Center: a comment added on its own arrives as an update with the comment beside the issue.
  const auto u = event_of(integrations::jira::parse_webhook(edited("jira/issue_updated.approved.json", [](json::object& o) {
    o["issue_event_type_name"] = "issue_commented";
    o["comment"] = json::object{{"id", "10300"}, {"body", "LGTM"}};
  })));
  EXPECT_EQ(u.action, "updated");
  EXPECT_EQ(u.comment_id, "10300");
  EXPECT_EQ(u.comment_body, "LGTM");
}

TEST(ticket_webhooks, jira_description_absent_or_adf_is_left_to_the_fetch) {
  const auto absent = event_of(integrations::jira::parse_webhook(edited(
      "jira/issue_created.json", [](json::object& o) { at(at(o, "issue"), "fields").erase("description"); })));
  EXPECT_FALSE(absent.body.has_value());
  const auto adf = event_of(integrations::jira::parse_webhook(edited("jira/issue_created.json", [](json::object& o) {
    at(at(o, "issue"), "fields")["description"] = json::parse(R"({"type":"doc","version":1,"content":[]})");
  })));
  EXPECT_FALSE(adf.body.has_value());
}

TEST(ticket_webhooks, jira_events_we_do_not_handle_are_ignored) {
  for (const std::string_view event : {"comment_updated", "comment_deleted", "jira:issue_deleted",
                                       "attachment_created", "worklog_updated", "issue_property_set", ""}) {
    const auto reason = ignored_reason(integrations::jira::parse_webhook(
        edited("jira/issue_created.json", [&](json::object& o) { o["webhookEvent"] = event; })));
    EXPECT_NE(reason.find("\"" + std::string(event) + "\""), std::string::npos) << reason;
  }
}

TEST(ticket_webhooks, jira_missing_or_mistyped_fields_are_named) {
  const auto error_for = [](std::string_view name, const std::function<void(json::object&)>& edit) {
    return error_of(integrations::jira::parse_webhook(edited(name, edit)));
  };
  const auto fields = [](json::object& o) -> json::object& { return at(at(o, "issue"), "fields"); };
  EXPECT_EQ(error_for("jira/issue_created.json", [](json::object& o) { o.erase("webhookEvent"); }),
            "missing field webhookEvent");
  EXPECT_EQ(error_for("jira/issue_created.json", [](json::object& o) { o.erase("issue"); }), "missing field issue");
  EXPECT_EQ(error_for("jira/issue_created.json", [](json::object& o) { at(o, "issue").erase("key"); }),
            "missing field issue.key");
  EXPECT_EQ(error_for("jira/issue_created.json", [](json::object& o) { at(o, "issue").erase("id"); }),
            "missing field issue.id");
  EXPECT_EQ(error_for("jira/issue_created.json", [&](json::object& o) { fields(o).erase("summary"); }),
            "missing field issue.fields.summary");
  EXPECT_EQ(error_for("jira/issue_created.json", [&](json::object& o) { fields(o).erase("project"); }),
            "missing field issue.fields.project");
  EXPECT_EQ(error_for("jira/issue_created.json", [&](json::object& o) { fields(o)["description"] = 12; }),
            "field issue.fields.description is not a string");
  EXPECT_EQ(error_for("jira/issue_created.json", [&](json::object& o) { fields(o)["labels"] = json::array{"a", 1}; }),
            "field issue.fields.labels[1] is not a string");
  EXPECT_EQ(error_for("jira/issue_created.json",
                      [&](json::object& o) { fields(o)["attachment"].as_array()[0].as_object().erase("content"); }),
            "missing field issue.fields.attachment[0].content");
  EXPECT_EQ(error_for("jira/issue_created.json",
                      [&](json::object& o) { fields(o)["attachment"].as_array()[0].as_object()["size"] = -1; }),
            "field issue.fields.attachment[0].size is not a non-negative integer");
  EXPECT_EQ(error_for("jira/issue_created.json", [&](json::object& o) { fields(o)["status"] = "Open"; }),
            "field issue.fields.status is not an object");
  EXPECT_EQ(error_for("jira/comment_created.json", [](json::object& o) { o.erase("comment"); }),
            "missing field comment");
  EXPECT_EQ(error_for("jira/comment_created.json", [](json::object& o) { at(o, "comment").erase("id"); }),
            "missing field comment.id");
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not JSON objects, and hostile content

TEST(ticket_webhooks, malformed_bodies_are_errors_not_crashes) {
  for (const std::string_view body : {"", "{", "[]", "\"issue\"", "null", "42", "{\"action\":}", "{} {}",
                                      "{\"a\":\"\xff\xfe\"}"}) {
    const auto gh = integrations::github::parse_webhook("issues", body);
    const auto gl = integrations::gitlab::parse_webhook("Issue Hook", body);
    const auto ji = integrations::jira::parse_webhook(body);
    EXPECT_FALSE(gh.has_value()) << body;
    EXPECT_FALSE(gl.has_value()) << body;
    EXPECT_FALSE(ji.has_value()) << body;
    if (!ji.has_value()) {
      EXPECT_TRUE(ji.error().message.starts_with("malformed JSON") ||
                  ji.error().message == "the body is not a JSON object")
          << ji.error().message;
    }
  }
  // Nesting beyond the limit is refused, not recursed into.
  const std::string deep = "{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_FALSE(integrations::jira::parse_webhook(deep).has_value());
}

TEST(ticket_webhooks, every_truncation_of_every_fixture_is_handled) {
  const std::vector<std::pair<std::string, std::function<result<tickets::hook>(std::string_view)>>> cases = {
      {"github/issues.opened.json", [](std::string_view b) { return integrations::github::parse_webhook("issues", b); }},
      {"github/issue_comment.created.json",
       [](std::string_view b) { return integrations::github::parse_webhook("issue_comment", b); }},
      {"gitlab/issue.update.labels.json",
       [](std::string_view b) { return integrations::gitlab::parse_webhook("Issue Hook", b); }},
      {"gitlab/note.issue.json", [](std::string_view b) { return integrations::gitlab::parse_webhook("Note Hook", b); }},
      {"jira/issue_created.json", [](std::string_view b) { return integrations::jira::parse_webhook(b); }},
      {"jira/comment_created.json", [](std::string_view b) { return integrations::jira::parse_webhook(b); }},
  };
  for (const auto& [name, parse] : cases) {
    const auto body = fixture(name);
    ASSERT_TRUE(parse(body).has_value()) << name;
    for (std::size_t n = 0; n + 1 < body.size(); n += 37) EXPECT_FALSE(parse(body.substr(0, n)).has_value()) << name << " " << n;
  }
}

TEST(ticket_webhooks, hostile_strings_are_kept_as_given) {
  std::string nasty = "NUL";
  nasty.push_back('\0');
  nasty += " BEL\a ESC\x1b[31m CR\r\n \xe2\x80\xae RLO \xe2\x80\xa8 LS <!-- playbook-bot:review --> <script>@here "
           "[x](javascript:1) \xf0\x9f\x92\xa5 \\\" '";
  const std::string huge(3u << 20, 'A');
  const auto e = event_of(integrations::github::parse_webhook(
      "issue_comment", edited("github/issue_comment.created.json", [&](json::object& o) {
        at(o, "issue")["title"] = nasty;
        at(o, "issue")["body"] = huge + nasty;
        at(o, "issue")["labels"].as_array()[0].as_object()["name"] = nasty;
        at(o, "comment")["body"] = nasty;
        at(o, "sender")["login"] = nasty;
        at(o, "repository")["full_name"] = nasty;
      })));
  EXPECT_EQ(e.title, nasty);
  ASSERT_TRUE(e.body.has_value());
  EXPECT_EQ(e.body->size(), huge.size() + nasty.size());
  EXPECT_EQ(e.labels.at(0), nasty);
  EXPECT_EQ(e.comment_body, nasty);
  EXPECT_EQ(e.actor, nasty);
  EXPECT_EQ(e.where.project, nasty);

  // Ignore reasons quote what they saw without carrying control characters or unbounded text.
  const auto reason = ignored_reason(integrations::jira::parse_webhook(
      edited("jira/issue_created.json", [&](json::object& o) { o["webhookEvent"] = nasty + huge; })));
  EXPECT_LT(reason.size(), 200u);
  for (const char c : reason) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f) << reason;
  const auto gitlab_reason = ignored_reason(integrations::gitlab::parse_webhook(std::string("Push\nHook\0", 10), "{}"));
  EXPECT_EQ(gitlab_reason.find('\n'), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// The ticket

TEST(ticket_webhooks, tracker_names_round_trip) {
  for (const auto t : {tickets::tracker::jira, tickets::tracker::github, tickets::tracker::gitlab})
    EXPECT_EQ(tickets::tracker_from_name(tickets::name_of(t)), t);
  EXPECT_EQ(tickets::name_of(tickets::tracker::gitlab), "gitlab");
  EXPECT_FALSE(tickets::tracker_from_name("GitHub").has_value());
  EXPECT_FALSE(tickets::tracker_from_name("").has_value());
  EXPECT_FALSE(tickets::tracker_from_name("linear").has_value());
}

TEST(ticket_webhooks, ticket_key_per_tracker) {
  EXPECT_EQ((tickets::ticket{tickets::tracker::jira, "PROC", "10482", "PROC-12", ""}).key(), "PROC-12");
  EXPECT_EQ((tickets::ticket{tickets::tracker::github, "acme-corp/procurement", "", "42", ""}).key(),
            "acme-corp/procurement#42");
  EXPECT_EQ((tickets::ticket{tickets::tracker::gitlab, "acme/procurement/requests", "4711", "7", ""}).key(),
            "acme/procurement/requests#7");
}

TEST(ticket_webhooks, ticket_json_round_trip) {
  for (const auto& h : {integrations::github::parse_webhook("issues", fixture("github/issues.opened.json")),
                        integrations::gitlab::parse_webhook("Issue Hook", fixture("gitlab/issue.open.json")),
                        integrations::jira::parse_webhook(fixture("jira/issue_created.json"))}) {
    const auto e = event_of(h);
    const auto text = tickets::to_json(e.where);
    const auto back = tickets::ticket_from_json(text);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, e.where) << text;
  }
  EXPECT_EQ(tickets::to_json({tickets::tracker::gitlab, "g/p", "42", "7", "https://gitlab.example/g/p/-/issues/7"}),
            R"({"system":"gitlab","project":"g/p","project_id":"42","number":"7","url":"https://gitlab.example/g/p/-/issues/7"})");
  const tickets::ticket odd{tickets::tracker::github, std::string("o\"/r\\\n\0x", 8), "", "1", "\xe2\x80\xae"};
  const auto back = tickets::ticket_from_json(tickets::to_json(odd));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, odd);
}

TEST(ticket_webhooks, ticket_from_json_names_what_is_wrong) {
  const auto message = [](std::string_view text) {
    const auto r = tickets::ticket_from_json(text);
    EXPECT_FALSE(r.has_value()) << text;
    return r.has_value() ? std::string() : r.error().message;
  };
  EXPECT_EQ(message("not json"), "ticket: not a JSON object");
  EXPECT_EQ(message("[]"), "ticket: not a JSON object");
  EXPECT_NE(message(R"({"project":"p","number":"1"})").find("system"), std::string::npos);
  EXPECT_NE(message(R"({"system":"linear","project":"p","number":"1"})").find("unknown system"), std::string::npos);
  EXPECT_NE(message(R"({"system":"github","number":"1"})").find("project"), std::string::npos);
  EXPECT_NE(message(R"({"system":"github","project":"p"})").find("number"), std::string::npos);
  EXPECT_NE(message(R"({"system":"github","project":"p","number":""})").find("number"), std::string::npos);
  EXPECT_NE(message(R"({"system":"github","project":"p","number":1})").find("number"), std::string::npos);
  EXPECT_NE(message(R"({"system":"github","project":"p","number":"1","url":5})").find("url"), std::string::npos);
  EXPECT_NE(message(R"({"system":"github","project":"p","number":"1","project_id":null})").find("project_id"),
            std::string::npos);
  // Optional members may be absent; extra members are ignored.
  const auto ok = tickets::ticket_from_json(R"({"system":"jira","project":"PROC","number":"PROC-1","extra":[1]})");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->key(), "PROC-1");
  EXPECT_EQ(ok->url, "");
}

}  // namespace
