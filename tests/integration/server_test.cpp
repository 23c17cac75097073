// The real server on 127.0.0.1 with port 0, spoken to over HTTP: routing, verification, limits,
// keep-alive and graceful shutdown, end to end.

#include "bot/chat_service.hpp"
#include "bot/router.hpp"
#include "bot/server.hpp"
#include "knowledge/playbook.hpp"
#include "storage/database.hpp"
#include "tests/integration/test_client.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

namespace {

constexpr std::string_view secret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::string_view mm_token = "okwexkjpe7ygb8eq1ww58t483w";

// The whole service wired as main() wires it, on a free loopback port.
class live_server {
 public:
  explicit live_server(bot::server_limits limits = small_limits())
      : book_(knowledge::load_playbook("").value()),
        db_({.path = ":memory:"}),
        chat_(book_),
        settings_(make_settings()),
        router_(settings_, chat_, db_),
        server_(limits, [this](const bot::request& req, const bot::request_context& ctx) {
          return router_.handle(req, ctx);
        }) {
    server_.listen("127.0.0.1", 0);
    server_.start();
  }

  static bot::server_limits small_limits() {
    bot::server_limits l;
    l.body_limit = 4096;
    l.header_limit = 2048;
    l.threads = 2;
    return l;
  }

  std::uint16_t port() const { return server_.port(); }
  bot::server& server() { return server_; }

 private:
  static bot::settings make_settings() {
    bot::settings s;
    s.slack_signing_secret = std::string(secret);
    s.mattermost_command_tokens = {std::string(mm_token)};
    return s;
  }

  knowledge::playbook book_;
  storage::database db_;
  bot::chat_service chat_;
  bot::settings settings_;
  bot::router router_;
  bot::server server_;
};

boost::json::object json_of(const test::response& res) {
  return boost::json::parse(res.body()).as_object();
}

// Waits (bounded) until cond holds; for state that another thread changes.
template <class F>
bool eventually(F cond) {
  for (int i = 0; i < 1000; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

TEST(server, signed_slack_command_gets_the_criteria) {
  live_server srv;
  test::connection c(srv.port());
  auto res = c.round_trip(test::slack_post(secret, test::unix_now(), test::command_body("criteria")));
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[test::http::field::content_type], "application/json");
  EXPECT_FALSE(res["X-Request-Id"].empty());
  const auto body = json_of(res);
  EXPECT_EQ(body.at("response_type").as_string(), "ephemeral");
  EXPECT_GT(body.at("blocks").as_array().size(), 2u);
  EXPECT_NE(res.body().find("Practitioner instructors"), std::string::npos);
  EXPECT_NE(res.body().find("Hands-on keyboard time"), std::string::npos);
}

TEST(server, public_modifier_answers_in_channel) {
  live_server srv;
  test::connection c(srv.port());
  auto res = c.round_trip(
      test::slack_post(secret, test::unix_now(), test::command_body("criteria public")));
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(json_of(res).at("response_type").as_string(), "in_channel");
}

TEST(server, bad_slack_signature_is_401) {
  live_server srv;
  test::connection c(srv.port());
  auto req = test::slack_post(secret, test::unix_now(), test::command_body("criteria"));
  req.set("X-Slack-Signature", "v0=" + std::string(64, '0'));
  auto res = c.round_trip(std::move(req));
  EXPECT_EQ(res.result_int(), 401);
  EXPECT_TRUE(json_of(res).at("error").is_string());
  EXPECT_EQ(res.body().find(secret), std::string::npos);
}

TEST(server, signature_from_another_secret_is_401) {
  live_server srv;
  test::connection c(srv.port());
  auto res = c.round_trip(
      test::slack_post("not-the-secret", test::unix_now(), test::command_body("criteria")));
  EXPECT_EQ(res.result_int(), 401);
}

TEST(server, stale_slack_request_is_401) {
  live_server srv;
  test::connection c(srv.port());
  auto res = c.round_trip(
      test::slack_post(secret, test::unix_now() - 301, test::command_body("criteria")));
  EXPECT_EQ(res.result_int(), 401);
  EXPECT_NE(json_of(res).at("error").as_string().find("5-minute"), std::string::npos);
}

TEST(server, body_over_the_limit_is_413_and_closes) {
  live_server srv;
  test::connection c(srv.port());
  auto res = c.round_trip(test::slack_post(secret, test::unix_now(), std::string(8192, 'a')));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_FALSE(res["X-Request-Id"].empty());
  EXPECT_TRUE(json_of(res).at("error").is_string());
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(server, declared_length_over_the_limit_is_refused_before_the_body) {
  live_server srv;
  test::connection c(srv.port());
  c.write(
      "POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\n");
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 413);
}

TEST(server, headers_over_the_limit_are_431) {
  live_server srv;
  test::connection c(srv.port());
  c.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(4096, 'p') + "\r\n\r\n");
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 431);
}

