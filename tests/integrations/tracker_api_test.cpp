// The Jira, GitHub and GitLab API clients against the stateful fakes on loopback: issues read,
// the bot's comment found (also on a later page), created and updated, and every failure
// classified as retryable or not, with the wait the tracker named.

#include "integrations/github/api.hpp"
#include "integrations/gitlab/api.hpp"
#include "integrations/http/client.hpp"
#include "integrations/jira/api.hpp"
#include "integrations/tickets/api_call.hpp"
#include "integrations/tickets/marker.hpp"
#include "tests/integration/fake_trackers.hpp"
#include "tests/integration/test_ca.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <future>
#include <string>

namespace http = integrations::http;
namespace tickets = integrations::tickets;
using namespace std::chrono_literals;

namespace {

const std::string marker(tickets::review_marker);

http::response answer(unsigned status, std::string body, std::vector<http::header> headers = {}) {
  http::response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

tickets::ticket make_ticket(tickets::tracker system, std::string project, std::string number) {
  tickets::ticket t;
  t.system = system;
  t.project = std::move(project);
  t.number = std::move(number);
  return t;
}

tickets::ticket github_ticket(std::string number = "42") {
  return make_ticket(tickets::tracker::github, "acme/procurement", std::move(number));
}

tickets::ticket gitlab_ticket() { return make_ticket(tickets::tracker::gitlab, "group/sub/project", "7"); }

tickets::ticket jira_ticket() { return make_ticket(tickets::tracker::jira, "PROC", "PROC-12"); }

}  // namespace

// ---- classification ------------------------------------------------------------------------

TEST(tracker_api_classify, success_is_no_failure) {
  EXPECT_FALSE(tickets::classify(answer(200, "{}")));
  EXPECT_FALSE(tickets::classify(answer(201, "{}")));
  EXPECT_FALSE(tickets::classify(answer(204, "")));
}

TEST(tracker_api_classify, too_many_requests_and_5xx_are_retryable_with_the_named_wait) {
  auto f = tickets::classify(answer(429, "slow down", {{"Retry-After", "7"}}));
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->retryable);
  EXPECT_EQ(f->status, 429u);
  EXPECT_EQ(f->retry_after, 7s);
  EXPECT_EQ(f->message, "HTTP 429: slow down");

  f = tickets::classify(answer(500, "boom"));
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->retryable);
  EXPECT_FALSE(f->retry_after);

  // An HTTP-date: the wait until then.
  const auto now = std::chrono::sys_days{std::chrono::November / 6 / 1994} + 8h + 49min + 7s;
  f = tickets::classify(answer(503, "", {{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}}), now);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->retryable);
  EXPECT_EQ(f->retry_after, 30s);
}

TEST(tracker_api_classify, jira_reset_time_is_used_without_retry_after) {
  const auto now = std::chrono::sys_days{std::chrono::May / 1 / 2024} + 12h + 29min;
  auto f = tickets::classify(answer(429, "", {{"X-RateLimit-Reset", "2024-05-01T12:30Z"}}), now);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->retry_after, 60s);
  EXPECT_EQ(tickets::parse_reset("2024-05-01T12:30:30.250Z", now), 90s);
  EXPECT_EQ(tickets::parse_reset("2024-05-01T13:30:00+01:00", now), 60s);
  EXPECT_EQ(tickets::parse_reset("2024-05-01T12:00Z", now), 0s);  // past
  EXPECT_FALSE(tickets::parse_reset("tomorrow", now));
  EXPECT_FALSE(tickets::parse_retry_after("soon", now));
  EXPECT_EQ(tickets::parse_retry_after("999999999", now), 86400s);  // capped at a day
}

