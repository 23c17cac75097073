// Which tickets the bot reviews, what decision a ticket records, which vendor it is about.

#include "bot/ticket_scope.hpp"

#include <gtest/gtest.h>

namespace {

namespace tk = integrations::tickets;

tk::ticket_event event(tk::tracker system, std::string project, std::vector<std::string> labels) {
  tk::ticket_event e;
  e.where.system = system;
  e.where.project = std::move(project);
  e.where.number = "7";
  e.labels = std::move(labels);
  e.body = "";
  return e;
}

bot::settings defaults() {
  bot::settings s;
  s.github_labels = s.gitlab_labels = s.jira_labels = {"ai-training", "procurement"};
  s.jira_approved = {"Approved"};
  s.jira_rejected = {"Rejected"};
  return s;
}

TEST(ticket_scope, by_default_a_labelled_ticket_of_any_project_is_reviewed) {
  const auto s = defaults();
  const auto scope = bot::scope_of(s, tk::tracker::github);
  EXPECT_TRUE(bot::in_scope(scope, event(tk::tracker::github, "acme/x", {"bug", "AI-Training"})));
  EXPECT_TRUE(bot::in_scope(scope, event(tk::tracker::github, "acme/y", {"procurement"})));
  EXPECT_FALSE(bot::in_scope(scope, event(tk::tracker::github, "acme/x", {"bug"})));
  EXPECT_FALSE(bot::in_scope(scope, event(tk::tracker::github, "acme/x", {})));
}

TEST(ticket_scope, projects_and_issue_types_narrow_it_and_a_star_takes_any_labels) {
  auto s = defaults();
  s.jira_projects = {"PROC"};
  s.jira_issue_types = {"Purchase request"};
  s.jira_labels = {"*"};
  const auto scope = bot::scope_of(s, tk::tracker::jira);
  auto e = event(tk::tracker::jira, "PROC", {});
  e.issue_type = "purchase request";
  EXPECT_TRUE(bot::in_scope(scope, e));
  e.issue_type = "Bug";
  EXPECT_FALSE(bot::in_scope(scope, e));
  e.issue_type = "Purchase request";
  e.where.project = "OPS";
  EXPECT_FALSE(bot::in_scope(scope, e));
  EXPECT_FALSE(bot::project_in_scope(scope, e));
}

TEST(ticket_scope, jira_decisions_come_from_status_or_resolution_names) {
  const auto s = defaults();
  auto e = event(tk::tracker::jira, "PROC", {});
  EXPECT_EQ(bot::ticket_decision(s, e), std::nullopt);
  e.status = "approved";
  EXPECT_EQ(bot::ticket_decision(s, e), storage::outcome::approve);
  e.status = "Done";
  e.resolution = "Rejected";
  EXPECT_EQ(bot::ticket_decision(s, e), storage::outcome::reject);
  e.resolution = "Won't do";
  EXPECT_EQ(bot::ticket_decision(s, e), std::nullopt);
}

TEST(ticket_scope, github_and_gitlab_decisions_come_from_one_decision_label) {
  const auto s = defaults();
  EXPECT_EQ(bot::ticket_decision(s, event(tk::tracker::github, "a/b", {"ai-training", "decision:approved"})),
            storage::outcome::approve);
  EXPECT_EQ(bot::ticket_decision(s, event(tk::tracker::gitlab, "a/b", {"Decision:Conditional"})),
            storage::outcome::conditional);
  EXPECT_EQ(bot::ticket_decision(s, event(tk::tracker::gitlab, "a/b", {"decision:deferred"})),
            storage::outcome::defer);
  EXPECT_EQ(bot::ticket_decision(s, event(tk::tracker::github, "a/b", {"decision:approved", "decision:rejected"})),
            std::nullopt);
  EXPECT_EQ(bot::ticket_decision(s, event(tk::tracker::github, "a/b", {"decision:maybe"})), std::nullopt);
}

TEST(ticket_scope, the_vendor_comes_from_a_vendor_line_then_a_label_then_the_title) {
  auto e = event(tk::tracker::github, "a/b", {"vendor:Label Vendor"});
  e.title = "Training proposal: Title Vendor";
  e.body = "Budget: 40k\n**Vendor:** Acme Academy GmbH\nMore text";
  EXPECT_EQ(bot::ticket_vendor(e), "Acme Academy GmbH");
  e.body = "- Provider name: Byte Trainers\n";
  EXPECT_EQ(bot::ticket_vendor(e), "Byte Trainers");
  e.body = "| Supplier | Cloud Skills Ltd |\n";
  EXPECT_EQ(bot::ticket_vendor(e), "Cloud Skills Ltd");
  e.body = "The vendors we considered are many.";
  EXPECT_EQ(bot::ticket_vendor(e), "Label Vendor");
  e.labels = {};
  EXPECT_EQ(bot::ticket_vendor(e), "Title Vendor");
  e.title = "Acme LLM bootcamp";
  EXPECT_EQ(bot::ticket_vendor(e), "Acme LLM bootcamp");
  e.title = "Ironbark Academy: LLMOps Bootcamp for the platform team";
  EXPECT_EQ(bot::ticket_vendor(e), "Ironbark Academy");
}

TEST(ticket_scope, a_vendor_heading_names_the_vendor_on_its_next_line) {
  auto e = event(tk::tracker::jira, "PROC", {});
  e.title = "Something: else";
  e.body = "h2. Request\n\nPlease review.\n\nh2. Vendor\n\nIronbark Academy GmbH, Munich\n";
  EXPECT_EQ(bot::ticket_vendor(e), "Ironbark Academy GmbH");
  e.body = "## Vendor\nMeridian Labs\n";
  EXPECT_EQ(bot::ticket_vendor(e), "Meridian Labs");
  e.body = "The vendors we considered are many.\nNothing else.";
  EXPECT_EQ(bot::ticket_vendor(e), "Something");
}

TEST(ticket_scope, an_unusable_vendor_name_is_no_vendor) {
  auto e = event(tk::tracker::github, "a/b", {});
  e.title = "Proposal: " + std::string(500, 'x');
  e.body = "Vendor: \x1b[31mEvil\n";
  EXPECT_EQ(bot::ticket_vendor(e), "");
  e.title = "Proposal: <!channel>";
  EXPECT_EQ(bot::ticket_vendor(e), "");
}

}  // namespace
