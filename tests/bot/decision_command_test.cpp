// Reading `/playbook decide`, `vendor` and `decisions`: vendors with and without quotes, outcomes
// as people type them, reasons, conditions, revisit dates and tickets anywhere in the tail, and a
// usage message for everything that cannot be a decision.

#include "bot/commands.hpp"
#include "bot/decision_command.hpp"

#include <gtest/gtest.h>

using bot::parse_decide;
using storage::outcome;

namespace {

bot::decide_request ok(std::string_view text) {
  const auto r = parse_decide(text, "/playbook");
  EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().message);
  return r ? *r : bot::decide_request{};
}

std::string problem(std::string_view text) {
  const auto r = parse_decide(text, "/playbook");
  EXPECT_FALSE(r) << text;
  return r ? "" : r.error().message;
}

}  // namespace

TEST(decision_command, vendor_outcome_and_reason_after_a_dash) {
  const auto d = ok("Acme AI Academy reject — slideware, no production projects");
  EXPECT_EQ(d.vendor, "Acme AI Academy");
  EXPECT_EQ(d.what, outcome::reject);
  EXPECT_EQ(d.rationale, "slideware, no production projects");
  EXPECT_EQ(d.ticket, "");
}

TEST(decision_command, outcomes_as_people_type_them) {
  EXPECT_EQ(ok("Acme approved").what, outcome::approve);
  EXPECT_EQ(ok("Acme Rejected.").what, outcome::reject);
  EXPECT_EQ(ok("Acme deferred: budget").what, outcome::defer);
  EXPECT_EQ(ok("Acme postpone").what, outcome::defer);
  EXPECT_EQ(ok("Acme conditionally").what, outcome::conditional);
  EXPECT_EQ(ok("Acme approve-with-conditions").what, outcome::conditional);
  EXPECT_EQ(ok("Acme declined").what, outcome::reject);
}

TEST(decision_command, separators_and_because_are_not_part_of_the_reason) {
  for (const char* text : {"Acme reject - too basic", "Acme reject: too basic", "Acme reject -- too basic",
                           "Acme reject, because too basic", "Acme reject because too basic",
                           "Acme reject – too basic"}) {
    EXPECT_EQ(ok(text).rationale, "too basic") << text;
  }
}

TEST(decision_command, ticket_revisit_and_conditions_anywhere_in_the_tail) {
  const auto d = ok("Deep Practice conditional — good labs conditions: pilot with 10 engineers first "
                    "revisit 2027-03-31 ticket proc-123");
  EXPECT_EQ(d.what, outcome::conditional);
  EXPECT_EQ(d.rationale, "good labs");
  EXPECT_EQ(d.conditions, "pilot with 10 engineers first");
  EXPECT_EQ(d.revisit_on, "2027-03-31");
  EXPECT_EQ(d.ticket, "PROC-123");
  const auto e = ok("Acme reject ticket ENG-9 — too much slideware");
  EXPECT_EQ(e.ticket, "ENG-9");
  EXPECT_EQ(e.rationale, "too much slideware");
}

TEST(decision_command, tickets_from_every_tracker) {
  EXPECT_EQ(ok("Acme approve ticket acme/procurement#42").ticket, "acme/procurement#42");
  EXPECT_EQ(ok("Acme approve ticket group/sub/project!7").ticket, "group/sub/project!7");
  EXPECT_EQ(ok("Acme approve ticket #12").ticket, "#12");
  EXPECT_EQ(ok("Acme approve ticket https://jira.example.com/browse/PROC-1").ticket,
            "https://jira.example.com/browse/PROC-1");
  // "ticket" followed by something that is no ticket stays in the reason.
  const auto d = ok("Acme reject — the ticket price is too high");
  EXPECT_EQ(d.ticket, "");
  EXPECT_EQ(d.rationale, "the ticket price is too high");
}

TEST(decision_command, a_quoted_vendor_may_contain_an_outcome_word) {
  const auto d = ok("\"Approve Labs\" reject — hype");
  EXPECT_EQ(d.vendor, "Approve Labs");
  EXPECT_EQ(d.what, outcome::reject);
  EXPECT_EQ(ok("\xE2\x80\x9C" "Defer Inc" "\xE2\x80\x9D approve").vendor, "Defer Inc");
}

