// Ticket webhooks end to end through the real executable and fake Jira, GitHub and GitLab APIs on
// loopback: a signed webhook becomes exactly one review comment with the review's flags; a
// re-delivery or an unchanged edit adds nothing; an edit updates the same comment; 429 with
// Retry-After and an API that is down for a while are waited out; SIGKILL after the 2xx, while
// the ticket is fetched and while the comment is posted ends, after a restart, with exactly one
// comment; forged requests are refused and store nothing; ticket resolutions record decisions.

#include "integrations/github/webhook.hpp"
#include "integrations/jira/webhook.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"
#include "tests/integration/bot_process.hpp"
#include "tests/integration/fake_trackers.hpp"
#include "tests/integration/test_ca.hpp"
#include "tests/integration/test_client.hpp"
#include "tests/knowledge/pdf_writer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <SQLiteCpp/Database.h>

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

namespace {

using test::child;
using test::temp_dir;
using namespace std::chrono_literals;

constexpr std::string_view github_secret = "tickets-test-github-secret";
constexpr std::string_view github_token = "ghp_tickets_test_token";
constexpr std::string_view gitlab_secret = "tickets-test-gitlab-token";
constexpr std::string_view gitlab_token = "glpat-tickets-test";
constexpr std::string_view jira_secret = "tickets-test-jira-secret";
constexpr std::string_view github_ticket = "acme-corp/procurement#42";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(PLAYBOOK_FIXTURES) + "/tickets/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::uint16_t started(child& p) {
  const auto line = p.wait_for_stderr_line("\"msg\":\"listening\"");
  if (line.empty()) return 0;
  return static_cast<std::uint16_t>(boost::json::parse(line).as_object().at("port").as_int64());
}

std::map<std::string, std::string> env_for(const temp_dir& dir) {
  return {{"PLAYBOOK_LISTEN", "127.0.0.1:0"},
          {"PLAYBOOK_DB", (dir.path() / "playbook.db").string()},
          {"PLAYBOOK_THREADS", "2"}};
}

std::map<std::string, std::string> github_env(const temp_dir& dir, const test::fake_github& gh) {
  auto env = env_for(dir);
  env["GITHUB_WEBHOOK_SECRET"] = github_secret;
  env["GITHUB_TOKEN"] = github_token;
  env["GITHUB_API_URL"] = gh.api_url();
  return env;
}

test::request hook_post(std::string_view target, std::string body,
                        std::vector<std::pair<std::string, std::string>> headers) {
  test::request req{test::http::verb::post, target, 11};
  req.set(test::http::field::host, "127.0.0.1");
  req.set(test::http::field::content_type, "application/json");
  for (auto& [name, value] : headers) req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

test::response github_hook(std::uint16_t port, std::string_view event, std::string_view delivery,
                           const std::string& body) {
  const integrations::github::webhook_verifier signer(github_secret);
  test::connection c(port);
  return c.round_trip(hook_post("/hooks/github", body,
                                {{"X-GitHub-Event", std::string(event)},
                                 {"X-GitHub-Delivery", std::string(delivery)},
                                 {"X-Hub-Signature-256", signer.sign(body)}}));
}

std::string status_of(const test::response& r) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(r.body(), ec);
  if (ec || !v.is_object() || !v.as_object().contains("status")) return "";
  return std::string(v.as_object().at("status").as_string());
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds within = 15s) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

// Comment text as a reader sees it: escapes and invisible word joiners taken out.
std::string readable(std::string_view markdown) {
  std::string out;
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    if (markdown[i] == '\\' && i + 1 < markdown.size() && std::ispunct(static_cast<unsigned char>(markdown[i + 1])))
      continue;
    if (markdown.substr(i, 3) == "\xE2\x81\xA0") {
      i += 2;
      continue;
    }
    out += markdown[i];
  }
  return out;
}

// The flags the review engine raises on the text, for comparing with what the comment shows.
std::vector<std::string> expected_flags(const std::string& title, const std::string& body) {
  const auto book = knowledge::load_playbook("");
  const auto r = knowledge::review_text(title + "\n\n" + body, *book);
  std::vector<std::string> titles;
  for (const auto& f : r->red_flags) titles.push_back(f.title);
  return titles;
}

