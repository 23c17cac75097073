// Running the real binary as an operator would: Microsoft Teams end to end, /metrics, one server
// per database, backups taken while the server writes, restore refused while it runs, check, and
// the container's healthcheck.

#include "integrations/http/crypto.hpp"
#include "tests/integration/bot_process.hpp"
#include "tests/integration/test_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace {

using test::child;
using test::temp_dir;
namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view slack_secret = "operations-test-signing-secret";
constexpr std::string_view teams_token = "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=";
constexpr std::string_view teams_user = "6a1b0c4e-0000-4bcd-8000-00000000abcd";  // aadObjectId

std::map<std::string, std::string> env_for(const temp_dir& dir) {
  return {{"PLAYBOOK_LISTEN", "127.0.0.1:0"},
          {"PLAYBOOK_DB", (dir.path() / "var" / "playbook.db").string()},
          {"SLACK_SIGNING_SECRET", std::string(slack_secret)},
          {"TEAMS_HMAC_SECRET", std::string(teams_token)},
          {"PLAYBOOK_DECIDERS", "teams:" + std::string(teams_user)},
          {"PLAYBOOK_THREADS", "2"}};
}

std::uint16_t started(child& p) {
  const auto line = p.wait_for_stderr_line("\"msg\":\"listening\"");
  if (line.empty()) return 0;
  return static_cast<std::uint16_t>(json::parse(line).as_object().at("port").as_int64());
}

std::string teams_activity(std::string_view text, std::string_view aad = teams_user) {
  return json::serialize(json::object{
      {"type", "message"},
      {"id", "1732800000000"},
      {"channelId", "msteams"},
      {"serviceUrl", "https://smba.trafficmanager.net/emea/"},
      {"text", text},
      {"textFormat", "plain"},
      {"from", {{"id", "29:1xyz"}, {"name", "Dana Lee"}, {"aadObjectId", aad}}},
      {"conversation", {{"isGroup", true}, {"id", "19:abc@thread.skype;messageid=1732800000000"}}},
      {"channelData", {{"teamsChannelId", "19:abc@thread.skype"}, {"teamsTeamId", "19:team@thread.skype"}}}});
}

test::request teams_post(std::string body, std::string_view token = teams_token) {
  const auto key = integrations::crypto::base64_decode(token).value();
  const auto mac = integrations::crypto::hmac_sha256(key).mac({body});
  test::request req{http::verb::post, "/teams/messages", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json; charset=utf-8");
  req.set(http::field::authorization,
          "HMAC " + integrations::crypto::base64_encode(
                        std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size())));
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

test::request get(std::string_view target, std::string_view bearer = "") {
  test::request req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + std::string(bearer));
  return req;
}

