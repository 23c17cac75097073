// The HTTP handler called directly with Beast requests (no sockets) and a clock fixed at the time
// of Slack's official signing example.

#include "bot/router.hpp"

#include "bot/log.hpp"
#include "integrations/slack/verify.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace {

namespace json = boost::json;
namespace http = boost::beast::http;

constexpr std::int64_t vector_time = 1531420618;
constexpr std::string_view slack_secret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::string_view mattermost_token = "okwexkjpe7ygb8eq1ww58t483w";

// Slack's official example (chat-platforms.md section 7): its text is empty, so the answer is help.
constexpr std::string_view vector_body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&"
    "channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&"
    "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIG"
    "lgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
constexpr std::string_view vector_signature =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

using test::book;

const bot::chat_service& chat() {
  static const bot::chat_service s(book(), "/playbook");
  return s;
}

storage::database& db() {
  static storage::database d(storage::database_options{":memory:", 1000});
  return d;
}

bot::settings enabled_settings() {
  bot::settings s;
  s.slack_signing_secret = std::string(slack_secret);
  s.mattermost_command_tokens = {std::string(mattermost_token), "second-token"};
  return s;
}

// Every router is built with the fixed clock; the settings must outlive it.
struct fixture {
  bot::settings config;
  bot::router router;
  explicit fixture(bot::settings s = enabled_settings())
      : config(std::move(s)), router(config, chat(), db(), [] { return vector_time; }) {}

  bot::response handle(const bot::request& req, bool draining = false) const {
    return router.handle(req, bot::request_context{"test-request", draining});
  }
};

bot::request make_request(http::verb method, std::string_view target, std::string body = {},
                          std::string_view content_type = "application/x-www-form-urlencoded") {
  bot::request req{method, target, 11};
  req.set(http::field::host, "bot.example");
  if (!content_type.empty() && !body.empty()) req.set(http::field::content_type, content_type);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

std::string sign(std::string_view timestamp, std::string_view body) {
  return integrations::slack::request_verifier(slack_secret).sign(timestamp, body);
}

bot::request slack_request(std::string body, std::int64_t timestamp = vector_time,
                           std::string_view content_type = "application/x-www-form-urlencoded") {
  auto req = make_request(http::verb::post, "/slack/commands", body, content_type);
  const auto ts = std::to_string(timestamp);
  req.set("X-Slack-Request-Timestamp", ts);
  req.set("X-Slack-Signature", sign(ts, body));
  return req;
}

std::string slack_body(std::string_view text) {
  return "token=t&team_id=T1&user_id=U1&user_name=ann&command=%2Fplaybook&text=" + std::string(text) +
         "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2Fx";
}

std::string mattermost_form(std::string_view token, std::string_view text) {
  std::string out = "command=%2Fplaybook&user_id=u1&channel_id=c1&text=" + std::string(text);
  if (!token.empty()) out += "&token=" + std::string(token);
  return out;
}

json::value parse_body(const bot::response& res) {
  boost::system::error_code ec;
  auto v = json::parse(res.body(), ec);
  if (ec) ADD_FAILURE() << "body is not JSON: " << res.body();
  return v;
}

// A non-2xx answer: JSON {"error": "..."}, the secrets nowhere in it.
std::string expect_error(const bot::response& res, http::status status) {
  EXPECT_EQ(res.result(), status) << res.body();
  EXPECT_EQ(res[http::field::content_type], "application/json");
  const auto v = parse_body(res);
  if (!v.is_object() || !v.as_object().contains("error") || !v.at("error").is_string()) {
    ADD_FAILURE() << "no \"error\" string: " << res.body();
    return {};
  }
  EXPECT_FALSE(v.at("error").as_string().empty());
  EXPECT_EQ(res.body().find(slack_secret), std::string::npos);
  EXPECT_EQ(res.body().find(mattermost_token), std::string::npos);
  return std::string(v.at("error").as_string());
}

// Quiets the "request rejected" warnings the router writes for refused requests.
class quiet_logs : public ::testing::Test {
 protected:
  void SetUp() override { bot::log::set_level("error"); }
  void TearDown() override { bot::log::set_level("info"); }
};

class router : public quiet_logs {};

}  // namespace

