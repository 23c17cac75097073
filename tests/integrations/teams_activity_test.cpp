// Reading a Teams outgoing-webhook Activity: realistic payloads (tests/fixtures/teams), the
// webhook's own mention, HTML and entities in `text`, the optional "playbook" word, and bodies
// that must be refused with a message naming the field.

#include "integrations/teams/activity.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace {

namespace json = boost::json;
using integrations::chat_command;
using integrations::platform;
using integrations::teams::parse_activity;

::testing::AssertionResult contains(std::string_view haystack, std::string_view needle) {
  if (haystack.find(needle) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << '"' << haystack.substr(0, 300) << "\" does not contain \"" << needle << '"';
}

std::string fixture(std::string_view name) {
  std::ifstream in(std::string(PLAYBOOK_FIXTURES) + "/teams/" + std::string(name),
                   std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read fixture " << name;
    return {};
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

chat_command command_of(std::string_view body) {
  auto r = parse_activity(body);
  if (!r) {
    ADD_FAILURE() << "parse_activity failed: " << r.error().message << "\nbody: "
                  << body.substr(0, 300);
    return {};
  }
  return *r;
}

std::string error_of(std::string_view body) {
  auto r = parse_activity(body);
  if (r) {
    ADD_FAILURE() << "parse_activity succeeded for " << body.substr(0, 300);
    return {};
  }
  return r.error().message;
}

// The criteria fixture with `text` (and optionally more) replaced.
std::string with_text(std::string_view text) {
  auto doc = json::parse(fixture("message_criteria.json")).as_object();
  doc["text"] = text;
  return json::serialize(doc);
}

// The plain text the bot sees for an Activity whose text is `text`.
std::string text_of(std::string_view text) { return command_of(with_text(text)).text; }

std::string with_member(std::string_view key, const json::value& v) {
  auto doc = json::parse(fixture("message_criteria.json")).as_object();
  doc[key] = v;
  return json::serialize(doc);
}

std::string without_member(std::string_view key) {
  auto doc = json::parse(fixture("message_criteria.json")).as_object();
  doc.erase(key);
  return json::serialize(doc);
}

// --- fixtures --------------------------------------------------------------------------------

TEST(teams_activity, reads_the_criteria_fixture) {
  const auto c = command_of(fixture("message_criteria.json"));
  EXPECT_EQ(c.from, platform::teams);
  EXPECT_EQ(c.command, "/playbook");
  EXPECT_EQ(c.text, "criteria");
  EXPECT_EQ(c.user_id, "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  EXPECT_EQ(c.user_name, "Dana Whitfield");
  EXPECT_EQ(c.channel_id, "19:a1b2c3d4e5f60718293a4b5c6d7e8f90@thread.skype");
  EXPECT_EQ(c.team_id, "19:0f9e8d7c6b5a49382716a5b4c3d2e1f0@thread.skype");
  EXPECT_EQ(c.response_url, "");
}

TEST(teams_activity, keeps_a_pasted_proposal_with_its_line_breaks) {
  const auto c = command_of(fixture("message_review_pasted.json"));
  EXPECT_TRUE(c.text.starts_with("review\nNorthwind Learning \xE2\x80\x94 GenAI Engineering "
                                 "Bootcamp (proposal)\n\nFormat: 5 days"))
      << c.text;
  EXPECT_TRUE(contains(c.text, "\n- Day 2: RAG with a vector database\n- Day 3"));
  EXPECT_TRUE(contains(c.text, "Prompt engineering fundamentals & the OpenAI API"));
  EXPECT_TRUE(c.text.ends_with("certificate of completion.")) << c.text;
  EXPECT_EQ(c.text.find('<'), std::string::npos);
}

TEST(teams_activity, reads_html_text_with_entities_and_another_mention) {
  const auto c = command_of(fixture("message_html_decide.json"));
  EXPECT_EQ(c.text,
            "decide Northwind approve-with-conditions\n"
            "Q&A with Priya Raman: only if labs run in our own tenant & use our repos <not a "
            "sandbox>\n"
            "Pilot with 6 seats first.");
  EXPECT_EQ(c.user_id, "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d");
  EXPECT_EQ(c.user_name, "Marcus O'Neill");
  EXPECT_EQ(c.channel_id, "19:5c4b3a29180f4e6d8c7b6a5948372615@thread.skype");
}

TEST(teams_activity, refuses_a_conversation_update_naming_activity_type) {
  const auto e = error_of(fixture("conversation_update.json"));
  EXPECT_TRUE(contains(e, "activity.type"));
  EXPECT_TRUE(contains(e, "\"message\""));
  EXPECT_TRUE(contains(e, "conversationUpdate"));
}

// --- mentions --------------------------------------------------------------------------------

TEST(teams_activity, removes_the_webhook_mention_at_the_start) {
  EXPECT_EQ(text_of("<at>Playbook</at> red-flags"), "red-flags");
  EXPECT_EQ(text_of("<at>Playbook</at>"), "");
  EXPECT_EQ(text_of("<AT>Playbook</AT> questions"), "questions");
}

TEST(teams_activity, keeps_other_mentions_as_names) {
  EXPECT_EQ(text_of("<at>Playbook</at> decide Northwind approve for <at>Jane Doe</at>"),
            "decide Northwind approve for Jane Doe");
}

TEST(teams_activity, removes_the_webhook_mention_in_the_middle) {
  EXPECT_EQ(text_of("hey <at>Playbook</at> criteria please"), "hey criteria please");
  EXPECT_EQ(text_of("hey <at>Playbook</at>&nbsp;criteria"), "hey criteria");
  EXPECT_EQ(text_of("<at>Jane Doe</at> asked <at>Playbook</at> for formats"),
            "Jane Doe asked for formats");
}

TEST(teams_activity, a_second_mention_of_the_webhook_is_kept_as_its_name) {
  EXPECT_EQ(text_of("<at>Playbook</at> search <at>Playbook</at>"), "search Playbook");
}

TEST(teams_activity, finds_the_webhook_by_its_mention_entity_when_recipient_has_no_name) {
  auto doc = json::parse(with_text("<at>Jane Doe</at> and <at>Playbook Bot</at> questions"))
                 .as_object();
  doc["recipient"] = json::object{{"id", "28:3e9f7c1a-52b4-4d8e-9a06-7b1c2d3e4f50"}};
  doc["entities"] = json::array{
      json::object{{"type", "mention"},
                   {"mentioned", {{"id", "29:1XJK"}, {"name", "Jane Doe"}}},
                   {"text", "<at>Jane Doe</at>"}},
      json::object{{"type", "mention"},
                   {"mentioned",
                    {{"id", "28:3e9f7c1a-52b4-4d8e-9a06-7b1c2d3e4f50"}, {"name", "Playbook Bot"}}},
                   {"text", "<at>Playbook Bot</at>"}}};
  EXPECT_EQ(command_of(json::serialize(doc)).text, "Jane Doe and questions");
}

TEST(teams_activity, without_recipient_a_bot_id_in_the_entities_marks_the_webhook) {
  auto doc = json::parse(with_text("<at>Jane Doe</at> <at>Playbook</at> formats")).as_object();
  doc["recipient"] = nullptr;
  doc["entities"] = json::array{json::object{
      {"type", "mention"}, {"mentioned", {{"id", "28:0000"}, {"name", "Playbook"}}}}};
  EXPECT_EQ(command_of(json::serialize(doc)).text, "Jane Doe formats");
}

TEST(teams_activity, without_any_hint_the_first_mention_is_the_webhook) {
  auto doc = json::parse(with_text("<at>Playbook</at> <at>Jane Doe</at> decisions")).as_object();
  doc.erase("recipient");
  doc.erase("entities");
  EXPECT_EQ(command_of(json::serialize(doc)).text, "Jane Doe decisions");
}

TEST(teams_activity, mention_names_with_entities_are_decoded) {
  EXPECT_EQ(text_of("<at>Playbook</at> ask <at>R&amp;D Leads</at>"), "ask R&D Leads");
}

TEST(teams_activity, an_unclosed_at_tag_is_removed_as_a_tag) {
  EXPECT_EQ(text_of("<at>Playbook</at> help <at>oops"), "help oops");
}

// --- HTML and entities -----------------------------------------------------------------------

TEST(teams_activity, turns_paragraphs_and_breaks_into_line_breaks) {
  EXPECT_EQ(text_of("<p><at>Playbook</at> review</p><p>line one<br>line two<br/>three</p>"),
            "review\nline one\nline two\nthree");
  EXPECT_EQ(text_of("<div><at>Playbook</at> review</div><div>next</div>"), "review\nnext");
}

TEST(teams_activity, drops_other_tags) {
  EXPECT_EQ(text_of("<at>Playbook</at> search <b>bold</b> <i>and</i> <span style=\"x\">more</span>"),
            "search bold and more");
}

TEST(teams_activity, decodes_entities) {
  EXPECT_EQ(text_of("<at>Playbook</at> a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &apos;f&apos;"),
            "a & b <c> \"d\" 'e' 'f'");
  EXPECT_EQ(text_of("<at>Playbook</at>&nbsp;search&nbsp;RAG"), "search RAG");
  EXPECT_EQ(text_of("<at>Playbook</at> caf&#233; &#x2014; &#X1F600;"),
            "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80");
}

TEST(teams_activity, decoded_text_never_becomes_a_tag) {
  EXPECT_EQ(text_of("<at>Playbook</at> &lt;at&gt;Jane&lt;/at&gt; &lt;br&gt;"), "<at>Jane</at> <br>");
  EXPECT_EQ(text_of("<at>Playbook</at> &amp;lt;"), "&lt;");
}

TEST(teams_activity, unknown_or_invalid_entities_stay_as_written) {
  EXPECT_EQ(text_of("<at>Playbook</at> AT&T &copy; &#0; &#xD800; &#99999999; &; &#x;"),
            "AT&T &copy; &#0; &#xD800; &#99999999; &; &#x;");
}

TEST(teams_activity, a_lone_less_than_sign_is_text) {
  EXPECT_EQ(text_of("<at>Playbook</at> search cost < 5000 and x<3 or <"),
            "search cost < 5000 and x<3 or <");
}

TEST(teams_activity, carriage_returns_become_line_breaks) {
  EXPECT_EQ(text_of("<at>Playbook</at> review\r\nline\rnext"), "review\nline\nnext");
}

// --- the command word ------------------------------------------------------------------------

TEST(teams_activity, drops_a_leading_playbook_word) {
  EXPECT_EQ(text_of("<at>Playbook</at> /playbook criteria"), "criteria");
  EXPECT_EQ(text_of("<at>Playbook</at> playbook criteria"), "criteria");
  EXPECT_EQ(text_of("<at>Playbook</at> Playbook\ncriteria"), "criteria");
  EXPECT_EQ(text_of("<at>Playbook</at> /PLAYBOOK"), "");
}

TEST(teams_activity, keeps_playbook_inside_other_words_or_later) {
  EXPECT_EQ(text_of("<at>Playbook</at> playbooks"), "playbooks");
  EXPECT_EQ(text_of("<at>Playbook</at> search playbook"), "search playbook");
}

TEST(teams_activity, keeps_a_long_multi_line_proposal) {
  std::string proposal;
  for (int i = 0; i < 400; ++i)
    proposal += "Line " + std::to_string(i) + ": hands-on labs in your own repositories.\n";
  const auto text = text_of("<at>Playbook</at> review\n" + proposal);
  EXPECT_EQ(text, "review\n" + proposal.substr(0, proposal.size() - 1));
}

// --- user, channel and team ------------------------------------------------------------------

TEST(teams_activity, user_id_falls_back_to_from_id) {
  auto doc = json::parse(fixture("message_criteria.json")).as_object();
  doc["from"].as_object().erase("aadObjectId");
  const auto c = command_of(json::serialize(doc));
  EXPECT_EQ(c.user_id,
            "29:1Bd6M3fWq5kVXwI3ZzPbYtWm7Ue4C9pQ8nGhR2sJkLd0aTfEvXyHcNoMi5lBuPrSq3wDzKjF6gY");
}

TEST(teams_activity, a_missing_from_leaves_the_user_empty) {
  const auto c = command_of(without_member("from"));
  EXPECT_EQ(c.user_id, "");
  EXPECT_EQ(c.user_name, "");
  EXPECT_EQ(c.text, "criteria");
  EXPECT_EQ(command_of(with_member("from", nullptr)).user_id, "");
}

TEST(teams_activity, channel_falls_back_to_the_conversation_id) {
  auto doc = json::parse(fixture("message_criteria.json")).as_object();
  doc.erase("channelData");
  const auto c = command_of(json::serialize(doc));
  EXPECT_EQ(c.channel_id,
            "19:a1b2c3d4e5f60718293a4b5c6d7e8f90@thread.skype;messageid=1718203440123");
  EXPECT_EQ(c.team_id, "");
}

TEST(teams_activity, fields_of_the_wrong_type_are_named) {
  EXPECT_TRUE(contains(error_of(with_member("from", "Dana")), "activity.from must be an object"));
  auto doc = json::parse(fixture("message_criteria.json")).as_object();
  doc["from"].as_object()["aadObjectId"] = 42;
  EXPECT_TRUE(contains(error_of(json::serialize(doc)), "activity.from.aadObjectId"));
  doc = json::parse(fixture("message_criteria.json")).as_object();
  doc["channelData"].as_object()["team"] = json::array{};
  EXPECT_TRUE(contains(error_of(json::serialize(doc)), "activity.channelData.team"));
}

// --- refused bodies --------------------------------------------------------------------------

TEST(teams_activity, refuses_malformed_json) {
  EXPECT_TRUE(contains(error_of("{\"type\":\"message\",\"text\":"), "malformed JSON"));
  EXPECT_TRUE(contains(error_of(""), "malformed JSON"));
  EXPECT_TRUE(contains(error_of("type=message&text=hi"), "malformed JSON"));
}

TEST(teams_activity, refuses_json_that_is_not_an_object) {
  for (std::string_view body : {"[]", "\"message\"", "42", "null", "true"})
    EXPECT_TRUE(contains(error_of(body), "not a JSON object")) << body;
}

TEST(teams_activity, refuses_a_missing_or_wrong_type) {
  EXPECT_TRUE(contains(error_of(without_member("type")), "activity.type"));
  EXPECT_TRUE(contains(error_of(with_member("type", 1)), "activity.type must be \"message\""));
  EXPECT_TRUE(contains(error_of(with_member("type", "Message")), "activity.type"));
  EXPECT_TRUE(contains(error_of(with_member("type", "invoke")), "activity.type"));
}

TEST(teams_activity, an_echoed_type_cannot_forge_log_lines) {
  const auto e = error_of(with_member("type", "x\n2026-01-01 INFO forged \"quoted\""));
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_LT(e.size(), 120u) << e;
}

TEST(teams_activity, refuses_a_missing_or_non_string_text) {
  EXPECT_EQ(error_of(without_member("text")), "activity.text is missing");
  EXPECT_EQ(error_of(with_member("text", nullptr)), "activity.text is missing");
  EXPECT_EQ(error_of(with_member("text", 5)), "activity.text must be a string");
  EXPECT_EQ(error_of(with_member("text", json::array{"a"})), "activity.text must be a string");
}

TEST(teams_activity, refuses_invalid_utf8_in_text) {
  const std::string body = "{\"type\":\"message\",\"text\":\"<at>Playbook</at> caf\xE9\"}";
  EXPECT_EQ(error_of(body), "the body is not valid UTF-8");
  const std::string overlong = "{\"type\":\"message\",\"text\":\"\xC0\xAF\"}";
  EXPECT_EQ(error_of(overlong), "the body is not valid UTF-8");
  const std::string surrogate = "{\"type\":\"message\",\"text\":\"\xED\xA0\x80\"}";
  EXPECT_EQ(error_of(surrogate), "the body is not valid UTF-8");
}

TEST(teams_activity, a_lone_surrogate_escape_never_yields_invalid_utf8) {
  // Boost.JSON 1.81 refuses it as malformed; a later version may decode it to U+FFFD instead.
  auto r = parse_activity(R"({"type":"message","text":"<at>Playbook</at> a\ud800b"})");
  if (r) {
    for (unsigned char c : r->text) EXPECT_NE(c, 0xED);  // no encoded surrogate
  }
}

TEST(teams_activity, deeply_nested_json_is_refused_without_crashing) {
  const std::string deep = "{\"type\":\"message\",\"text\":\"x\",\"a\":" + std::string(100000, '[') +
                           std::string(100000, ']') + "}";
  EXPECT_TRUE(contains(error_of(deep), "malformed JSON"));
  std::string objects = "{\"type\":\"message\",\"text\":\"x\",\"a\":";
  for (int i = 0; i < 50000; ++i) objects += "{\"a\":";
  EXPECT_TRUE(contains(error_of(objects), "malformed JSON"));
}

TEST(teams_activity, many_unclosed_brackets_and_ampersands_are_read_in_linear_time) {
  // 2 MB of "<a" and "&a" with no '>' or ';': a quadratic scan would not finish in the test's
  // time limit.
  std::string text = "<at>Playbook</at> ";
  for (int i = 0; i < 500'000; ++i) text += "<a&a";
  const auto out = text_of(text);
  EXPECT_EQ(out.size(), 2'000'000u);
  EXPECT_TRUE(out.starts_with("<a&a<a&a"));
}

TEST(teams_activity, the_shallow_nesting_teams_uses_is_accepted) {
  auto doc = json::parse(fixture("message_criteria.json")).as_object();
  json::value nested = "leaf";
  for (int i = 0; i < 20; ++i) nested = json::object{{"a", nested}};
  doc["value"] = nested;
  EXPECT_EQ(command_of(json::serialize(doc)).text, "criteria");
}

}  // namespace