TEST(server, malformed_form_is_400_naming_the_problem) {
  live_server srv;
  test::connection c(srv.port());
  auto res = c.round_trip(
      test::slack_post(secret, test::unix_now(), "command=%2Fplaybook&user_id=U1&text=%zz"));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_NE(json_of(res).at("error").as_string().find("percent-escape"), std::string::npos);
}

TEST(server, malformed_http_is_400) {
  live_server srv;
  test::connection c(srv.port());
  c.write("BLAH\x01 / HTTP/1.1\r\n\r\n");
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 400);
}

TEST(server, mattermost_wrong_token_is_401) {
  live_server srv;
  test::connection c(srv.port());
  auto req = test::form_post("/mattermost/commands",
                             "token=wrong&command=%2Fplaybook&user_id=u1&text=criteria");
  req.set(test::http::field::authorization, "Token wrong");
  auto res = c.round_trip(std::move(req));
  EXPECT_EQ(res.result_int(), 401);
}

TEST(server, mattermost_command_gets_markdown) {
  live_server srv;
  test::connection c(srv.port());
  auto req = test::form_post("/mattermost/commands", "token=" + std::string(mm_token) +
                                                         "&command=%2Fplaybook&user_id=u1&text=red+flags");
  req.set(test::http::field::authorization, "Token " + std::string(mm_token));
  auto res = c.round_trip(std::move(req));
  ASSERT_EQ(res.result_int(), 200);
  const auto body = json_of(res);
  EXPECT_EQ(body.at("response_type").as_string(), "ephemeral");
  EXPECT_NE(body.at("text").as_string().find("Toy final project"), std::string::npos);
}

TEST(server, mattermost_get_with_query_string_works) {
  live_server srv;
  test::connection c(srv.port());
  test::request req{test::http::verb::get,
                    "/mattermost/commands?token=" + std::string(mm_token) +
                        "&command=%2Fplaybook&user_id=u1&text=questions",
                    11};
  req.set(test::http::field::host, "x");
  auto res = c.round_trip(std::move(req));
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find("professional trainers"), std::string::npos);
}

TEST(server, keep_alive_serves_several_requests_on_one_connection) {
  live_server srv;
  test::connection c(srv.port());
  for (const char* text : {"criteria", "red-flags", "questions", "types mooc"}) {
    auto res = c.round_trip(test::slack_post(secret, test::unix_now(), test::command_body(text)));
    ASSERT_EQ(res.result_int(), 200) << text;
    EXPECT_TRUE(res.keep_alive()) << text;
  }
  test::request health{test::http::verb::get, "/healthz", 11};
  health.set(test::http::field::host, "x");
  EXPECT_EQ(c.round_trip(health).result_int(), 200);
  EXPECT_EQ(srv.server().connections(), 1u);
}

TEST(server, pipelined_requests_are_answered_in_order) {
  live_server srv;
  test::connection c(srv.port());
  c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = c.read_response();
  auto second = c.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->result_int(), 200);
  EXPECT_EQ(second->result_int(), 404);
}

TEST(server, unknown_path_is_404_and_wrong_method_405) {
  live_server srv;
  test::connection c(srv.port());
  test::request nope{test::http::verb::get, "/nope", 11};
  nope.set(test::http::field::host, "x");
  auto res = c.round_trip(nope);
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_TRUE(json_of(res).at("error").is_string());
  test::request wrong{test::http::verb::get, "/slack/commands", 11};
  wrong.set(test::http::field::host, "x");
  res = c.round_trip(wrong);
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(res[test::http::field::allow], "POST");
}