// --- Slack ------------------------------------------------------------------------------------

TEST_F(router, slack_official_vector_is_accepted_and_answered_with_help) {
  fixture f;
  auto req = make_request(http::verb::post, "/slack/commands", std::string(vector_body));
  req.set("X-Slack-Request-Timestamp", std::to_string(vector_time));
  req.set("X-Slack-Signature", vector_signature);
  const auto res = f.handle(req);
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(res[http::field::content_type], "application/json");
  const auto v = parse_body(res);
  EXPECT_EQ(v.at("response_type").as_string(), "ephemeral");
  const auto& blocks = v.at("blocks").as_array();
  ASSERT_FALSE(blocks.empty());
  EXPECT_EQ(blocks[0].at("text").at("text").as_string(), book().title);
  EXPECT_NE(res.body().find("/playbook criteria"), std::string::npos);
  EXPECT_EQ(res.body().find(slack_secret), std::string::npos);
}

TEST_F(router, slack_signed_criteria_is_answered_with_the_criteria) {
  fixture f;
  const auto res = f.handle(slack_request(slack_body("criteria")));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  const auto v = parse_body(res);
  EXPECT_EQ(v.at("response_type").as_string(), "ephemeral");
  for (const auto& i : book().criteria.items)
    EXPECT_NE(res.body().find(i.title), std::string::npos) << i.title;
  EXPECT_EQ(res.body(), chat().respond(integrations::platform::slack, "criteria"));
}

TEST_F(router, slack_public_answer_goes_to_the_channel) {
  fixture f;
  const auto res = f.handle(slack_request(slack_body("red+flags+public")));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(parse_body(res).at("response_type").as_string(), "in_channel");
}

TEST_F(router, slack_text_is_unescaped_before_it_is_parsed) {
  fixture f;
  // Slack sends "types mooc" as "types+mooc"; '&' inside text arrives as &amp; → %26amp%3B.
  const auto res = f.handle(slack_request(slack_body("types+MOOC")));
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res.body(), chat().respond(integrations::platform::slack, "types mooc"));
}

TEST_F(router, slack_bad_signature_is_401) {
  fixture f;
  auto req = slack_request(slack_body("criteria"));
  std::string sig(req["X-Slack-Signature"]);
  sig.back() = sig.back() == '0' ? '1' : '0';
  req.set("X-Slack-Signature", sig);
  expect_error(f.handle(req), http::status::unauthorized);
}

TEST_F(router, slack_body_changed_after_signing_is_401) {
  fixture f;
  auto req = slack_request(std::string(vector_body));
  req.body() += "------";
  req.prepare_payload();
  expect_error(f.handle(req), http::status::unauthorized);
}

TEST_F(router, slack_signature_made_with_another_secret_is_401) {
  fixture f;
  auto req = slack_request(slack_body("criteria"));
  req.set("X-Slack-Signature", integrations::slack::request_verifier("other-secret")
                                   .sign(std::to_string(vector_time), req.body()));
  expect_error(f.handle(req), http::status::unauthorized);
}

TEST_F(router, slack_stale_or_future_timestamp_is_401) {
  fixture f;
  const auto max = integrations::slack::request_verifier::max_skew_seconds;
  expect_error(f.handle(slack_request(slack_body("criteria"), vector_time - max - 1)),
               http::status::unauthorized);
  expect_error(f.handle(slack_request(slack_body("criteria"), vector_time + max + 1)),
               http::status::unauthorized);
  // Within the window both ways is fine.
  EXPECT_EQ(f.handle(slack_request(slack_body("criteria"), vector_time - max)).result(),
            http::status::ok);
  EXPECT_EQ(f.handle(slack_request(slack_body("criteria"), vector_time + max)).result(),
            http::status::ok);
}

