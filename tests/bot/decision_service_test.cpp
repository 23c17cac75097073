// The decision service: confirmations only after the commit and in the channel unless private,
// refusals naming who may record, a failed write answered as such with nothing stored, and
// answers for lookups, lists and searches.

#include "bot/chat_service.hpp"
#include "bot/decision_service.hpp"
#include "knowledge/playbook.hpp"
#include "tests/bot/message_text.hpp"

#include <SQLiteCpp/Database.h>

#include <gtest/gtest.h>

namespace {

namespace im = integrations;

im::chat_command from(std::string user, im::platform p = im::platform::slack) {
  im::chat_command c;
  c.from = p;
  c.user_id = std::move(user);
  c.user_name = "dana";
  c.channel_id = "C42";
  c.channel_name = "vendors";
  return c;
}

class decision_service_test : public ::testing::Test {
 protected:
  storage::database db{{.path = ":memory:"}};
  storage::decision_store store{db};
  bot::decision_service service{store, bot::decider_policy(), {}, [] { return std::int64_t{1'764'000'000}; }};

  im::reply ask(std::string_view text, const im::chat_command& who = from("U1")) {
    return service.answer(bot::parse_command_text(text), who);
  }
};

}  // namespace

TEST_F(decision_service_test, a_decision_is_confirmed_in_the_channel_with_what_was_stored) {
  const auto r = ask("decide Acme AI Academy reject — slideware ticket PROC-7");
  EXPECT_EQ(r.audience, im::visibility::in_channel);
  const auto text = test::all_text(r.body);
  EXPECT_NE(r.body.title.find("Decision recorded: Acme AI Academy rejected"), std::string::npos);
  for (const char* part : {"slideware", "PROC-7", "dana", "2025-11-24", "#vendors (C42)"})
    EXPECT_NE(text.find(part), std::string::npos) << part << " in " << text;
  const auto stored = store.find_vendor("acme ai academy");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->history.front().place, "#vendors (C42)");
  EXPECT_EQ(stored->history.front().decided_by, "U1");
}

TEST_F(decision_service_test, private_keeps_the_confirmation_to_its_author) {
  EXPECT_EQ(ask("decide Acme approve private").audience, im::visibility::ephemeral);
  EXPECT_EQ(store.decision_count(), 1u);
}

TEST_F(decision_service_test, usage_errors_are_only_for_the_sender_and_store_nothing) {
  const auto r = ask("decide Acme maybe");
  EXPECT_EQ(r.audience, im::visibility::ephemeral);
  EXPECT_NE(test::all_text(r.body).find("Usage: /playbook decide"), std::string::npos);
  EXPECT_EQ(store.decision_count(), 0u);
}

TEST_F(decision_service_test, a_failed_write_says_so_and_leaves_nothing) {
  ask("decide Acme approve");
  db.handle().exec("PRAGMA query_only = ON");  // as a read-only file would
  const auto r = ask("decide Globex reject — no");
  db.handle().exec("PRAGMA query_only = OFF");
  EXPECT_EQ(r.audience, im::visibility::ephemeral);
  EXPECT_NE(r.body.title.find("Could not record the decision"), std::string::npos);
  EXPECT_NE(test::all_text(r.body).find("Nothing was stored"), std::string::npos);
  EXPECT_EQ(store.decision_count(), 1u);
  EXPECT_FALSE(store.find_vendor("Globex"));
  EXPECT_EQ(store.audit_count("decision.record"), 1u);
}

TEST_F(decision_service_test, people_off_the_allow_list_are_told_who_may_record) {
  bot::decision_service strict(store, bot::decider_policy(bot::parse_deciders({"slack:U1"}).value()), {},
                               [] { return std::int64_t{1}; });
  const auto r = strict.answer(bot::parse_command_text("decide Acme approve"), from("U2"));
  EXPECT_EQ(r.audience, im::visibility::ephemeral);
  const auto text = test::all_text(r.body);
  EXPECT_NE(text.find("slack:U1"), std::string::npos) << text;
  EXPECT_NE(text.find("slack:U2"), std::string::npos) << text;
  EXPECT_EQ(store.decision_count(), 0u);
  EXPECT_NE(test::all_text(strict.answer(bot::parse_command_text("decide Acme approve"), from("U1")).body)
                .find("Decision #"),
            std::string::npos);
}

TEST_F(decision_service_test, slack_groups_whose_members_are_unknown_ask_to_try_again) {
  bot::decision_service grouped(
      store, bot::decider_policy(bot::parse_deciders({"slack-group:S1"}).value()),
      [](std::string_view, std::string_view) -> std::optional<bool> { return std::nullopt; },
      [] { return std::int64_t{1}; });
  const auto r = grouped.answer(bot::parse_command_text("decide Acme approve"), from("U2"));
  EXPECT_NE(r.body.title.find("Could not check"), std::string::npos);
  EXPECT_EQ(store.decision_count(), 0u);
}

TEST_F(decision_service_test, vendor_shows_status_history_and_latest_review) {
  ask("decide Acme defer — wait for pilot");
  ask("decide acme inc approve — pilot went well");
  storage::review_input rev;
  rev.vendor = "Acme";
  rev.source = "jira:PROC-1";
  rev.content_hash = "h";
  rev.score = 72;
  rev.verdict = "proceed with questions";
  rev.findings_json = "{}";
  rev.by = {"bot", "", "jira", ""};
  rev.at = 5;
  store.record_review(rev);
  const auto r = ask("vendor ACME");
  EXPECT_EQ(r.audience, im::visibility::ephemeral);
  const auto text = test::all_text(r.body);
  EXPECT_LT(text.find("pilot went well"), text.find("wait for pilot")) << text;
  EXPECT_NE(text.find("approved on"), std::string::npos);
  EXPECT_NE(text.find("proceed with questions (score 72/100)"), std::string::npos) << text;
  EXPECT_EQ(ask("vendor ACME public").audience, im::visibility::in_channel);
}

TEST_F(decision_service_test, an_unknown_vendor_offers_the_closest_ones) {
  ask("decide Acme AI Academy reject");
  const auto text = test::all_text(ask("vendor Acme Academy").body);
  EXPECT_NE(text.find("Did you mean Acme AI Academy?"), std::string::npos) << text;
}

TEST_F(decision_service_test, decisions_lists_filters_and_searches) {
  ask("decide Acme reject — prompt engineering slideware");
  ask("decide Deep approve — production agents");
  auto text = test::all_text(ask("decisions").body);
  EXPECT_LT(text.find("Deep"), text.find("Acme")) << text;
  text = test::all_text(ask("decisions outcome reject").body);
  EXPECT_EQ(text.find("Deep"), std::string::npos) << text;
  const auto found = ask("decisions search prompts");
  const auto* q = std::get_if<im::quote>(&found.body.blocks.front());
  ASSERT_NE(q, nullptr);
  ASSERT_EQ(q->marks.size(), 1u);
  EXPECT_EQ(q->text.substr(q->marks[0].begin, q->marks[0].end - q->marks[0].begin), "prompt");
}

TEST(decision_chat, without_a_database_decision_commands_say_where_they_are_answered) {
  const auto book = knowledge::load_playbook("").value();
  const bot::chat_service chat(book);
  const auto r = chat.answer("decide Acme approve");
  EXPECT_EQ(r.audience, im::visibility::ephemeral);
  EXPECT_NE(test::all_text(r.body).find("decisions"), std::string::npos);
}