TEST(decision_command, what_cannot_be_a_decision_says_what_is_missing_with_the_usage) {
  EXPECT_NE(problem("").find("Say which vendor"), std::string::npos);
  EXPECT_NE(problem("Acme AI Academy").find("Say what was decided"), std::string::npos);
  EXPECT_NE(problem("approve").find("before the outcome"), std::string::npos);
  EXPECT_NE(problem("\"Acme approve").find("closing quote"), std::string::npos);
  EXPECT_NE(problem(std::string(10'000, 'A') + " approve").find("at most 100"), std::string::npos);
  EXPECT_NE(problem("Ac\x01me approve").find("control character"), std::string::npos);
  EXPECT_NE(problem("Acme approve — hello @channel").find("@channel"), std::string::npos);
  EXPECT_NE(problem("Acme approve — hi @Here!").find("@here"), std::string::npos);
  EXPECT_NE(problem("<!here> approve").find("mention markup"), std::string::npos);
  EXPECT_NE(problem("Acme approve — <https://x.example|click>").find("link markup"), std::string::npos);
  EXPECT_NE(problem("[Acme](https://x.example) approve").find("link markup"), std::string::npos);
  EXPECT_NE(problem("https://acme.example approve").find("web address"), std::string::npos);
  EXPECT_NE(problem("Acme approve revisit 2027-02-30").find("real date"), std::string::npos);
  EXPECT_NE(problem("Acme approve conditions: pilot").find("conditional"), std::string::npos);
  EXPECT_NE(problem("... approve").find("letter or digit"), std::string::npos);
  EXPECT_NE(problem("Acme reject — " + std::string(2500, 'x')).find("at most 2000"), std::string::npos);
  EXPECT_NE(problem("Acme \xE2\x80\xAE" "evil approve").find("text-direction"), std::string::npos);
  EXPECT_NE(problem("Acme approve ticket A-1 ticket B-2").find("one ticket"), std::string::npos);
  EXPECT_NE(problem("Acme \xFF approve").find("UTF-8"), std::string::npos);
  for (const char* text : {"", "Acme", "approve"})
    EXPECT_NE(problem(text).find("Usage: /playbook decide <vendor>"), std::string::npos) << text;
}

TEST(decision_command, an_email_address_is_not_a_crowd_mention) {
  EXPECT_EQ(ok("Acme approve — contact sales@channel-partners.example").what, outcome::approve);
}

TEST(decision_command, iso_dates_must_exist) {
  EXPECT_TRUE(bot::valid_iso_date("2028-02-29"));
  EXPECT_FALSE(bot::valid_iso_date("2027-02-29"));
  EXPECT_FALSE(bot::valid_iso_date("2027-13-01"));
  EXPECT_FALSE(bot::valid_iso_date("27-01-01"));
  EXPECT_FALSE(bot::valid_iso_date("2027/01/01"));
}

TEST(decision_command, vendor_names_to_look_up) {
  EXPECT_EQ(*bot::parse_vendor_name("  Acme AI  ", "/playbook"), "Acme AI");
  EXPECT_EQ(*bot::parse_vendor_name("\"Acme AI\"", "/playbook"), "Acme AI");
  EXPECT_FALSE(bot::parse_vendor_name("", "/playbook"));
  EXPECT_FALSE(bot::parse_vendor_name(std::string(500, 'x'), "/playbook"));
  EXPECT_FALSE(bot::parse_vendor_name("@everyone", "/playbook"));
}

TEST(decision_command, decisions_queries) {
  using kind = bot::decisions_query::kind;
  auto q = bot::parse_decisions_query("", "/playbook");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->what, kind::recent);
  EXPECT_EQ(q->limit, 10u);
  q = bot::parse_decisions_query("recent 25", "/playbook");
  EXPECT_EQ(q->limit, 25u);
  q = bot::parse_decisions_query("5", "/playbook");
  EXPECT_EQ(q->limit, 5u);
  q = bot::parse_decisions_query("search prompt   engineering", "/playbook");
  EXPECT_EQ(q->what, kind::search);
  EXPECT_EQ(q->words, "prompt   engineering");
  q = bot::parse_decisions_query("outcome rejected", "/playbook");
  EXPECT_EQ(q->what, kind::outcome);
  EXPECT_EQ(q->only, outcome::reject);
  q = bot::parse_decisions_query("approved", "/playbook");
  EXPECT_EQ(q->only, outcome::approve);
  for (const char* bad : {"recent 0", "recent 51", "recent x", "recent 1 2", "search", "outcome maybe",
                          "banana", "search @channel"}) {
    const auto r = bot::parse_decisions_query(bad, "/playbook");
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("Usage: /playbook decisions"), std::string::npos) << bad;
  }
}

TEST(decision_command, the_chat_parser_keeps_decision_text_and_reads_private_and_public) {
  auto c = bot::parse_command_text("decide Acme reject — \"too basic\", 3/6 days on Python private");
  EXPECT_EQ(c.what, bot::topic::decide);
  EXPECT_TRUE(c.is_private);
  EXPECT_EQ(c.argument, "Acme reject — \"too basic\", 3/6 days on Python");
  c = bot::parse_command_text("vendor Acme AI public");
  EXPECT_EQ(c.what, bot::topic::vendor);
  EXPECT_TRUE(c.is_public);
  EXPECT_EQ(c.argument, "Acme AI");
  c = bot::parse_command_text("public decisions search slideware");
  EXPECT_EQ(c.what, bot::topic::decisions);
  EXPECT_TRUE(c.is_public);
  EXPECT_EQ(c.argument, "search slideware");
  c = bot::parse_command_text("decisions");
  EXPECT_EQ(c.what, bot::topic::decisions);
  EXPECT_EQ(c.argument, "");
}