TEST_F(router, slack_vector_with_the_real_clock_is_stale) {
  const bot::settings config = enabled_settings();
  const bot::router real_clock(config, chat(), db());
  auto req = make_request(http::verb::post, "/slack/commands", std::string(vector_body));
  req.set("X-Slack-Request-Timestamp", std::to_string(vector_time));
  req.set("X-Slack-Signature", vector_signature);
  expect_error(real_clock.handle(req, {}), http::status::unauthorized);
}

TEST_F(router, slack_missing_headers_is_401) {
  fixture f;
  auto no_sig = slack_request(slack_body("criteria"));
  no_sig.erase("X-Slack-Signature");
  expect_error(f.handle(no_sig), http::status::unauthorized);

  auto no_ts = slack_request(slack_body("criteria"));
  no_ts.erase("X-Slack-Request-Timestamp");
  expect_error(f.handle(no_ts), http::status::unauthorized);

  expect_error(f.handle(make_request(http::verb::post, "/slack/commands", slack_body("criteria"))),
               http::status::unauthorized);
}

TEST_F(router, slack_repeated_signature_or_timestamp_header_is_401) {
  fixture f;
  auto sig = slack_request(slack_body("criteria"));
  const std::string good(sig["X-Slack-Signature"]);
  sig.insert("X-Slack-Signature", good);
  expect_error(f.handle(sig), http::status::unauthorized);

  auto ts = slack_request(slack_body("criteria"));
  ts.insert("X-Slack-Request-Timestamp", std::to_string(vector_time));
  expect_error(f.handle(ts), http::status::unauthorized);
}

TEST_F(router, slack_malformed_signature_or_timestamp_is_401) {
  fixture f;
  for (std::string_view sig : {"", "v0=", "v0=zz", "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
                               "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"}) {
    auto req = slack_request(slack_body("criteria"));
    req.set("X-Slack-Signature", sig);
    expect_error(f.handle(req), http::status::unauthorized);
  }
  for (std::string_view ts : {"", "abc", "1531420618.5", "-1", "99999999999999999999999"}) {
    auto req = slack_request(slack_body("criteria"));
    req.set("X-Slack-Request-Timestamp", ts);
    expect_error(f.handle(req), http::status::unauthorized);
  }
}

TEST_F(router, slack_ssl_check_is_200_without_a_signature) {
  fixture f;
  const auto res =
      f.handle(make_request(http::verb::post, "/slack/commands", "ssl_check=1&token=xyz"));
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res.body(), "{}");
}

TEST_F(router, slack_signed_malformed_form_is_400_naming_the_escape) {
  fixture f;
  const auto e = expect_error(f.handle(slack_request(slack_body("%zz"))), http::status::bad_request);
  EXPECT_NE(e.find("percent-escape"), std::string::npos) << e;
  EXPECT_NE(e.find("byte"), std::string::npos) << e;
}

TEST_F(router, slack_signed_form_without_command_is_400_naming_the_field) {
  fixture f;
  const auto e = expect_error(f.handle(slack_request("user_id=U1&text=criteria")),
                              http::status::bad_request);
  EXPECT_NE(e.find("command"), std::string::npos) << e;

  const auto twice = expect_error(f.handle(slack_request(slack_body("a") + "&text=b")),
                                  http::status::bad_request);
  EXPECT_NE(twice.find("text"), std::string::npos) << twice;
}

TEST_F(router, slack_signed_body_with_the_wrong_content_type_is_415) {
  fixture f;
  expect_error(f.handle(slack_request(slack_body("criteria"), vector_time, "application/json")),
               http::status::unsupported_media_type);
  expect_error(f.handle(slack_request(slack_body("criteria"), vector_time, "")),
               http::status::unsupported_media_type);
}