// The issue the fixtures are about, as the API knows it (its comments live there).
void seed(test::fake_github& gh) {
  gh.add_issue("acme-corp/procurement", 42, {.title = "Northwind Skills Collective", .labels = {"ai-training"}});
}

std::string github_body(const std::string& name) {
  return fixture("github/" + name);
}

// The fixture with another issue body (edits) or number (other tickets).
std::string with_issue(std::string json, const std::function<void(boost::json::object&)>& change) {
  auto v = boost::json::parse(json);
  change(v.as_object().at("issue").as_object());
  return boost::json::serialize(v);
}

std::int64_t count_rows(const temp_dir& dir, const std::string& sql) {
  SQLite::Database db((dir.path() / "playbook.db").string(), SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

std::size_t count_calls(const test::fake_tracker& t, std::string_view method) {
  std::size_t n = 0;
  for (const auto& c : t.calls())
    if (c.method == method) ++n;
  return n;
}

}  // namespace

TEST(tickets_e2e, a_signed_webhook_gets_one_comment_with_the_reviews_flags_and_redelivery_adds_none) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  child p({"serve"}, github_env(dir, gh));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();

  const auto body = github_body("issues.opened.json");
  auto res = github_hook(port, "issues", "d-1", body);
  ASSERT_EQ(res.result_int(), 202) << res.body();
  EXPECT_EQ(status_of(res), "queued");
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; })) << p.log();

  const auto comment = gh.comments(github_ticket).front();
  EXPECT_TRUE(comment.body.starts_with("<!-- playbook-bot:review -->")) << comment.body.substr(0, 200);
  // The webhook's request id follows the event through the review and the delivery's log lines,
  // and no line carries the proposal's text.
  const std::string request_id(res["X-Request-Id"]);
  ASSERT_FALSE(request_id.empty());
  const auto posted = p.wait_for_stderr_line("\"msg\":\"comment posted\"");
  EXPECT_NE(posted.find("\"request_id\":\"" + request_id + "\""), std::string::npos) << posted;
  EXPECT_NE(posted.find("\"system\":\"github\""), std::string::npos) << posted;
  const auto v = boost::json::parse(body).as_object().at("issue").as_object();
  const std::string issue_body(v.at("body").as_string());
  ASSERT_GT(issue_body.size(), 60u);
  EXPECT_EQ(p.log().find(issue_body.substr(0, 60)), std::string::npos);
  const auto flags = expected_flags(std::string(v.at("title").as_string()), std::string(v.at("body").as_string()));
  ASSERT_FALSE(flags.empty());
  const auto text = readable(comment.body);
  for (const auto& f : flags) EXPECT_NE(text.find(f), std::string::npos) << f << "\n" << text.substr(0, 2000);
  EXPECT_NE(text.find("Proposal review:"), std::string::npos);
  EXPECT_NE(text.find("<details>"), std::string::npos);
  // The call carried the token and GitHub's headers.
  const auto calls = gh.calls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().header("Authorization"), "Bearer " + std::string(github_token));

  // The same delivery again, and an edit that changes nothing a review reads: no API call at all.
  const auto calls_before = gh.calls().size();
  res = github_hook(port, "issues", "d-1", body);
  EXPECT_EQ(res.result_int(), 202);
  EXPECT_EQ(status_of(res), "duplicate");
  res = github_hook(port, "issues", "d-2", github_body("issues.labeled.json"));
  EXPECT_EQ(status_of(res), "queued") << res.body();
  ASSERT_TRUE(eventually([&] { return count_rows(dir, "SELECT count(*) FROM inbox WHERE state = 'pending'") == 0; }));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(gh.calls().size(), calls_before);
  ASSERT_EQ(gh.comments(github_ticket).size(), 1u);
  EXPECT_EQ(gh.comments(github_ticket).front().updates, 0);
  EXPECT_EQ(count_rows(dir, "SELECT count(*) FROM reviews"), 1);
  EXPECT_EQ(count_rows(dir, "SELECT count(*) FROM inbox"), 2);
}