TEST(tracker_api_classify, github_403_rate_limits_are_retryable_other_403s_are_not) {
  const auto now = std::chrono::system_clock::time_point{1'700'000'000s};
  auto f = tickets::classify(
      answer(403, R"({"message":"API rate limit exceeded"})",
             {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1700000120"}}),
      now);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->retryable);
  EXPECT_EQ(f->retry_after, 120s);

  f = tickets::classify(answer(403, "", {{"Retry-After", "60"}}), now);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->retryable);
  EXPECT_EQ(f->retry_after, 60s);

  f = tickets::classify(answer(403, R"({"message":"You have exceeded a secondary rate limit."})"), now);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->retryable);
  EXPECT_EQ(f->retry_after, 60s);

  f = tickets::classify(answer(403, R"({"message":"Resource not accessible by integration"})",
                               {{"x-ratelimit-remaining", "4999"}, {"x-ratelimit-reset", "1700000120"}}),
                        now);
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->retryable);
  EXPECT_FALSE(f->retry_after);

  // A reset epoch while budget remains is not a wait (a 429 for another reason).
  f = tickets::classify(answer(429, "", {{"x-ratelimit-remaining", "12"}, {"x-ratelimit-reset", "1700000120"}}), now);
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->retryable);
  EXPECT_FALSE(f->retry_after);
}

TEST(tracker_api_classify, other_4xx_and_3xx_are_permanent_with_the_start_of_the_body) {
  const std::string body(300, 'x');
  auto f = tickets::classify(answer(404, body + "\n"));
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->retryable);
  EXPECT_EQ(f->status, 404u);
  EXPECT_EQ(f->message, "HTTP 404: " + std::string(200, 'x'));
  f = tickets::classify(answer(301, "moved\r\nelsewhere"));
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->retryable);
  EXPECT_EQ(f->message, "HTTP 301: moved  elsewhere");
  f = tickets::classify(answer(422, "bad"));
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->retryable);
}

TEST(tracker_api_helpers, segments_origins_and_links) {
  EXPECT_EQ(tickets::encode_segment("group/sub project~x.y_z-1"), "group%2Fsub%20project~x.y_z-1");
  EXPECT_EQ(tickets::encode_segment("PROC-12"), "PROC-12");
  EXPECT_EQ(tickets::encode_segment("é?#"), "%C3%A9%3F%23");
  EXPECT_EQ(tickets::trim_base("https://jira.example.com/jira//"), "https://jira.example.com/jira");
  EXPECT_TRUE(tickets::same_origin("https://Jira.Example.com/x", "https://jira.example.com:443"));
  EXPECT_FALSE(tickets::same_origin("https://jira.example.com/x", "http://jira.example.com/x"));
  EXPECT_FALSE(tickets::same_origin("https://jira.example.com:8443/x", "https://jira.example.com/x"));
  EXPECT_FALSE(tickets::same_origin("https://evil.example/x", "https://jira.example.com/x"));
  EXPECT_FALSE(tickets::same_origin("not a url", "https://jira.example.com/x"));
  EXPECT_EQ(integrations::github::next_link(
                R"(<https://api.github.com/repositories/1/issues/2/comments?page=2>; rel="next", <https://api.github.com/repositories/1/issues/2/comments?page=5>; rel="last")"),
            "https://api.github.com/repositories/1/issues/2/comments?page=2");
  EXPECT_EQ(integrations::github::next_link(R"(<https://a/?page=1>; rel="prev", <https://a/?page=3>; rel="next")"),
            "https://a/?page=3");
  EXPECT_EQ(integrations::github::next_link(R"(<https://a/?page=1>; rel="prev first")"), "");
  EXPECT_EQ(integrations::github::next_link(""), "");
}

// ---- GitHub ----------------------------------------------------------------------------------

class github_api_test : public ::testing::Test {
 protected:
  github_api_test() {
    fake.add_issue("acme/procurement", 42,
                   {.title = "Vendor X: training data", .body = "Proposal text", .labels = {"ai-training", "procurement"}});
    fake.add_issue("acme/procurement", 43, {.title = "Empty body"});
  }
  test::fake_github fake{"ghp-token"};
  http::client client;
  integrations::github::api api{client, {.api_url = fake.api_url(), .token = "ghp-token"}};
};