TEST_F(router, slack_content_type_with_charset_and_other_case_is_a_form) {
  fixture f;
  const auto res = f.handle(slack_request(
      slack_body("criteria"), vector_time, "Application/X-WWW-Form-Urlencoded; charset=utf-8"));
  EXPECT_EQ(res.result(), http::status::ok) << res.body();
}

TEST_F(router, slack_disabled_is_404_saying_so) {
  bot::settings s = enabled_settings();
  s.slack_signing_secret.clear();
  fixture f(s);
  const auto e = expect_error(f.handle(slack_request(slack_body("criteria"))), http::status::not_found);
  EXPECT_NE(e.find("disabled"), std::string::npos) << e;
  EXPECT_NE(e.find("SLACK_SIGNING_SECRET"), std::string::npos) << e;
}

TEST_F(router, slack_only_takes_post) {
  fixture f;
  const auto res = f.handle(make_request(http::verb::get, "/slack/commands"));
  expect_error(res, http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "POST");
}

// --- Mattermost --------------------------------------------------------------------------------

TEST_F(router, mattermost_post_with_the_right_token_is_answered) {
  fixture f;
  const auto res = f.handle(make_request(http::verb::post, "/mattermost/commands",
                                         mattermost_form(mattermost_token, "criteria")));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  const auto v = parse_body(res);
  EXPECT_EQ(v.at("response_type").as_string(), "ephemeral");
  EXPECT_NE(std::string(v.at("text").as_string()).find(book().criteria.items[0].title),
            std::string::npos);
  EXPECT_EQ(res.body().find(mattermost_token), std::string::npos);
}

TEST_F(router, mattermost_accepts_any_configured_token) {
  fixture f;
  const auto res = f.handle(make_request(http::verb::post, "/mattermost/commands",
                                         mattermost_form("second-token", "questions+public")));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(parse_body(res).at("response_type").as_string(), "in_channel");
}

TEST_F(router, mattermost_authorization_token_header_is_accepted) {
  fixture f;
  auto req = make_request(http::verb::post, "/mattermost/commands", mattermost_form("", "criteria"));
  req.set(http::field::authorization, "Token " + std::string(mattermost_token));
  const auto res = f.handle(req);
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_TRUE(parse_body(res).as_object().contains("response_type"));

  // The reference fixture sends both, the same token twice.
  auto both = make_request(http::verb::post, "/mattermost/commands",
                           mattermost_form(mattermost_token, "asd"));
  both.set(http::field::authorization, "Token " + std::string(mattermost_token));
  EXPECT_EQ(f.handle(both).result(), http::status::ok);
}

TEST_F(router, mattermost_get_with_a_query_string_is_answered) {
  fixture f;
  const auto res = f.handle(make_request(
      http::verb::get, "/mattermost/commands?" + mattermost_form(mattermost_token, "types+mooc")));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  const auto v = parse_body(res);
  EXPECT_EQ(v.at("response_type").as_string(), "ephemeral");
  EXPECT_EQ(res.body(), chat().respond(integrations::platform::mattermost, "types mooc"));
}

TEST_F(router, mattermost_wrong_token_is_401) {
  fixture f;
  expect_error(f.handle(make_request(http::verb::post, "/mattermost/commands",
                                     mattermost_form("wrong-token", "criteria"))),
               http::status::unauthorized);
  // A right token in one place does not excuse a wrong one in the other.
  auto req = make_request(http::verb::post, "/mattermost/commands",
                          mattermost_form("wrong-token", "criteria"));
  req.set(http::field::authorization, "Token " + std::string(mattermost_token));
  expect_error(f.handle(req), http::status::unauthorized);

  auto header = make_request(http::verb::post, "/mattermost/commands", mattermost_form("", "criteria"));
  header.set(http::field::authorization, "Token wrong-token");
  expect_error(f.handle(header), http::status::unauthorized);
}