TEST(tickets_e2e, an_edit_updates_the_same_comment_in_place) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  child p({"serve"}, github_env(dir, gh));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  ASSERT_EQ(github_hook(port, "issues", "e-1", github_body("issues.opened.json")).result_int(), 202);
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; })) << p.log();
  const auto first = gh.comments(github_ticket).front();

  const auto edited = with_issue(github_body("issues.opened.json"), [](boost::json::object& issue) {
    issue["body"] = "Vendor: Northwind Skills Collective\n\nA five-day course: day 1-4 are Python basics "
                    "and an introduction to AI; the final project is a toy chatbot demo. Attendance "
                    "certificates for all.";
  });
  ASSERT_EQ(status_of(github_hook(port, "issues", "e-2", edited)), "queued");
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).front().updates == 1; })) << p.log();
  const auto comments = gh.comments(github_ticket);
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments.front().id, first.id);
  EXPECT_NE(comments.front().body, first.body);
  EXPECT_EQ(count_calls(gh, "POST"), 1u);
  EXPECT_EQ(count_calls(gh, "PATCH"), 1u);
}

TEST(tickets_e2e, a_429_with_retry_after_is_waited_out) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  gh.fail_next(1, test::fake_fault::too_many_requests(1));
  child p({"serve"}, github_env(dir, gh));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(github_hook(port, "issues", "r-1", github_body("issues.opened.json")).result_int(), 202);
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; })) << p.log();
  EXPECT_GE(std::chrono::steady_clock::now() - sent, 1s);
  const auto calls = gh.calls();
  ASSERT_GE(calls.size(), 3u);
  EXPECT_EQ(calls.front().status, 429u);
  EXPECT_FALSE(p.wait_for_stderr_line("delivery attempt failed").empty());
}

TEST(tickets_e2e, an_api_that_is_down_for_a_while_gets_the_comment_after_it_recovers) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  gh.set_down(true);
  child p({"serve"}, github_env(dir, gh));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  ASSERT_EQ(github_hook(port, "issues", "down-1", github_body("issues.opened.json")).result_int(), 202);
  ASSERT_TRUE(eventually([&] { return gh.calls().size() >= 2; })) << p.log();
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(gh.comments(github_ticket).empty());
  gh.set_down(false);
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; }, 20s)) << p.log();
}

TEST(tickets_e2e, a_comment_refused_for_good_is_kept_as_failed_and_the_outbox_cli_retries_it) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  gh.fail_next(1, test::fake_fault::answer(403, R"({"message":"Resource not accessible by integration"})"));
  auto env = github_env(dir, gh);
  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  ASSERT_EQ(github_hook(port, "issues", "f-1", github_body("issues.opened.json")).result_int(), 202);
  ASSERT_TRUE(eventually([&] { return count_rows(dir, "SELECT count(*) FROM outbox WHERE state = 'failed'") == 1; }))
      << p.log();
  EXPECT_EQ(gh.calls().size(), 1u);  // a 403 is not retried

  child list({"outbox", "list"}, env);
  EXPECT_EQ(list.wait_exit(), 0) << list.err();
  EXPECT_NE(list.out().find("failed"), std::string::npos) << list.out();
  EXPECT_NE(list.out().find("HTTP 403"), std::string::npos) << list.out();
  EXPECT_NE(list.out().find("Resource not accessible"), std::string::npos) << list.out();
  const auto id = count_rows(dir, "SELECT id FROM outbox");
  child retry({"outbox", "retry", std::to_string(id)}, env);
  EXPECT_EQ(retry.wait_exit(), 0) << retry.err();
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; })) << p.log();
  child again({"outbox", "drop", std::to_string(id)}, env);
  EXPECT_EQ(again.wait_exit(), 1);  // delivered: nothing to drop
  child unknown({"outbox", "retry", "999"}, env);
  EXPECT_EQ(unknown.wait_exit(), 1);
  child usage({"outbox", "retry", "x"}, env);
  EXPECT_EQ(usage.wait_exit(), 2);
}

TEST(tickets_e2e, sigkill_right_after_the_2xx_loses_nothing) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  gh.set_down(true);  // nothing can happen before the kill
  {
    child p({"serve"}, github_env(dir, gh));
    const auto port = started(p);
    ASSERT_NE(port, 0) << p.log();
    ASSERT_EQ(github_hook(port, "issues", "k-1", github_body("issues.opened.json")).result_int(), 202);
    ::kill(p.pid(), SIGKILL);
    EXPECT_EQ(p.wait_exit(), 128 + SIGKILL);
  }
  gh.set_down(false);
  child p({"serve"}, github_env(dir, gh));
  ASSERT_NE(started(p), 0) << p.log();
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; })) << p.log();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(gh.comments(github_ticket).size(), 1u);
}