TEST_F(github_api_test, fetches_an_issue) {
  auto c = api.fetch_issue(github_ticket());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->title, "Vendor X: training data");
  EXPECT_EQ(c->body, "Proposal text");
  EXPECT_EQ(c->state, "open");
  EXPECT_EQ(c->labels, (std::vector<std::string>{"ai-training", "procurement"}));
  const auto call = fake.calls().back();
  EXPECT_EQ(call.method, "GET");
  EXPECT_EQ(call.target, "/repos/acme/procurement/issues/42");
  EXPECT_EQ(call.header("Authorization"), "Bearer ghp-token");
  EXPECT_EQ(call.header("Accept"), "application/vnd.github+json");
  EXPECT_EQ(call.header("X-GitHub-Api-Version"), "2022-11-28");

  c = api.fetch_issue(github_ticket("43"));  // body null
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->body, "");
  const auto missing = api.fetch_issue(github_ticket("99"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().status, 404u);
  EXPECT_FALSE(missing.error().retryable);
}

TEST_F(github_api_test, finds_no_comment_then_the_marked_one_on_page_two) {
  auto found = api.find_comment(github_ticket());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, "");
  fake.set_page_size(2);
  fake.add_comment("acme/procurement#42", {.body = "LGTM", .author = "alice"});
  fake.add_comment("acme/procurement#42", {.body = "mentions playbook-bot:review but no marker", .author = "bob"});
  const auto id = fake.add_comment("acme/procurement#42", {.body = marker + "\n**Review**"});
  fake.clear_calls();
  found = api.find_comment(github_ticket());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, id);
  const auto calls = fake.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].target, "/repos/acme/procurement/issues/42/comments?per_page=100");
  EXPECT_EQ(calls[1].query("page"), "2");
}

TEST_F(github_api_test, does_not_follow_a_link_to_another_host) {
  fake.set_page_size(1);
  fake.add_comment("acme/procurement#42", {.body = "first", .author = "alice"});
  fake.add_comment("acme/procurement#42", {.body = marker});
  fake.set_link_origin("http://127.0.0.2:" + std::to_string(fake.port()));
  fake.clear_calls();
  const auto found = api.find_comment(github_ticket());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, "");
  EXPECT_EQ(fake.calls().size(), 1u);
}

TEST_F(github_api_test, creates_and_updates_the_comment) {
  const auto id = api.create_comment(github_ticket(), marker + "\nfirst \"quoted\"");
  ASSERT_TRUE(id) << id.error().message;
  auto comments = fake.comments("acme/procurement#42");
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].id, *id);
  EXPECT_EQ(comments[0].body, marker + "\nfirst \"quoted\"");
  EXPECT_EQ(fake.calls().back().method, "POST");
  EXPECT_EQ(fake.calls().back().target, "/repos/acme/procurement/issues/42/comments");

  const auto updated = api.update_comment(github_ticket(), *id, marker + "\nsecond");
  ASSERT_TRUE(updated) << updated.error().message;
  comments = fake.comments("acme/procurement#42");
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].body, marker + "\nsecond");
  EXPECT_EQ(comments[0].updates, 1);
  EXPECT_EQ(fake.calls().back().method, "PATCH");
  EXPECT_EQ(fake.calls().back().target, "/repos/acme/procurement/issues/comments/" + *id);

  ASSERT_TRUE(fake.delete_comment("acme/procurement#42", *id));
  const auto gone = api.update_comment(github_ticket(), *id, "third");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().status, 404u);
  EXPECT_FALSE(gone.error().retryable);
  EXPECT_TRUE(gone.error().message.starts_with("HTTP 404: ")) << gone.error().message;
}

