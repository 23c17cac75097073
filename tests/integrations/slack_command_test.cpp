// Reading a Slack slash command from its form fields, and turning Slack's &amp; &lt; &gt; in
// `text` back into plain text.

#include "integrations/slack/command.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

using integrations::chat_command;
using integrations::form;
using integrations::parse_form;
using integrations::slack::parse_command;
using integrations::slack::unescape_text;

::testing::AssertionResult contains(std::string_view haystack, std::string_view needle) {
  if (haystack.find(needle) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << '"' << haystack << "\" does not contain \"" << needle << '"';
}

form parsed(std::string_view body) {
  auto r = parse_form(body);
  if (!r) {
    ADD_FAILURE() << "parse_form failed: " << r.error().message;
    return form{};
  }
  return *r;
}

// The command of a body that must parse.
chat_command command_of(std::string_view body) {
  auto r = parse_command(parsed(body));
  if (!r) {
    ADD_FAILURE() << "parse_command(\"" << body << "\") failed: " << r.error().message;
    return {};
  }
  return *r;
}

// The error of a body whose form parses but whose command must not.
std::string command_error(std::string_view body) {
  auto r = parse_command(parsed(body));
  if (r) {
    ADD_FAILURE() << "parse_command(\"" << body << "\") succeeded";
    return {};
  }
  return r.error().message;
}

// The body of Slack's official signing example (reference section 7).
constexpr std::string_view official_body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibI"
    "GlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

TEST(slack_command, maps_the_official_example_into_a_chat_command) {
  const auto cmd = command_of(official_body);
  EXPECT_EQ(cmd.from, integrations::platform::slack);
  EXPECT_EQ(cmd.command, "/webhook-collect");
  EXPECT_EQ(cmd.user_id, "U2CERLKJA");
  EXPECT_EQ(cmd.user_name, "roadrunner");
  EXPECT_EQ(cmd.team_id, "T1DC2JH3J");
  EXPECT_EQ(cmd.channel_id, "G8PSS9T3V");
  EXPECT_EQ(cmd.channel_name, "foobar");
  EXPECT_EQ(cmd.response_url,
            "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN");
  EXPECT_EQ(cmd.text, "");
}

TEST(slack_command, decodes_the_text_field) {
  const auto cmd = command_of("command=%2Fplaybook&user_id=U1&text=search+course+design%3F");
  EXPECT_EQ(cmd.text, "search course design?");
}

TEST(slack_command, unescapes_slack_entities_in_text) {
  // What Slack sends for the text "a & b < c > d": the form encodes the entities' '&' and ';'.
  const auto cmd =
      command_of("command=%2Fplaybook&user_id=U1&text=a+%26amp%3B+b+%26lt%3B+c+%26gt%3B+d");
  EXPECT_EQ(cmd.text, "a & b < c > d");
}

TEST(slack_command, keeps_escaped_mentions_and_links_as_slack_markup) {
  const auto cmd = command_of(
      "command=%2Fplaybook&user_id=U1&text=%3C%40U123%7Cbob%3E+see+%3Chttps%3A%2F%2Fx.io%3E");
  EXPECT_EQ(cmd.text, "<@U123|bob> see <https://x.io>");
}

TEST(slack_command, does_not_unescape_other_fields) {
  const auto cmd = command_of("command=%2Fplaybook&user_id=U1&channel_name=a%26amp%3Bb");
  EXPECT_EQ(cmd.channel_name, "a&amp;b");
}

TEST(slack_command, optional_fields_may_be_absent) {
  const auto cmd = command_of("command=%2Fplaybook&user_id=U1");
  EXPECT_EQ(cmd.command, "/playbook");
  EXPECT_EQ(cmd.user_id, "U1");
  EXPECT_EQ(cmd.team_id, "");
  EXPECT_EQ(cmd.user_name, "");
  EXPECT_EQ(cmd.channel_id, "");
  EXPECT_EQ(cmd.channel_name, "");
  EXPECT_EQ(cmd.response_url, "");
  EXPECT_EQ(cmd.text, "");
}

TEST(slack_command, ignores_fields_it_does_not_use) {
  const auto cmd = command_of(
      "command=%2Fplaybook&user_id=U1&api_app_id=A1&is_enterprise_install=false"
      "&trigger_id=1.2.3&trigger_id=4.5.6");
  EXPECT_EQ(cmd.command, "/playbook");
}

TEST(slack_command, fails_naming_a_missing_command) {
  const auto e = command_error("user_id=U1&text=x");
  EXPECT_TRUE(contains(e, "missing"));
  EXPECT_TRUE(contains(e, "'command'"));
}

TEST(slack_command, fails_naming_an_empty_command) {
  EXPECT_TRUE(contains(command_error("command=&user_id=U1"), "'command'"));
}

TEST(slack_command, fails_naming_a_missing_user_id) {
  const auto e = command_error("command=%2Fplaybook&text=x");
  EXPECT_TRUE(contains(e, "missing"));
  EXPECT_TRUE(contains(e, "'user_id'"));
  EXPECT_TRUE(contains(command_error("command=%2Fplaybook&user_id="), "'user_id'"));
}

TEST(slack_command, fails_on_an_empty_form) { EXPECT_TRUE(contains(command_error(""), "missing")); }

TEST(slack_command, fails_naming_a_repeated_text) {
  const auto e = command_error("command=%2Fplaybook&user_id=U1&text=a&text=b");
  EXPECT_TRUE(contains(e, "'text'"));
  EXPECT_TRUE(contains(e, "more than once"));
}

TEST(slack_command, fails_naming_any_repeated_field_it_reads) {
  EXPECT_TRUE(contains(command_error("command=%2Fa&command=%2Fb&user_id=U1"), "'command'"));
  EXPECT_TRUE(contains(command_error("command=%2Fa&user_id=U1&user_id=U2"), "'user_id'"));
  EXPECT_TRUE(contains(command_error("command=%2Fa&user_id=U1&team_id=T&team_id=T"), "'team_id'"));
  EXPECT_TRUE(contains(command_error("command=%2Fa&user_id=U1&response_url=x&response_url=y"),
                       "'response_url'"));
}

TEST(slack_command, fails_when_the_command_does_not_start_with_a_slash) {
  const auto e = command_error("command=playbook&user_id=U1");
  EXPECT_TRUE(contains(e, "'command'"));
  EXPECT_TRUE(contains(e, "'/'"));
  EXPECT_TRUE(contains(command_error("command=+%2Fplaybook&user_id=U1"), "'/'"));
}

TEST(slack_command, unescape_text_turns_back_the_three_entities) {
  EXPECT_EQ(unescape_text("&amp;"), "&");
  EXPECT_EQ(unescape_text("&lt;"), "<");
  EXPECT_EQ(unescape_text("&gt;"), ">");
  EXPECT_EQ(unescape_text("&lt;@U123&gt; &amp;&amp; x"), "<@U123> && x");
}

TEST(slack_command, unescape_text_decodes_once_only) {
  EXPECT_EQ(unescape_text("&amp;lt;"), "&lt;");
  EXPECT_EQ(unescape_text("&amp;amp;"), "&amp;");
}

TEST(slack_command, unescape_text_keeps_a_lone_ampersand) {
  EXPECT_EQ(unescape_text("&"), "&");
  EXPECT_EQ(unescape_text("a & b"), "a & b");
  EXPECT_EQ(unescape_text("ends with &"), "ends with &");
  EXPECT_EQ(unescape_text("&&"), "&&");
}

TEST(slack_command, unescape_text_keeps_incomplete_and_other_entities) {
  EXPECT_EQ(unescape_text("&amp"), "&amp");
  EXPECT_EQ(unescape_text("&lt"), "&lt");
  EXPECT_EQ(unescape_text("&g"), "&g");
  EXPECT_EQ(unescape_text("&quot;&#39;&nbsp;"), "&quot;&#39;&nbsp;");
  EXPECT_EQ(unescape_text("&AMP;"), "&AMP;");
}

TEST(slack_command, unescape_text_keeps_plain_and_multibyte_text) {
  EXPECT_EQ(unescape_text(""), "");
  EXPECT_EQ(unescape_text("plain text"), "plain text");
  EXPECT_EQ(unescape_text("caf\xC3\xA9 &lt;3 \xF0\x9F\x98\x80"), "caf\xC3\xA9 <3 \xF0\x9F\x98\x80");
}

}  // namespace