TEST(tickets_e2e, sigkill_while_the_ticket_is_fetched_then_restart_gives_one_comment) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  // An edit whose payload has no body: the worker fetches the issue, and dies doing so.
  gh.add_issue("acme-corp/procurement", 42,
               {.title = "Northwind Skills Collective: GenAI Developer Bootcamp",
                .body = "Vendor: Northwind\n\nDays 1-4: Python basics. Final project: a toy chatbot.",
                .labels = {"ai-training"}});
  const auto partial = with_issue(github_body("issues.opened.json"),
                                  [](boost::json::object& issue) { issue.erase("body"); });
  gh.fail_next(1, test::fake_fault::hang(3s));
  {
    child p({"serve"}, github_env(dir, gh));
    const auto port = started(p);
    ASSERT_NE(port, 0) << p.log();
    ASSERT_EQ(github_hook(port, "issues", "k-2", partial).result_int(), 202);
    ASSERT_TRUE(eventually([&] { return !gh.calls().empty(); })) << p.log();
    ::kill(p.pid(), SIGKILL);
    EXPECT_EQ(p.wait_exit(), 128 + SIGKILL);
  }
  child p({"serve"}, github_env(dir, gh));
  ASSERT_NE(started(p), 0) << p.log();
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; })) << p.log();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(gh.comments(github_ticket).size(), 1u);
  EXPECT_NE(readable(gh.comments(github_ticket).front().body).find("toy"), std::string::npos);
}

TEST(tickets_e2e, sigkill_while_the_comment_is_posted_then_restart_edits_it_rather_than_posting_again) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  {
    child p({"serve"}, github_env(dir, gh));
    const auto port = started(p);
    ASSERT_NE(port, 0) << p.log();
    // The marker search answers at once; the POST is answered late (and takes effect), after the
    // bot is gone: the comment exists but the bot never learnt its id.
    gh.fail_next(1, test::fake_fault{});
    gh.fail_next(1, test::fake_fault::hang(2s));
    ASSERT_EQ(github_hook(port, "issues", "k-3", github_body("issues.opened.json")).result_int(), 202);
    ASSERT_TRUE(eventually([&] { return count_calls(gh, "POST") == 1; })) << p.log();
    ::kill(p.pid(), SIGKILL);
    EXPECT_EQ(p.wait_exit(), 128 + SIGKILL);
  }
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; }));
  child p({"serve"}, github_env(dir, gh));
  ASSERT_NE(started(p), 0) << p.log();
  ASSERT_TRUE(eventually([&] { return count_calls(gh, "PATCH") == 1; })) << p.log();
  EXPECT_EQ(gh.comments(github_ticket).size(), 1u);
  EXPECT_EQ(count_calls(gh, "POST"), 1u);
  EXPECT_TRUE(eventually([&] { return count_rows(dir, "SELECT count(*) FROM outbox WHERE state = 'delivered'") == 1; }));
}

TEST(tickets_e2e, forged_unsigned_and_malformed_webhooks_are_refused_and_store_nothing) {
  temp_dir dir;
  test::fake_github gh(std::string{github_token});
  seed(gh);
  child p({"serve"}, github_env(dir, gh));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  const auto body = github_body("issues.opened.json");
  test::connection c(port);
  auto res = c.round_trip(hook_post("/hooks/github", body,
                                    {{"X-GitHub-Event", "issues"}, {"X-GitHub-Delivery", "x-1"},
                                     {"X-Hub-Signature-256", "sha256=" + std::string(64, '0')}}));
  EXPECT_EQ(res.result_int(), 401);
  EXPECT_NE(res.body().find("signature does not match"), std::string::npos) << res.body();
  res = c.round_trip(hook_post("/hooks/github", body, {{"X-GitHub-Event", "issues"}}));
  EXPECT_EQ(res.result_int(), 401);
  // Signed with another secret.
  const integrations::github::webhook_verifier other("not-the-secret");
  res = c.round_trip(hook_post("/hooks/github", body,
                               {{"X-GitHub-Event", "issues"}, {"X-Hub-Signature-256", other.sign(body)}}));
  EXPECT_EQ(res.result_int(), 401);
  // A verified sender with a broken body: 400 with the reason (never a status senders retry).
  res = github_hook(port, "issues", "x-2", "{\"action\": \"opened\", \"issue\": ");
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_NE(res.body().find("JSON"), std::string::npos) << res.body();
  // Not a procurement ticket, and an event we do not handle: 202, ignored.
  const auto unlabelled = with_issue(body, [](boost::json::object& issue) { issue["labels"] = boost::json::array(); });
  res = github_hook(port, "issues", "x-3", unlabelled);
  EXPECT_EQ(res.result_int(), 202);
  EXPECT_EQ(status_of(res), "ignored");
  res = github_hook(port, "push", "x-4", "{}");
  EXPECT_EQ(status_of(res), "ignored");
  res = github_hook(port, "ping", "x-5", github_body("ping.json"));
  EXPECT_EQ(res.result_int(), 200);
  // Jira and GitLab are off: 404 naming the setting.
  res = c.round_trip(hook_post("/hooks/gitlab", body, {{"X-Gitlab-Token", "x"}}));
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_NE(res.body().find("GITLAB_WEBHOOK_TOKEN"), std::string::npos);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(count_rows(dir, "SELECT count(*) FROM inbox"), 0);
  EXPECT_TRUE(gh.calls().empty());
}