TEST_F(github_api_test, rate_limits_and_server_errors_are_retryable) {
  fake.fail_next(1, test::fake_fault::too_many_requests(3));
  auto r = api.create_comment(github_ticket(), "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 429u);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(r.error().retry_after, 3s);

  fake.fail_next(1, test::fake_fault::server_error());
  r = api.create_comment(github_ticket(), "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 500u);
  EXPECT_TRUE(r.error().retryable);

  const auto reset = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()) + 120s;
  fake.fail_next(1, test::fake_fault::answer(403, R"({"message":"API rate limit exceeded for user ID 1."})",
                                             {{"x-ratelimit-remaining", "0"},
                                              {"x-ratelimit-reset", std::to_string(reset.count())}}));
  r = api.create_comment(github_ticket(), "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 403u);
  EXPECT_TRUE(r.error().retryable);
  ASSERT_TRUE(r.error().retry_after);
  EXPECT_GE(*r.error().retry_after, 110s);
  EXPECT_LE(*r.error().retry_after, 121s);

  fake.fail_next(1, test::fake_fault::answer(403, R"({"message":"Resource not accessible by integration"})"));
  r = api.create_comment(github_ticket(), "x");
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_TRUE(fake.comments("acme/procurement#42").empty());

  const auto ok = api.create_comment(github_ticket(), "x");
  ASSERT_TRUE(ok) << ok.error().message;
}

TEST_F(github_api_test, bad_credentials_are_permanent) {
  integrations::github::api wrong{client, {.api_url = fake.api_url(), .token = "nope"}};
  const auto r = wrong.find_comment(github_ticket());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 401u);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_NE(r.error().message.find("Bad credentials"), std::string::npos) << r.error().message;
}

TEST_F(github_api_test, malformed_answers_are_named_failures) {
  fake.fail_next(1, test::fake_fault::answer(200, "{\"title\": "));
  auto c = api.fetch_issue(github_ticket());
  ASSERT_FALSE(c);
  EXPECT_FALSE(c.error().retryable);
  EXPECT_NE(c.error().message.find("GitHub's issue is not valid JSON"), std::string::npos) << c.error().message;

  fake.fail_next(1, test::fake_fault::answer(200, R"({"comments":[]})"));
  const auto found = api.find_comment(github_ticket());
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().message, "GitHub's comment list is not an array");

  fake.fail_next(1, test::fake_fault::answer(201, R"({"id":"x"})"));
  const auto created = api.create_comment(github_ticket(), "x");
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().message, "GitHub's new comment has no numeric id");
}

TEST_F(github_api_test, no_answer_is_retryable_status_0) {
  fake.set_down(true);
  const auto r = api.fetch_issue(github_ticket());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 0u);
  EXPECT_TRUE(r.error().retryable);
  fake.clear_faults();
  EXPECT_TRUE(api.fetch_issue(github_ticket()));
  fake.fail_next(1, test::fake_fault::closed());
  EXPECT_FALSE(api.fetch_issue(github_ticket()));
  EXPECT_TRUE(api.fetch_issue(github_ticket()));
}

TEST_F(github_api_test, a_hung_request_answers_late_while_others_are_served) {
  fake.fail_next(1, test::fake_fault::hang(600ms));
  const auto started = std::chrono::steady_clock::now();
  auto slow = std::async(std::launch::async, [&] { return api.create_comment(github_ticket(), marker); });
  while (fake.calls().empty()) std::this_thread::sleep_for(5ms);
  const auto fast = api.fetch_issue(github_ticket());
  ASSERT_TRUE(fast) << fast.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
  const auto created = slow.get();
  ASSERT_TRUE(created) << created.error().message;  // late, but done: the comment exists
  EXPECT_GE(std::chrono::steady_clock::now() - started, 600ms);
  EXPECT_EQ(fake.comments("acme/procurement#42").size(), 1u);
}

TEST(github_api_tls, talks_https_to_a_fake_with_a_test_ca_certificate) {
  test::test_ca ca;
  test::fake_github fake("tok", {.cert_file = ca.localhost().cert, .key_file = ca.localhost().key});
  fake.add_issue("acme/procurement", 42, {.title = "Over TLS"});
  ASSERT_TRUE(fake.api_url().starts_with("https://127.0.0.1:"));
  http::client client({.ca_file = ca.ca_file()});
  integrations::github::api api{client, {.api_url = fake.api_url(), .token = "tok"}};
  const auto c = api.fetch_issue(github_ticket());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->title, "Over TLS");
  const auto id = api.create_comment(github_ticket(), marker);
  ASSERT_TRUE(id) << id.error().message;
  // A client that does not trust the test CA gets no answer it could act on: retryable status 0.
  http::client untrusting;
  integrations::github::api other{untrusting, {.api_url = fake.api_url(), .token = "tok"}};
  const auto refused = other.fetch_issue(github_ticket());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, 0u);
  EXPECT_TRUE(refused.error().retryable);
}