TEST_F(router, mattermost_missing_token_is_401) {
  fixture f;
  expect_error(f.handle(make_request(http::verb::post, "/mattermost/commands",
                                     mattermost_form("", "criteria"))),
               http::status::unauthorized);
  expect_error(f.handle(make_request(http::verb::post, "/mattermost/commands",
                                     mattermost_form("", "criteria") + "&token=")),
               http::status::unauthorized);
  expect_error(f.handle(make_request(http::verb::get, "/mattermost/commands?text=criteria")),
               http::status::unauthorized);
  // A bearer token is some other credential, not the command token.
  auto bearer = make_request(http::verb::post, "/mattermost/commands", mattermost_form("", "criteria"));
  bearer.set(http::field::authorization, "Bearer " + std::string(mattermost_token));
  expect_error(f.handle(bearer), http::status::unauthorized);
}

TEST_F(router, mattermost_repeated_token_field_is_401) {
  fixture f;
  expect_error(f.handle(make_request(http::verb::post, "/mattermost/commands",
                                     mattermost_form(mattermost_token, "criteria") + "&token=" +
                                         std::string(mattermost_token))),
               http::status::unauthorized);
}

TEST_F(router, mattermost_malformed_form_without_token_is_401_and_with_token_400) {
  fixture f;
  expect_error(f.handle(make_request(http::verb::post, "/mattermost/commands", "text=%zz")),
               http::status::unauthorized);
  auto req = make_request(http::verb::post, "/mattermost/commands", "text=%zz&command=%2Fp");
  req.set(http::field::authorization, "Token " + std::string(mattermost_token));
  const auto e = expect_error(f.handle(req), http::status::bad_request);
  EXPECT_NE(e.find("percent-escape"), std::string::npos) << e;
}

TEST_F(router, mattermost_post_with_the_wrong_content_type_is_415) {
  fixture f;
  expect_error(f.handle(make_request(http::verb::post, "/mattermost/commands",
                                     mattermost_form(mattermost_token, "criteria"), "text/plain")),
               http::status::unsupported_media_type);
}

TEST_F(router, mattermost_disabled_is_404_saying_so) {
  bot::settings s = enabled_settings();
  s.mattermost_command_tokens.clear();
  fixture f(s);
  const auto e = expect_error(f.handle(make_request(http::verb::post, "/mattermost/commands",
                                                    mattermost_form(mattermost_token, "criteria"))),
                              http::status::not_found);
  EXPECT_NE(e.find("disabled"), std::string::npos) << e;
  EXPECT_NE(e.find("MATTERMOST_COMMAND_TOKENS"), std::string::npos) << e;
}

TEST_F(router, mattermost_takes_get_and_post_only) {
  fixture f;
  const auto res = f.handle(make_request(http::verb::put, "/mattermost/commands", "x=1"));
  expect_error(res, http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "GET, POST");
}

// --- health, readiness, routing ------------------------------------------------------------------

TEST_F(router, healthz_is_200) {
  fixture f;
  const auto res = f.handle(make_request(http::verb::get, "/healthz"));
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(parse_body(res).at("status").as_string(), "ok");
}

TEST_F(router, readyz_is_200_with_the_database_ok) {
  fixture f;
  const auto res = f.handle(make_request(http::verb::get, "/readyz"));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  const auto v = parse_body(res);
  EXPECT_EQ(v.at("status").as_string(), "ready");
  EXPECT_EQ(v.at("checks").at("database").as_string(), "ok");
  EXPECT_EQ(v.at("checks").at("playbook").as_string(), "ok");
}

TEST_F(router, readyz_is_503_while_draining) {
  fixture f;
  const auto res = f.handle(make_request(http::verb::get, "/readyz"), true);
  const auto e = expect_error(res, http::status::service_unavailable);
  EXPECT_NE(e.find("shutting down"), std::string::npos) << e;
  EXPECT_EQ(parse_body(res).at("checks").at("database").as_string(), "ok");
}