bool has(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The value of one exposed series ("name{labels}"), -1 when absent.
double sample(const std::string& text, std::string_view series) {
  const auto at = text.find("\n" + std::string(series) + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST(operations, teams_answers_records_and_looks_up_a_decision) {
  temp_dir dir;
  child p({"serve"}, env_for(dir));
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.err();
  EXPECT_TRUE(has(p.log(), "\"teams\":\"on\""));
  test::connection c(port);

  const auto criteria = c.round_trip(teams_post(teams_activity("<at>Playbook</at> criteria")));
  ASSERT_EQ(criteria.result_int(), 200) << criteria.body();
  EXPECT_EQ(json::parse(criteria.body()).as_object().at("type"), "message");

  const auto decided = c.round_trip(teams_post(teams_activity(
      "<at>Playbook</at> decide Contoso Learning reject &#8212; slideware, no production projects")));
  ASSERT_EQ(decided.result_int(), 200) << decided.body();
  EXPECT_TRUE(has(decided.body(), "Decision recorded")) << decided.body();
  const auto recorded = p.wait_for_stderr_line("\"msg\":\"decision recorded\"");
  EXPECT_TRUE(has(recorded, "\"request_id\":\"" + std::string(decided["X-Request-Id"]) + "\""))
      << recorded;
  EXPECT_TRUE(has(recorded, "\"platform\":\"teams\"")) << recorded;

  const auto refused = c.round_trip(teams_post(
      teams_activity("<at>Playbook</at> decide Contoso Learning approve fine", "someone-else")));
  EXPECT_TRUE(has(refused.body(), "may not record")) << refused.body();

  const auto vendor = c.round_trip(teams_post(teams_activity("<at>Playbook</at> vendor contoso learning")));
  ASSERT_EQ(vendor.result_int(), 200) << vendor.body();
  EXPECT_TRUE(has(vendor.body(), "application/vnd.microsoft.card.adaptive")) << vendor.body();
  EXPECT_TRUE(has(vendor.body(), "slideware")) << vendor.body();
  EXPECT_LT(vendor.body().size(), 28'000u);

  // Forged and malformed requests: refused, and nothing recorded.
  auto forged = teams_post(teams_activity("<at>Playbook</at> decide Evil Corp approve yes"));
  forged.body() += " ";
  forged.prepare_payload();
  EXPECT_EQ(c.round_trip(forged).result_int(), 401);
  EXPECT_EQ(c.round_trip(teams_post("{\"type\":\"message\"")).result_int(), 400);
  const auto evil = c.round_trip(teams_post(teams_activity("<at>Playbook</at> vendor Evil Corp")));
  EXPECT_FALSE(has(evil.body(), "Decision recorded"));
  EXPECT_FALSE(has(evil.body(), "approved"));

  // A pasted proposal is reviewed into a card; neither its text nor the token reaches the log.
  const auto review = c.round_trip(teams_post(teams_activity(
      "<at>Playbook</at> review Zanzibar-Quokka bootcamp: prompt engineering with ChatGPT for all "
      "staff, certificate of completion, success measured by attendance.")));
  ASSERT_EQ(review.result_int(), 200) << review.body();
  EXPECT_TRUE(has(review.body(), "AdaptiveCard")) << review.body();
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(), 0);
  EXPECT_FALSE(has(p.err(), "Zanzibar-Quokka"));
  EXPECT_FALSE(has(p.err(), teams_token));
  EXPECT_TRUE(has(p.err(), "\"path\":\"/teams/messages\""));
}

TEST(operations, metrics_count_requests_and_need_the_token_when_one_is_set) {
  temp_dir dir;
  auto env = env_for(dir);
  env["PLAYBOOK_METRICS_TOKEN"] = "scrape-secret-9";
  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.err();
  test::connection c(port);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.round_trip(get("/healthz")).result_int(), 200);
  auto bad = teams_post(teams_activity("<at>Playbook</at> criteria"), "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
  EXPECT_EQ(c.round_trip(bad).result_int(), 401);

  EXPECT_EQ(c.round_trip(get("/metrics")).result_int(), 401);
  EXPECT_EQ(c.round_trip(get("/metrics", "wrong")).result_int(), 401);
  const auto m = c.round_trip(get("/metrics", "scrape-secret-9"));
  ASSERT_EQ(m.result_int(), 200);
  EXPECT_TRUE(has(std::string(m[http::field::content_type]), "text/plain; version=0.0.4"));
  const std::string text = m.body();
  EXPECT_EQ(sample(text, R"(playbook_http_requests_total{route="/healthz",status="200"})"), 3) << text;
  EXPECT_EQ(sample(text, R"(playbook_signature_failures_total{platform="teams"})"), 1);
  EXPECT_EQ(sample(text, R"(playbook_signature_failures_total{platform="metrics"})"), 2);
  EXPECT_EQ(sample(text, R"(playbook_queue_depth{queue="outbox",state="pending"})"), 0);
  EXPECT_TRUE(has(text, "playbook_build_info{schema_version=\"")) << text;
  EXPECT_TRUE(has(text, "playbook_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"}"));
  EXPECT_TRUE(has(text, "playbook_sqlite_busy_retries_total "));
  // The warning about an open /metrics is for non-loopback listeners without a token only.
  EXPECT_FALSE(has(p.log(), "PLAYBOOK_METRICS_TOKEN or keep"));
}

TEST(operations, a_second_server_on_the_same_database_is_refused) {
  temp_dir dir;
  child first({"serve"}, env_for(dir));
  ASSERT_NE(started(first), 0) << first.err();
  child second({"serve"}, env_for(dir));
  EXPECT_EQ(second.wait_exit(), 1);
  EXPECT_TRUE(has(second.err(), "in use by another playbook-bot")) << second.err();
  EXPECT_TRUE(has(second.err(), std::to_string(first.pid()))) << second.err();
}

TEST(operations, backup_while_serving_restore_after_stopping_and_check) {
  temp_dir dir;
  const auto env = env_for(dir);
  const auto backup = (dir.path() / "backups" / "playbook-1.db").string();
  std::filesystem::create_directories(dir.path() / "backups");
  {
    child p({"serve"}, env);
    const auto port = started(p);
    ASSERT_NE(port, 0) << p.err();
    test::connection c(port);
    for (int i = 0; i < 5; ++i) {
      const auto r = c.round_trip(teams_post(teams_activity(
          "<at>Playbook</at> decide Vendor " + std::to_string(i) + " approve good labs")));
      ASSERT_TRUE(has(r.body(), "Decision recorded")) << r.body();
    }
    // Decisions keep arriving while the backup runs; the copy is consistent all the same.
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      test::connection w(port);
      for (int i = 100; !stop; ++i)
        w.round_trip(teams_post(teams_activity(
            "<at>Playbook</at> decide Busy " + std::to_string(i) + " defer later")));
    });
    child b({"backup", backup}, env);
    const int status = b.wait_exit();
    stop = true;
    writer.join();
    ASSERT_EQ(status, 0) << b.err();
    EXPECT_TRUE(has(b.out(), "backed up")) << b.out();

    child refused({"restore", backup}, env);
    EXPECT_EQ(refused.wait_exit(), 1);
    EXPECT_TRUE(has(refused.err(), "running playbook-bot")) << refused.err();

    child checked({"check"}, env);  // safe while the server runs
    EXPECT_EQ(checked.wait_exit(), 0) << checked.err();
    EXPECT_TRUE(has(checked.out(), ": ok")) << checked.out();

    p.signal(SIGTERM);
    EXPECT_EQ(p.wait_exit(), 0);
  }
  child copy_check({"check"}, [&] {
    auto e = env;
    e["PLAYBOOK_DB"] = backup;
    return e;
  }());
  EXPECT_EQ(copy_check.wait_exit(), 0) << copy_check.err();

  child restored({"restore", backup}, env);
  ASSERT_EQ(restored.wait_exit(), 0) << restored.err();
  EXPECT_TRUE(has(restored.out(), "kept the current database")) << restored.out();

  child p({"serve"}, env);
  const auto port = started(p);
  ASSERT_NE(port, 0) << p.err();
  test::connection c(port);
  for (int i = 0; i < 5; ++i) {
    const auto v = c.round_trip(teams_post(teams_activity("<at>Playbook</at> vendor Vendor " + std::to_string(i))));
    EXPECT_TRUE(has(v.body(), "good labs")) << v.body();
  }

  child healthy({"healthcheck"}, [&] {
    auto e = env;
    e["PLAYBOOK_LISTEN"] = "0.0.0.0:" + std::to_string(port);
    return e;
  }());
  EXPECT_EQ(healthy.wait_exit(), 0) << healthy.err();
}

}  // namespace