TEST_F(github_api_test, rejects_bad_tickets_without_a_call) {
  fake.clear_calls();
  tickets::ticket t = github_ticket();
  t.project = "no-slash";
  EXPECT_FALSE(api.fetch_issue(t));
  t = github_ticket("../../x");
  EXPECT_FALSE(api.create_comment(t, "x"));
  EXPECT_FALSE(api.update_comment(github_ticket(), "1/../2", "x"));
  tickets::attachment a;
  a.filename = "a.pdf";
  a.url = fake.api_url() + "/x";
  EXPECT_FALSE(api.download(a, 100));
  EXPECT_TRUE(fake.calls().empty());
}

// ---- GitLab ----------------------------------------------------------------------------------

class gitlab_api_test : public ::testing::Test {
 protected:
  gitlab_api_test() {
    project_id = fake.add_issue("group/sub/project", 7,
                                {.title = "Vendor Y", .body = "Description", .labels = {"procurement"}, .state = "opened"});
  }
  test::fake_gitlab fake{"glpat-token"};
  std::string project_id;
  http::client client;
  integrations::gitlab::api api{client, {.api_url = fake.api_url(), .token = "glpat-token"}};
};

TEST_F(gitlab_api_test, fetches_by_encoded_path_or_numeric_id) {
  auto c = api.fetch_issue(gitlab_ticket());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->title, "Vendor Y");
  EXPECT_EQ(c->body, "Description");
  EXPECT_EQ(c->state, "opened");
  EXPECT_EQ(c->labels, std::vector<std::string>{"procurement"});
  EXPECT_EQ(fake.calls().back().target, "/api/v4/projects/group%2Fsub%2Fproject/issues/7");
  EXPECT_EQ(fake.calls().back().header("PRIVATE-TOKEN"), "glpat-token");
  auto t = gitlab_ticket();
  t.project_id = project_id;
  c = api.fetch_issue(t);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(fake.calls().back().target, "/api/v4/projects/" + project_id + "/issues/7");
}

TEST_F(gitlab_api_test, finds_the_marked_note_on_page_two_skipping_system_notes) {
  auto found = api.find_comment(gitlab_ticket());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, "");
  fake.set_page_size(2);
  fake.add_comment("group/sub/project#7", {.body = "added ~procurement label", .author = "alice", .system = true});
  fake.add_comment("group/sub/project#7", {.body = marker + " in a system note", .author = "bot", .system = true});
  const auto id = fake.add_comment("group/sub/project#7", {.body = marker + "\nreview"});
  fake.clear_calls();
  found = api.find_comment(gitlab_ticket());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, id);
  const auto calls = fake.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].query("per_page"), "100");
  EXPECT_EQ(calls[0].query("page"), "1");
  EXPECT_EQ(calls[1].query("page"), "2");
}

TEST_F(gitlab_api_test, creates_updates_and_reports_a_deleted_note) {
  const auto id = api.create_comment(gitlab_ticket(), marker + "\nfirst");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(fake.calls().back().method, "POST");
  EXPECT_EQ(fake.calls().back().target, "/api/v4/projects/group%2Fsub%2Fproject/issues/7/notes");
  ASSERT_TRUE(api.update_comment(gitlab_ticket(), *id, marker + "\nsecond"));
  EXPECT_EQ(fake.calls().back().method, "PUT");
  EXPECT_EQ(fake.calls().back().target, "/api/v4/projects/group%2Fsub%2Fproject/issues/7/notes/" + *id);
  auto notes = fake.comments("group/sub/project#7");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].body, marker + "\nsecond");
  fake.delete_comment("group/sub/project#7", *id);
  const auto gone = api.update_comment(gitlab_ticket(), *id, "x");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().status, 404u);
  EXPECT_FALSE(gone.error().retryable);
}