TEST(tickets_e2e, jira_cloud_reviews_the_attached_pdf_and_a_status_of_approved_records_the_decision) {
  temp_dir dir;
  test::fake_jira jira(test::fake_jira::deployment::cloud, "bot@acme.example", "jira-token");
  const std::vector<std::vector<std::string>> pages = {
      {"Ironbark Academy - LLMOps bootcamp", "Day 1: Python basics and an introduction to AI.",
       "Day 2: Python basics continued.", "Day 3: prompt engineering basics.",
       "Final project: a toy chatbot demo.", "Success is measured by attendance and certificates."}};
  test::fake_attachment pdf{.id = "10731", .filename = "ironbark-llmops-proposal.pdf",
                            .mime_type = "application/pdf", .bytes = test::make_pdf(pages)};
  jira.add_issue("PROC-12", {.title = "Ironbark Academy LLMOps bootcamp", .labels = {"ai-training"},
                             .attachments = {pdf}});
  auto created = boost::json::parse(fixture("jira/issue_created.json"));
  auto& att = created.as_object()["issue"].as_object()["fields"].as_object()["attachment"].as_array()[0].as_object();
  att["content"] = jira.attachment_url(pdf);
  att["size"] = pdf.bytes.size();
  const auto body = boost::json::serialize(created);

  auto env = env_for(dir);
  env["JIRA_WEBHOOK_SECRET"] = jira_secret;
  env["JIRA_BASE_URL"] = jira.api_url();
  env["JIRA_USER"] = "bot@acme.example";
  env["JIRA_API_TOKEN"] = "jira-token";
  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  const integrations::jira::webhook_verifier signer(jira_secret);
  const auto post = [&](const std::string& b, std::string id) {
    test::connection c(port);
    return c.round_trip(hook_post("/hooks/jira", b,
                                  {{"X-Hub-Signature", signer.sign(b)}, {"X-Atlassian-Webhook-Identifier", id}}));
  };
  auto res = post(body, "j-1");
  ASSERT_EQ(res.result_int(), 202) << res.body();
  ASSERT_TRUE(eventually([&] { return jira.comments("PROC-12").size() == 1; })) << p.log();
  const auto comment = jira.comments("PROC-12").front();
  EXPECT_NE(boost::json::parse(comment.body).as_object().at("type").as_string(), "");  // an ADF document
  EXPECT_NE(comment.body.find("ironbark-llmops-proposal.pdf"), std::string::npos);
  EXPECT_NE(comment.body.find("toy chatbot"), std::string::npos);
  EXPECT_EQ(comment.property_keys, (std::vector<std::string>{"playbook-bot.review"}));

  res = post(fixture("jira/issue_updated.approved.json"), "j-2");
  ASSERT_EQ(res.result_int(), 202) << res.body();
  ASSERT_TRUE(eventually([&] { return count_rows(dir, "SELECT count(*) FROM decisions") == 1; })) << p.log();
  SQLite::Database db((dir.path() / "playbook.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT d.outcome, d.ticket, v.name, d.source FROM decisions d JOIN vendors v ON v.id = d.vendor_id");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "approve");
  EXPECT_EQ(q.getColumn(1).getString(), "PROC-12");
  EXPECT_NE(q.getColumn(2).getString().find("Ironbark"), std::string::npos) << q.getColumn(2).getString();
  EXPECT_EQ(q.getColumn(3).getString(), "jira");
}

