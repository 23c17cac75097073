// POST /teams/messages through the router (no sockets): the HMAC scheme Teams documents, what is
// refused and why, and answers as Teams message activities.

#include "bot/router.hpp"

#include "integrations/http/crypto.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace {

namespace json = boost::json;
namespace http = boost::beast::http;
namespace crypto = integrations::crypto;

// The reference's self-generated vector for the documented scheme (chat-platforms.md §7).
constexpr std::string_view reference_token = "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=";
constexpr std::string_view reference_body = R"({"type":"message","text":"<at>Bot</at> ping"})";
constexpr std::string_view reference_header = "HMAC SRENf21rendN6HhRZb4ppXTyyImzGCK6USvXHd3dmzE=";

const bot::chat_service& teams_chat() {
  static const bot::chat_service s(test::book(), "@Playbook", bot::surface::channel);
  return s;
}

storage::database& db() {
  static storage::database d(storage::database_options{":memory:", 1000});
  return d;
}

struct fixture {
  bot::settings config;
  bot::router router;
  explicit fixture(std::vector<std::string> tokens = {std::string(reference_token)})
      : config(settings_with(std::move(tokens))), router(config, teams_chat(), db()) {}

  static bot::settings settings_with(std::vector<std::string> tokens) {
    bot::settings s;
    s.teams_hmac_secrets = std::move(tokens);
    return s;
  }

  bot::response handle(const bot::request& req) const {
    return router.handle(req, bot::request_context{"teams-test", false});
  }
};

// Authorization: HMAC base64(HMAC-SHA256(base64decode(token), body)), computed here from the
// documented scheme with the library's primitives.
std::string authorization(std::string_view token, std::string_view body) {
  const auto key = crypto::base64_decode(token);
  EXPECT_TRUE(key.has_value());
  const auto mac = crypto::hmac_sha256(key.value_or("")).mac({body});
  return "HMAC " + crypto::base64_encode(std::string_view(reinterpret_cast<const char*>(mac.data()),
                                                          mac.size()));
}