TEST_F(router, health_routes_ignore_the_query_string) {
  fixture f;
  EXPECT_EQ(f.handle(make_request(http::verb::get, "/healthz?probe=1")).result(), http::status::ok);
  EXPECT_EQ(f.handle(make_request(http::verb::get, "/readyz?x")).result(), http::status::ok);
}

TEST_F(router, health_routes_take_get_only) {
  fixture f;
  for (std::string_view path : {"/healthz", "/readyz"}) {
    const auto res = f.handle(make_request(http::verb::post, path, "x=1"));
    expect_error(res, http::status::method_not_allowed);
    EXPECT_EQ(res[http::field::allow], "GET");
  }
}

TEST_F(router, unknown_path_is_404_json) {
  fixture f;
  for (std::string_view path : {"/", "/slack", "/slack/commands/", "/SLACK/COMMANDS", "/metricz"}) {
    const auto e = expect_error(f.handle(make_request(http::verb::get, path)), http::status::not_found);
    EXPECT_NE(e.find(path), std::string::npos) << e;
  }
}

TEST_F(router, unknown_path_echo_is_cut_short) {
  fixture f;
  const std::string path = "/" + std::string(5000, 'a');
  const auto res = f.handle(make_request(http::verb::get, path));
  expect_error(res, http::status::not_found);
  EXPECT_LT(res.body().size(), 400u);
}

// A target holding bytes that are not UTF-8 (or a long one whose cut at 200 bytes splits a
// character) is echoed into the 404 body; the body must still be valid JSON.
TEST_F(router, unknown_path_with_bytes_that_are_not_utf8_still_gives_json) {
  fixture f;
  std::string long_path = "/";
  for (int i = 0; i < 150; ++i) long_path += "\xC3\xA9";  // é; the cut at byte 200 splits one
  for (const std::string& path : {std::string("/\xFF\xFE"), long_path}) {
    const auto res = f.handle(make_request(http::verb::get, path));
    expect_error(res, http::status::not_found);
  }
}

TEST_F(router, responses_follow_the_request_version_and_keep_alive) {
  fixture f;
  auto req = make_request(http::verb::get, "/healthz");
  req.version(10);
  req.keep_alive(false);
  const auto res = f.handle(req);
  EXPECT_EQ(res.version(), 10);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(res[http::field::cache_control], "no-store");
  EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));

  auto keep = make_request(http::verb::get, "/healthz");
  EXPECT_TRUE(f.handle(keep).keep_alive());
}

TEST_F(router, error_response_is_json_with_the_message) {
  const auto req = make_request(http::verb::get, "/x");
  const auto res = bot::error_response(req, http::status::bad_request, "a \"quoted\"\nmessage");
  EXPECT_EQ(res.result(), http::status::bad_request);
  EXPECT_EQ(parse_body(res).at("error").as_string(), "a \"quoted\"\nmessage");
}

TEST_F(router, system_now_is_a_plausible_unix_time) {
  EXPECT_GT(bot::system_now(), vector_time);
}

TEST_F(router, no_response_ever_contains_a_secret) {
  fixture f;
  std::vector<bot::request> requests;
  requests.push_back(slack_request(slack_body("criteria")));
  requests.push_back(slack_request(slack_body("nonsense+public")));
  requests.push_back(slack_request(slack_body("%zz")));
  requests.push_back(make_request(http::verb::post, "/slack/commands", slack_body("x")));
  requests.push_back(make_request(http::verb::post, "/mattermost/commands",
                                  mattermost_form(mattermost_token, "help")));
  requests.push_back(make_request(http::verb::post, "/mattermost/commands",
                                  mattermost_form("nope", "help")));
  requests.push_back(make_request(http::verb::get, "/readyz"));
  for (const auto& req : requests) {
    const auto res = f.handle(req);
    EXPECT_EQ(res.body().find(slack_secret), std::string::npos) << res.body();
    EXPECT_EQ(res.body().find(mattermost_token), std::string::npos) << res.body();
    if (res.result_int() >= 300) expect_error(res, res.result());
  }
}