TEST(tickets_e2e, gitlab_gets_a_marked_note_and_closing_with_a_decision_label_records_it) {
  temp_dir dir;
  test::fake_gitlab gl(std::string{gitlab_token});
  gl.add_issue("acme/procurement/requests", 7, {.title = "x", .labels = {"ai-training"}});
  auto env = env_for(dir);
  env["GITLAB_WEBHOOK_TOKEN"] = gitlab_secret;
  env["GITLAB_TOKEN"] = gitlab_token;
  env["GITLAB_API_URL"] = gl.api_url();
  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  const auto project_id = gl.project_id("acme/procurement/requests");
  const auto post = [&](std::string b, std::string event, std::string key, std::string token) {
    // The fixtures' project id is the real one's; the fake numbers its projects itself.
    for (std::size_t at; (at = b.find("4711")) != std::string::npos;) b.replace(at, 4, project_id);
    test::connection c(port);
    return c.round_trip(hook_post("/hooks/gitlab", b,
                                  {{"X-Gitlab-Token", token}, {"X-Gitlab-Event", event}, {"Idempotency-Key", key}}));
  };
  EXPECT_EQ(post(fixture("gitlab/issue.open.json"), "Issue Hook", "g-0", "wrong").result_int(), 401);
  auto res = post(fixture("gitlab/issue.open.json"), "Issue Hook", "g-1", std::string(gitlab_secret));
  ASSERT_EQ(res.result_int(), 202) << res.body();
  ASSERT_TRUE(eventually([&] { return gl.comments("acme/procurement/requests#7").size() == 1; })) << p.log();
  EXPECT_TRUE(gl.comments("acme/procurement/requests#7").front().body.starts_with("<!-- playbook-bot:review -->"));
  // The bot's own note coming back as a Note Hook is ignored at the door.
  auto note = boost::json::parse(fixture("gitlab/note.issue.json"));
  note.as_object()["object_attributes"].as_object()["note"] = gl.comments("acme/procurement/requests#7").front().body;
  res = post(boost::json::serialize(note), "Note Hook", "g-2", std::string(gitlab_secret));
  EXPECT_EQ(status_of(res), "ignored") << res.body();
  res = post(fixture("gitlab/issue.close.json"), "Issue Hook", "g-3", std::string(gitlab_secret));
  ASSERT_EQ(res.result_int(), 202) << res.body();
  ASSERT_TRUE(eventually([&] { return count_rows(dir, "SELECT count(*) FROM decisions") == 1; })) << p.log();
  EXPECT_EQ(count_rows(dir, "SELECT count(*) FROM decisions WHERE outcome = 'reject' AND ticket = 'acme/procurement/requests#7'"), 1);
  EXPECT_EQ(gl.comments("acme/procurement/requests#7").size(), 1u);
}