bot::request post(std::string body, std::optional<std::string> auth,
                  std::string_view content_type = "application/json; charset=utf-8") {
  bot::request req{http::verb::post, "/teams/messages", 11};
  req.set(http::field::host, "bot.example");
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  if (auth) req.set(http::field::authorization, *auth);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

std::string activity(std::string_view text) {
  return json::serialize(json::object{
      {"type", "message"},
      {"id", "1700000000000"},
      {"text", text},
      {"from", {{"id", "29:1abc"}, {"name", "Dana Lee"}, {"aadObjectId", "6a1b0c4e-aad"}}},
      {"conversation", {{"id", "19:chan@thread.skype;messageid=1700000000000"}}},
      {"channelData", {{"teamsTeamId", "19:team@thread.skype"}}}});
}

std::string error_of(const bot::response& res) {
  return std::string(json::parse(res.body()).as_object().at("error").as_string());
}

TEST(teams_route, the_reference_vector_verifies_and_gets_a_message_activity) {
  EXPECT_EQ(authorization(reference_token, reference_body), reference_header);
  const fixture f;
  const auto res = f.handle(post(std::string(reference_body), std::string(reference_header)));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(json::parse(res.body()).as_object().at("type"), "message");
}

TEST(teams_route, a_mention_with_a_subcommand_gets_the_playbooks_answer) {
  const fixture f;
  const auto body = activity("<at>Playbook</at> criteria\n");
  const auto res = f.handle(post(body, authorization(reference_token, body)));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(res[http::field::content_type], "application/json");
  const auto reply = json::parse(res.body()).as_object();
  EXPECT_EQ(reply.at("type"), "message");
  EXPECT_NE(res.body().find("riteria"), std::string::npos) << res.body();
  // Teams replies always go to the thread: no hint about `public`.
  EXPECT_EQ(res.body().find("add public"), std::string::npos);
}

TEST(teams_route, a_pasted_proposal_is_reviewed_into_an_adaptive_card) {
  const fixture f;
  const auto body = activity(
      "<at>Playbook</at> review Two-day prompt engineering workshop on ChatGPT for all staff. "
      "Participants get a certificate of completion. Success is measured by attendance.");
  const auto res = f.handle(post(body, authorization(reference_token, body)));
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  const auto reply = json::parse(res.body()).as_object();
  ASSERT_TRUE(reply.contains("attachments")) << res.body();
  const auto& card = reply.at("attachments").as_array().at(0).as_object();
  EXPECT_EQ(card.at("contentType"), "application/vnd.microsoft.card.adaptive");
  EXPECT_EQ(card.at("content").as_object().at("type"), "AdaptiveCard");
}

TEST(teams_route, every_configured_team_token_is_accepted) {
  const std::string second = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  const fixture f({std::string(reference_token), second});
  const auto body = activity("<at>Playbook</at> red-flags");
  EXPECT_EQ(f.handle(post(body, authorization(second, body))).result(), http::status::ok);
  EXPECT_EQ(f.handle(post(body, authorization(reference_token, body))).result(), http::status::ok);
}

TEST(teams_route, a_wrong_or_missing_signature_is_401_and_names_the_problem) {
  const fixture f;
  const auto body = activity("<at>Playbook</at> criteria");
  const std::string other = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  const auto wrong_key = f.handle(post(body, authorization(other, body)));
  EXPECT_EQ(wrong_key.result(), http::status::unauthorized);
  const auto changed = f.handle(post(body + " ", authorization(reference_token, body)));
  EXPECT_EQ(changed.result(), http::status::unauthorized);
  const auto missing = f.handle(post(body, std::nullopt));
  EXPECT_EQ(missing.result(), http::status::unauthorized);
  EXPECT_FALSE(error_of(missing).empty());
  const auto bearer = f.handle(post(body, "Bearer abc"));
  EXPECT_EQ(bearer.result(), http::status::unauthorized);
  const auto garbage = f.handle(post(body, "HMAC !!!not-base64!!!"));
  EXPECT_EQ(garbage.result(), http::status::unauthorized);

  auto twice = post(body, authorization(reference_token, body));
  twice.insert(http::field::authorization, authorization(reference_token, body));
  EXPECT_EQ(f.handle(twice).result(), http::status::unauthorized);
}

TEST(teams_route, a_signed_but_malformed_activity_is_400_naming_what_is_wrong) {
  const fixture f;
  for (const std::string& body : {std::string("{not json"), std::string("[1,2]"),
                                 std::string(R"({"type":"conversationUpdate","text":"x"})"),
                                 std::string(R"({"type":"message"})"),
                                 std::string(R"({"type":"message","text":42})")}) {
    const auto res = f.handle(post(body, authorization(reference_token, body)));
    EXPECT_EQ(res.result(), http::status::bad_request) << body;
    EXPECT_FALSE(error_of(res).empty()) << body;
  }
}

TEST(teams_route, another_content_type_is_415_after_verification) {
  const fixture f;
  const auto body = activity("<at>Playbook</at> criteria");
  EXPECT_EQ(f.handle(post(body, authorization(reference_token, body), "text/plain")).result(),
            http::status::unsupported_media_type);
  EXPECT_EQ(f.handle(post(body, std::nullopt, "text/plain")).result(), http::status::unauthorized);
}

TEST(teams_route, without_a_token_the_route_is_off_and_get_is_405) {
  const fixture off(std::vector<std::string>{});
  const auto body = activity("<at>Playbook</at> criteria");
  const auto res = off.handle(post(body, authorization(reference_token, body)));
  EXPECT_EQ(res.result(), http::status::not_found);
  EXPECT_NE(error_of(res).find("TEAMS_HMAC_SECRET"), std::string::npos);

  const fixture on;
  bot::request get{http::verb::get, "/teams/messages", 11};
  EXPECT_EQ(on.handle(get).result(), http::status::method_not_allowed);
}

}  // namespace