TEST_F(gitlab_api_test, failures_are_classified) {
  fake.fail_next(1, test::fake_fault::too_many_requests(5));
  auto r = api.create_comment(gitlab_ticket(), "x");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(r.error().retry_after, 5s);
  fake.fail_next(1, test::fake_fault::server_error());
  r = api.create_comment(gitlab_ticket(), "x");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().retryable);
  fake.fail_next(1, test::fake_fault::answer(200, "<html>"));
  const auto c = api.fetch_issue(gitlab_ticket());
  ASSERT_FALSE(c);
  EXPECT_FALSE(c.error().retryable);
  EXPECT_NE(c.error().message.find("GitLab's issue is not valid JSON"), std::string::npos);
  integrations::gitlab::api wrong{client, {.api_url = fake.api_url(), .token = "nope"}};
  r = wrong.create_comment(gitlab_ticket(), "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 401u);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_TRUE(fake.comments("group/sub/project#7").empty());
}

// ---- Jira ------------------------------------------------------------------------------------

namespace {

const std::string adf =
    R"({"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Review"}]}]})";

test::fake_issue jira_issue() {
  return {.title = "Buy training data from Vendor Z",
          .body = "h2. Proposal\nSee attached.",
          .labels = {"ai-training"},
          .status = "In Review",
          .issue_type = "Purchase",
          .attachments = {{.filename = "proposal.pdf", .bytes = std::string(1000, 'p')},
                          {.filename = "terms and conditions.docx",
                           .mime_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                           .bytes = "docx bytes"}}};
}

}  // namespace

class jira_cloud_test : public ::testing::Test {
 protected:
  jira_cloud_test() { fake.add_issue("PROC-12", jira_issue()); }
  test::fake_jira fake{test::fake_jira::deployment::cloud, "bot@example.com", "api-token"};
  http::client client;
  integrations::jira::api api{client,
                              {.base_url = fake.api_url() + "/",
                               .kind = integrations::jira::deployment::cloud,
                               .user = "bot@example.com",
                               .token = "api-token"}};
};

TEST_F(jira_cloud_test, fetches_the_issue_with_basic_auth_through_v2) {
  const auto c = api.fetch_issue(jira_ticket());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->title, "Buy training data from Vendor Z");
  EXPECT_EQ(c->body, "h2. Proposal\nSee attached.");
  EXPECT_EQ(c->status, "In Review");
  EXPECT_EQ(c->resolution, "");
  EXPECT_EQ(c->labels, std::vector<std::string>{"ai-training"});
  ASSERT_EQ(c->attachments.size(), 2u);
  EXPECT_EQ(c->attachments[0].filename, "proposal.pdf");
  EXPECT_EQ(c->attachments[0].mime_type, "application/pdf");
  EXPECT_EQ(c->attachments[0].size, 1000u);
  EXPECT_EQ(c->attachments[0].url, fake.api_url() + "/rest/api/3/attachment/content/" + c->attachments[0].id);
  const auto call = fake.calls().back();
  EXPECT_EQ(call.target,
            "/rest/api/2/issue/PROC-12?fields=summary,description,labels,issuetype,project,status,resolution,attachment");
  // base64("bot@example.com:api-token")
  EXPECT_EQ(call.header("Authorization"), "Basic Ym90QGV4YW1wbGUuY29tOmFwaS10b2tlbg==");
}