TEST(tickets_e2e, jira_data_center_gets_wiki_markup_and_comment_events_fetch_the_issue_only_when_tracked) {
  temp_dir dir;
  test::fake_jira jira(test::fake_jira::deployment::datacenter, "", "dc-pat");
  jira.add_issue("PROC-12", {.title = "Ironbark Academy: LLMOps Bootcamp for the platform team",
                             .body = "h2. Vendor\n\nIronbark Academy GmbH\n\nDays 1-4: Python basics. "
                                     "Final project: a toy chatbot demo.",
                             .labels = {"ai-training"}});
  auto env = env_for(dir);
  env["JIRA_WEBHOOK_SECRET"] = jira_secret;
  env["JIRA_BASE_URL"] = jira.api_url();
  env["JIRA_DEPLOYMENT"] = "datacenter";
  env["JIRA_API_TOKEN"] = "dc-pat";
  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  const integrations::jira::webhook_verifier signer(jira_secret);
  const auto post = [&](const std::string& b) {  // Data Center sends no delivery id
    test::connection c(port);
    return c.round_trip(hook_post("/hooks/jira", b, {{"X-Hub-Signature", signer.sign(b)}}));
  };
  // A comment on a ticket the bot does not know: its labels are not in the payload, so it is
  // not taken on trust.
  const auto comment = fixture("jira/comment_created.json");
  auto res = post(comment);
  EXPECT_EQ(status_of(res), "ignored") << res.body();

  auto created = boost::json::parse(fixture("jira/issue_created.json"));
  auto& fields = created.as_object()["issue"].as_object()["fields"].as_object();
  fields["attachment"] = boost::json::array();
  fields["description"] = "h2. Vendor\n\nIronbark Academy GmbH\n\nDays 1-4: Python basics. Final project: a toy chatbot demo.";
  res = post(boost::json::serialize(created));
  ASSERT_EQ(status_of(res), "queued") << res.body();
  ASSERT_TRUE(eventually([&] { return jira.comments("PROC-12").size() == 1; })) << p.log();
  const auto posted = jira.comments("PROC-12").front();
  EXPECT_NE(posted.body.find("h3."), std::string::npos) << posted.body.substr(0, 300);  // wiki markup
  EXPECT_NE(posted.body.find("{noformat}"), std::string::npos);
  for (const auto& call : jira.calls()) {
    EXPECT_EQ(call.header("Authorization"), "Bearer dc-pat");
    EXPECT_TRUE(call.path().starts_with("/rest/api/2/")) << call.path();
  }
  // A colleague's comment on the tracked ticket: the issue is fetched, nothing changed, so no
  // review and no comment call. The byte-identical re-delivery is a duplicate.
  jira.clear_calls();
  ASSERT_EQ(status_of(post(comment)), "queued");
  EXPECT_EQ(status_of(post(comment)), "duplicate");
  ASSERT_TRUE(eventually([&] { return count_rows(dir, "SELECT count(*) FROM inbox WHERE state = 'pending'") == 0; }));
  const auto calls = jira.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls.front().method, "GET");
  EXPECT_EQ(count_rows(dir, "SELECT count(*) FROM reviews"), 1);
  // The bot's own comment coming back as an event is recognised by its id.
  auto own = boost::json::parse(comment);
  own.as_object()["comment"].as_object()["id"] = posted.id;
  jira.clear_calls();
  ASSERT_EQ(status_of(post(boost::json::serialize(own))), "queued");
  ASSERT_TRUE(eventually([&] { return count_rows(dir, "SELECT count(*) FROM inbox WHERE state = 'pending'") == 0; }));
  EXPECT_TRUE(jira.calls().empty());
  EXPECT_EQ(count_rows(dir, "SELECT count(*) FROM inbox WHERE note = 'the bot''s own comment'"), 1);
  EXPECT_EQ(jira.comments("PROC-12").size(), 1u);
}

TEST(tickets_e2e, comments_go_over_https_trusting_only_the_configured_ca) {
  temp_dir dir;
  const test::test_ca ca;
  test::fake_github gh(std::string{github_token}, {ca.localhost().cert, ca.localhost().key});
  seed(gh);
  ASSERT_TRUE(gh.api_url().starts_with("https://"));
  auto env = github_env(dir, gh);
  env["PLAYBOOK_CA_FILE"] = ca.ca_file();
  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  ASSERT_EQ(github_hook(port, "issues", "tls-1", github_body("issues.opened.json")).result_int(), 202);
  ASSERT_TRUE(eventually([&] { return gh.comments(github_ticket).size() == 1; })) << p.log();
}

TEST(tickets_e2e, a_certificate_not_in_the_trust_store_is_refused_and_nothing_is_posted) {
  temp_dir dir;
  const test::test_ca ca;
  test::fake_github gh(std::string{github_token}, {ca.self_signed().cert, ca.self_signed().key});
  seed(gh);
  auto env = github_env(dir, gh);
  env["PLAYBOOK_CA_FILE"] = ca.ca_file();  // trusts the test CA, not the self-signed certificate
  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.log();
  ASSERT_EQ(github_hook(port, "issues", "tls-2", github_body("issues.opened.json")).result_int(), 202);
  const auto line = p.wait_for_stderr_line("delivery attempt failed");
  ASSERT_FALSE(line.empty()) << p.log();
  EXPECT_NE(line.find("not trusted"), std::string::npos) << line;
  EXPECT_TRUE(gh.comments(github_ticket).empty());
}