TEST(server, readyz_reports_database_and_playbook) {
  live_server srv;
  test::connection c(srv.port());
  test::request req{test::http::verb::get, "/readyz", 11};
  req.set(test::http::field::host, "x");
  auto res = c.round_trip(req);
  ASSERT_EQ(res.result_int(), 200);
  const auto checks = json_of(res).at("checks").as_object();
  EXPECT_EQ(checks.at("database").as_string(), "ok");
  EXPECT_EQ(checks.at("playbook").as_string(), "ok");
}

TEST(server, expect_100_continue_gets_an_interim_response) {
  live_server srv;
  test::connection c(srv.port());
  const std::string body = test::command_body("criteria");
  auto req = test::slack_post(secret, test::unix_now(), body);
  req.set(test::http::field::expect, "100-continue");
  c.write(test::head_of(req));
  auto interim = c.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result_int(), 100);
  c.write(body);
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
}

TEST(server, connections_over_the_limit_get_503) {
  auto limits = live_server::small_limits();
  limits.max_connections = 2;
  live_server srv(limits);
  test::connection a(srv.port());
  test::connection b(srv.port());
  ASSERT_TRUE(eventually([&] { return srv.server().connections() == 2; }));
  test::connection third(srv.port());
  auto res = third.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 503);
  EXPECT_TRUE(boost::json::parse(res->body()).as_object().at("error").is_string());
}

TEST(server, silent_connection_is_closed_after_the_header_deadline) {
  auto limits = live_server::small_limits();
  limits.header_timeout = std::chrono::milliseconds(200);
  live_server srv(limits);
  test::connection c(srv.port());
  EXPECT_TRUE(c.closed_by_peer());  // the socket's own 10 s read timeout bounds the wait
}

TEST(server, headers_that_stop_arriving_end_the_connection) {
  auto limits = live_server::small_limits();
  limits.header_timeout = std::chrono::milliseconds(200);
  live_server srv(limits);
  test::connection c(srv.port());
  c.write("GET /healthz HTTP/1.1\r\nHo");
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_TRUE(eventually([&] { return srv.server().connections() == 0; }));
}

TEST(server, body_that_stops_arriving_ends_the_connection) {
  auto limits = live_server::small_limits();
  limits.body_timeout = std::chrono::milliseconds(200);
  live_server srv(limits);
  test::connection c(srv.port());
  auto req = test::slack_post(secret, test::unix_now(), test::command_body("criteria"));
  c.write(test::head_of(req) + "command=");
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_TRUE(eventually([&] { return srv.server().in_flight() == 0; }));
}

TEST(server, graceful_shutdown_finishes_the_request_in_flight) {
  live_server srv;
  test::connection c(srv.port());
  const std::string body = test::command_body("criteria");
  auto req = test::slack_post(secret, test::unix_now(), body);
  // Headers and half the body: the request is in flight when the shutdown begins.
  c.write(test::head_of(req) + body.substr(0, body.size() / 2));
  ASSERT_TRUE(eventually([&] { return srv.server().in_flight() == 1; }));

  srv.server().stop();
  // New connections are no longer accepted once the listener has closed.
  ASSERT_TRUE(eventually([&] {
    try {
      test::connection probe(srv.port());
      probe.set_read_timeout(1);
      return probe.closed_by_peer();
    } catch (const std::exception&) {
      return true;
    }
  }));

  c.write(body.substr(body.size() / 2));
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_FALSE(res->keep_alive());
  EXPECT_NE(res->body().find("Practitioner instructors"), std::string::npos);
  EXPECT_TRUE(srv.server().wait());
}

TEST(server, shutdown_does_not_wait_for_idle_connections) {
  live_server srv;
  test::connection idle(srv.port());
  ASSERT_TRUE(eventually([&] { return srv.server().connections() == 1; }));
  srv.server().stop();
  EXPECT_TRUE(srv.server().wait());
}

}  // namespace