TEST_F(jira_cloud_test, creates_with_an_adf_body_and_the_property_then_finds_and_updates_it) {
  const auto id = api.create_comment(jira_ticket(), adf);
  ASSERT_TRUE(id) << id.error().message;
  const auto call = fake.calls().back();
  EXPECT_EQ(call.method, "POST");
  EXPECT_EQ(call.target, "/rest/api/3/issue/PROC-12/comment");
  const auto sent = boost::json::parse(call.body);
  EXPECT_EQ(sent.at("body"), boost::json::parse(adf));
  EXPECT_EQ(sent.at("properties"), boost::json::parse(R"([{"key":"playbook-bot.review","value":{"v":1}}])"));
  auto comments = fake.comments("PROC-12");
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].property_keys, std::vector<std::string>{"playbook-bot.review"});

  const auto found = api.find_comment(jira_ticket());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, *id);
  EXPECT_EQ(fake.calls().back().target, "/rest/api/3/issue/PROC-12/comment?expand=properties&startAt=0&maxResults=100");

  const std::string adf2 = R"({"type":"doc","version":1,"content":[]})";
  ASSERT_TRUE(api.update_comment(jira_ticket(), *id, adf2));
  EXPECT_EQ(fake.calls().back().method, "PUT");
  EXPECT_EQ(fake.calls().back().target, "/rest/api/3/issue/PROC-12/comment/" + *id);
  EXPECT_EQ(boost::json::parse(fake.calls().back().body).at("body"), boost::json::parse(adf2));
  comments = fake.comments("PROC-12");
  EXPECT_EQ(boost::json::parse(comments[0].body), boost::json::parse(adf2));

  fake.delete_comment("PROC-12", *id);
  const auto gone = api.update_comment(jira_ticket(), *id, adf2);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().status, 404u);
  EXPECT_FALSE(gone.error().retryable);
  EXPECT_NE(gone.error().message.find("Can not find a comment"), std::string::npos) << gone.error().message;
}

TEST_F(jira_cloud_test, a_body_that_is_not_adf_json_is_refused_before_any_call) {
  fake.clear_calls();
  const auto r = api.create_comment(jira_ticket(), "*wiki* markup");
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_TRUE(fake.calls().empty());
}

TEST_F(jira_cloud_test, finds_the_property_on_page_two) {
  fake.set_page_size(2);
  fake.add_comment("PROC-12", {.body = "first", .author = "alice"});
  fake.add_comment("PROC-12", {.body = "second", .author = "bob", .property_keys = {"other.app"}});
  const auto id = fake.add_comment("PROC-12", {.body = adf, .property_keys = {"playbook-bot.review"}});
  fake.clear_calls();
  const auto found = api.find_comment(jira_ticket());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, id);
  const auto calls = fake.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].query("startAt"), "2");
  fake.delete_comment("PROC-12", id);
  const auto none = api.find_comment(jira_ticket());
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(*none, "");
}

TEST_F(jira_cloud_test, downloads_only_from_its_own_host_within_the_limit) {
  const auto c = api.fetch_issue(jira_ticket());
  ASSERT_TRUE(c) << c.error().message;
  const auto bytes = api.download(c->attachments[0], 4096);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes, std::string(1000, 'p'));
  const auto call = fake.calls().back();
  EXPECT_EQ(call.target, "/rest/api/3/attachment/content/" + c->attachments[0].id + "?redirect=false");
  EXPECT_EQ(call.header("Authorization"), "Basic Ym90QGV4YW1wbGUuY29tOmFwaS10b2tlbg==");

  fake.clear_calls();
  auto elsewhere = c->attachments[0];
  elsewhere.url = "http://127.0.0.2:" + std::to_string(fake.port()) + "/rest/api/3/attachment/content/1";
  auto r = api.download(elsewhere, 4096);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_NE(r.error().message.find("not on the Jira host"), std::string::npos) << r.error().message;
  elsewhere.url = "https://evil.example/rest/api/3/attachment/content/1";
  EXPECT_FALSE(api.download(elsewhere, 4096));
  EXPECT_TRUE(fake.calls().empty());

  r = api.download(c->attachments[0], 999);  // the size Jira listed is over the limit
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_EQ(r.error().message, "attachment is larger than 999 bytes");
  EXPECT_TRUE(fake.calls().empty());
  auto understated = c->attachments[0];  // listed small, served large
  understated.size = 10;
  r = api.download(understated, 500);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_EQ(r.error().message, "attachment is larger than 500 bytes");
}

TEST_F(jira_cloud_test, failures_are_classified) {
  fake.fail_next(1, test::fake_fault::answer(429, "", {{"Retry-After", "4"}, {"RateLimit-Reason", "jira-burst-based"}}));
  auto r = api.create_comment(jira_ticket(), adf);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(r.error().retry_after, 4s);
  fake.fail_next(1, test::fake_fault::server_error());
  r = api.find_comment(jira_ticket());
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().retryable);
  fake.fail_next(1, test::fake_fault::answer(200, R"({"startAt":0,"total":1})"));
  r = api.find_comment(jira_ticket());
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_EQ(r.error().message, "Jira's comment list has no comments array");
  fake.fail_next(1, test::fake_fault::answer(200, "not json"));
  const auto c = api.fetch_issue(jira_ticket());
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("Jira's issue is not valid JSON"), std::string::npos);
  integrations::jira::api wrong{client,
                                {.base_url = fake.api_url(),
                                 .kind = integrations::jira::deployment::cloud,
                                 .user = "bot@example.com",
                                 .token = "wrong"}};
  r = wrong.create_comment(jira_ticket(), adf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 401u);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_TRUE(fake.comments("PROC-12").empty());
}

class jira_datacenter_test : public ::testing::Test {
 protected:
  jira_datacenter_test() { fake.add_issue("PROC-12", jira_issue()); }
  test::fake_jira fake{test::fake_jira::deployment::datacenter, "", "pat-token"};
  http::client client;
  integrations::jira::api api{
      client, {.base_url = fake.api_url(), .kind = integrations::jira::deployment::datacenter, .token = "pat-token"}};
};

TEST_F(jira_datacenter_test, uses_v2_wiki_strings_and_a_bearer_token) {
  const auto id = api.create_comment(jira_ticket(), "h3. Review\n*flag*: {quote}text{quote}");
  ASSERT_TRUE(id) << id.error().message;
  auto call = fake.calls().back();
  EXPECT_EQ(call.target, "/rest/api/2/issue/PROC-12/comment");
  EXPECT_EQ(call.header("Authorization"), "Bearer pat-token");
  const auto sent = boost::json::parse(call.body);
  EXPECT_EQ(sent.at("body"), "h3. Review\n*flag*: {quote}text{quote}");
  EXPECT_EQ(sent.at("properties").at(0).at("key"), "playbook-bot.review");
  EXPECT_EQ(fake.comments("PROC-12")[0].body, "h3. Review\n*flag*: {quote}text{quote}");

  const auto found = api.find_comment(jira_ticket());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, *id);
  EXPECT_EQ(fake.calls().back().target, "/rest/api/2/issue/PROC-12/comment?expand=properties&startAt=0&maxResults=100");

  ASSERT_TRUE(api.update_comment(jira_ticket(), *id, "updated"));
  EXPECT_EQ(fake.calls().back().target, "/rest/api/2/issue/PROC-12/comment/" + *id);
  EXPECT_EQ(fake.comments("PROC-12")[0].body, "updated");
}

TEST_F(jira_datacenter_test, downloads_from_the_secure_attachment_url_without_redirect_parameter) {
  const auto c = api.fetch_issue(jira_ticket());
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->attachments.size(), 2u);
  EXPECT_EQ(c->attachments[1].url, fake.api_url() + "/secure/attachment/" + c->attachments[1].id +
                                       "/terms%20and%20conditions.docx");
  const auto bytes = api.download(c->attachments[1], 100);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes, "docx bytes");
  EXPECT_EQ(fake.calls().back().query("redirect"), "");
  EXPECT_EQ(fake.calls().back().header("Authorization"), "Bearer pat-token");
}

TEST_F(jira_datacenter_test, keys_are_percent_encoded_and_v3_does_not_exist) {
  tickets::ticket t = jira_ticket();
  t.number = "PROC 12/x";
  const auto r = api.fetch_issue(t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 404u);
  EXPECT_EQ(fake.calls().back().path(), "/rest/api/2/issue/PROC%2012%2Fx");
  // A Cloud client pointed at Data Center writes through v3 and is told no.
  integrations::jira::api cloud{client,
                                {.base_url = fake.api_url(), .kind = integrations::jira::deployment::cloud,
                                 .user = "u", .token = "pat-token"}};
  EXPECT_FALSE(cloud.create_comment(jira_ticket(), adf));
}
