// A proposal review as a chat answer: the full and the compact message, their limits once
// rendered for Slack and Mattermost, and `/playbook review` through the chat service.

#include "bot/chat_service.hpp"
#include "tests/bot/message_text.hpp"
#include "tests/bot/platform_limits.hpp"
#include "bot/commands.hpp"
#include "bot/review_answer.hpp"
#include "integrations/mattermost/render.hpp"
#include "integrations/slack/render.hpp"
#include "integrations/text/utf8.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

namespace {

namespace im = integrations;
namespace json = boost::json;

using test::book;
using test::reviewed;

const bot::chat_service& service() {
  static const bot::chat_service s(book(), "/playbook");
  return s;
}

using test::all_text;

// A long proposal written the way real ones are: a table, a week-by-week plan, prose, and nearly
// every problem the playbook warns about, with long sentences.
std::string messy_proposal() {
  std::string text =
      "# GENERATIVE AI ACCELERATOR \xE2\x80\x94 Proposal for <Acme & Co> \"Engineering\"\n\n"
      "## Why us\n\n"
      "Our self-paced video modules and live lectures give every engineer a certificate of "
      "completion; success is measured by attendance, completion rates and quiz scores reported "
      "to HR every month.\n\n"
      "## Schedule\n\n"
      "| Module | Hours |\n|---|---|\n"
      "| Python fundamentals | 20 |\n| Linear algebra and statistics | 20 |\n"
      "| History of AI and neural network theory | 10 |\n"
      "| Prompt engineering with the OpenAI API | 10 |\n"
      "| Fine-tuning GPT-4o with the OpenAI fine-tuning API | 10 |\n\n"
      "## Labs\n\n"
      "All labs run in our browser-based sandbox with pre-loaded sample datasets; nothing to "
      "install. Participants call the OpenAI API, write prompt templates and system prompts, and "
      "use function calling with the Assistants API.\n\n"
      "## Capstone\n\n"
      "For the capstone, each team builds a Streamlit chatbot over the company wiki and presents "
      "it on demo day.\n\n"
      "## Context\n\n"
      "The board has mandated that every engineer completes AI training by Q3, and we have no "
      "defined AI use cases yet.\n\n"
      "## Notes\n\n";
  for (int i = 0; i < 60; ++i)
    text += "- Note " + std::to_string(i) +
            ": the OpenAI GPT-4o model is used in this lab too, and the fine-tuning runs are "
            "compared by loss curves and hyperparameters over many long afternoons of lectures.\n";
  return text;
}

bool has_flag(const knowledge::review& r, std::string_view id) {
  for (const auto& f : r.red_flags)
    if (f.id == id) return true;
  return false;
}

// --- the message --------------------------------------------------------------------------------

TEST(review_message, the_title_gives_the_verdict_and_the_score) {
  const auto r = reviewed(messy_proposal());
  for (bool compact : {false, true}) {
    bot::review_layout layout;
    layout.compact = compact;
    const auto m = bot::review_message(r, layout);
    EXPECT_NE(m.title.find(bot::verdict_label(r.verdict)), std::string::npos) << m.title;
    EXPECT_NE(m.title.find(std::to_string(r.score)), std::string::npos) << m.title;
  }
}

TEST(review_message, verdict_labels_are_words) {
  EXPECT_EQ(bot::verdict_label("proceed"), "Proceed");
  EXPECT_EQ(bot::verdict_label("proceed_with_conditions"), "Proceed with conditions");
  EXPECT_EQ(bot::verdict_label("do_not_proceed"), "Do not proceed");
}

TEST(review_message, every_raised_flag_is_shown_in_full_and_compact) {
  const auto r = reviewed(messy_proposal());
  ASSERT_GE(r.red_flags.size(), 5u);
  for (bool compact : {false, true}) {
    bot::review_layout layout;
    layout.compact = compact;
    const auto text = all_text(bot::review_message(r, layout));
    for (const auto& f : r.red_flags) EXPECT_NE(text.find(f.title), std::string::npos) << f.id;
    for (const auto& q : r.questions) EXPECT_NE(text.find(q), std::string::npos) << q;
  }
}

TEST(review_message, the_full_review_quotes_the_evidence_and_explains_the_score) {
  const auto r = reviewed(messy_proposal());
  const auto text = all_text(bot::review_message(r, {}));
  for (const auto& f : r.red_flags)
    for (const auto& e : f.evidence) EXPECT_NE(text.find(e.quote), std::string::npos) << f.id;
  EXPECT_NE(text.find(r.score_explanation), std::string::npos);
  for (const auto& c : r.coverage) EXPECT_NE(text.find(c.title), std::string::npos) << c.id;
}

TEST(review_message, compact_with_few_flags_says_how_many_more_there_are) {
  const auto r = reviewed(messy_proposal());
  ASSERT_GE(r.red_flags.size(), 4u);
  bot::review_layout layout;
  layout.compact = true;
  layout.max_flags = 2;
  layout.full_review_hint = "playbook-bot review FILE";
  const auto m = bot::review_message(r, layout);
  const auto text = all_text(m);
  const auto hidden = r.red_flags.size() - 2;
  std::size_t shown = 0;
  for (const auto& f : r.red_flags) shown += text.find(f.title) != std::string::npos ? 1 : 0;
  // Titles may also appear in the score breakdown of a full review, never in a compact one.
  EXPECT_EQ(shown, 2u);
  EXPECT_NE(text.find(std::to_string(hidden) + " more"), std::string::npos) << text;
  EXPECT_NE(text.find("playbook-bot review FILE"), std::string::npos);
}

TEST(review_message, a_clean_review_says_no_flag_was_found) {
  const auto r = reviewed(
      "A 4-day workshop for staff engineers, taught by practitioners who shipped LLM systems in "
      "production. About 70% hands-on on your stack with your data; Llama with vLLM next to "
      "hosted APIs. Weekly office hours for 90 days after the programme.");
  ASSERT_TRUE(r.red_flags.empty());
  const auto m = bot::review_message(r, {});
  EXPECT_FALSE(m.blocks.empty());
  EXPECT_NE(m.title.find(bot::verdict_label(r.verdict)), std::string::npos);
}

// --- within platform limits ---------------------------------------------------------------------

TEST(review_message, the_compact_review_of_a_long_messy_proposal_fits_slack_and_mattermost) {
  const auto r = reviewed(messy_proposal());
  bot::review_layout layout;
  layout.compact = true;
  layout.max_flags = 9;
  layout.max_questions = 6;
  im::reply reply;
  reply.body = bot::review_message(r, layout);
  test::expect_slack_limits(im::slack::render_reply_body(reply), "slack");
  test::expect_mattermost_limits(im::mattermost::render_reply_body(reply), "mattermost");
}

TEST(review_message, even_the_full_review_renders_within_limits) {
  const auto r = reviewed(messy_proposal());
  im::reply reply;
  reply.body = bot::review_message(r, {});
  test::expect_slack_limits(im::slack::render_reply_body(reply), "slack");
  test::expect_mattermost_limits(im::mattermost::render_reply_body(reply), "mattermost");
}

// --- the chat service ---------------------------------------------------------------------------

TEST(review_chat, review_text_answers_with_the_verdict) {
  const std::string proposal = messy_proposal();
  const auto r = reviewed(proposal);
  const auto body = service().respond(im::platform::slack, "review " + proposal);
  test::expect_slack_limits(body, "slack");
  const auto v = json::parse(body);
  EXPECT_EQ(v.at("response_type").as_string(), "ephemeral");
  EXPECT_NE(std::string(v.at("text").as_string()).find(bot::verdict_label(r.verdict)),
            std::string::npos)
      << v.at("text");
  const auto mm = service().respond(im::platform::mattermost, "review " + proposal);
  test::expect_mattermost_limits(mm, "mattermost");
  EXPECT_NE(std::string(json::parse(mm).at("text").as_string()).find(bot::verdict_label(r.verdict)),
            std::string::npos);
}

TEST(review_chat, the_chat_answer_is_the_compact_review) {
  const std::string proposal = messy_proposal();
  const auto r = reviewed(proposal);
  const auto answer = service().answer("review " + proposal);
  const auto text = all_text(answer.body);
  EXPECT_NE(answer.body.title.find(bot::verdict_label(r.verdict)), std::string::npos);
  EXPECT_NE(answer.body.title.find(std::to_string(r.score)), std::string::npos);
  for (const auto& f : r.red_flags) EXPECT_NE(text.find(f.title), std::string::npos) << f.id;
  // Compact: not every quote of every finding, no score breakdown.
  EXPECT_EQ(text.find(r.score_explanation), std::string::npos);
}

TEST(review_chat, review_alone_gives_usage) {
  for (std::string_view text : {"review", "review   ", "public review", "review public"}) {
    const auto answer = service().answer(text);
    EXPECT_EQ(answer.audience, im::visibility::ephemeral) << text;
    const auto all = all_text(answer.body);
    EXPECT_NE(all.find("/playbook review"), std::string::npos) << text << ":\n" << all;
    const auto v = json::parse(service().respond(im::platform::slack, text));
    EXPECT_EQ(v.at("response_type").as_string(), "ephemeral") << text;
  }
}

TEST(review_chat, public_review_answers_in_the_channel) {
  const std::string proposal = "For the capstone, each team builds a Streamlit chatbot.";
  for (const std::string& text : {"public review " + proposal, "review public " + proposal}) {
    EXPECT_EQ(service().answer(text).audience, im::visibility::in_channel) << text;
    const auto slack = json::parse(service().respond(im::platform::slack, text));
    EXPECT_EQ(slack.at("response_type").as_string(), "in_channel") << text;
    const auto mm = json::parse(service().respond(im::platform::mattermost, text));
    EXPECT_EQ(mm.at("response_type").as_string(), "in_channel") << text;
  }
  EXPECT_EQ(service().answer("review " + proposal).audience, im::visibility::ephemeral);
}

TEST(review_chat, the_word_public_inside_a_proposal_is_text) {
  const std::string text = "review Our public cloud labs use a Streamlit chatbot as the capstone. public";
  const auto cmd = bot::parse_command_text(text);
  EXPECT_EQ(cmd.what, bot::topic::review);
  EXPECT_FALSE(cmd.is_public);
  EXPECT_EQ(cmd.argument, "Our public cloud labs use a Streamlit chatbot as the capstone. public");
}

TEST(review_chat, aliases_reach_the_review) {
  for (std::string_view word : {"review", "Review", "check", "assess", "evaluate-proposal"}) {
    const auto cmd = bot::parse_command_text(std::string(word) + " some proposal text");
    EXPECT_EQ(cmd.what, bot::topic::review) << word;
    EXPECT_EQ(cmd.argument, "some proposal text") << word;
  }
}

TEST(review_chat, line_breaks_of_the_proposal_survive_parsing) {
  const std::string proposal =
      "# Plan\n\n- Day 1: Python basics\n- Day 2: Python basics\n\n| Module | Hours |\n|---|---|\n"
      "| RAG | 6 |\r\n\tIndented line";
  for (const std::string& text : {"review " + proposal, "review\n" + proposal,
                                  "public review " + proposal, "review public\n" + proposal}) {
    const auto cmd = bot::parse_command_text(text);
    EXPECT_EQ(cmd.what, bot::topic::review);
    EXPECT_EQ(cmd.argument, proposal) << text;
  }
}

TEST(review_chat, a_schedule_pasted_in_chat_is_reviewed_as_a_schedule) {
  const std::string proposal =
      "# Programme\n\n- Day 1: Python basics\n- Day 2: Python basics, continued\n"
      "- Day 3: Linear algebra\n- Day 4: Retrieval\n- Day 5: Evaluation\n- Day 6: Deployment";
  const auto direct = reviewed(proposal);
  ASSERT_TRUE(has_flag(direct, "basics_heavy"));
  const auto text = all_text(service().answer("review " + proposal).body);
  for (const auto& f : direct.red_flags) EXPECT_NE(text.find(f.title), std::string::npos) << f.id;
}

// Regression (fixed): the chat service treats a review as an error only when its text is empty; a review that
// fails (the text is not UTF-8) is answered "Could not review this text" in the channel when
// `public` is given, although errors are meant to stay ephemeral.
TEST(review_chat, unreadable_text_is_an_ephemeral_error) {
  const std::string text = "public review \xFF\xFE\xFD not utf-8 \xC3\x28";
  const auto answer = service().answer(text);
  EXPECT_EQ(answer.audience, im::visibility::ephemeral);
  for (auto p : {im::platform::slack, im::platform::mattermost}) {
    const auto body = service().respond(p, text);
    boost::system::error_code ec;
    json::parse(body, ec);
    EXPECT_FALSE(ec) << body;
  }
}

TEST(review_chat, unreadable_text_gives_valid_json_for_both_platforms) {
  const std::string text = "review \xFF\xFE\xFD not utf-8 \xC3\x28";
  EXPECT_EQ(service().answer(text).audience, im::visibility::ephemeral);
  for (auto p : {im::platform::slack, im::platform::mattermost}) {
    const auto body = service().respond(p, text);
    boost::system::error_code ec;
    json::parse(body, ec);
    EXPECT_FALSE(ec) << body;
  }
}

TEST(review_chat, a_huge_paste_gives_a_valid_answer_within_limits) {
  std::string proposal;
  while (proposal.size() < 2'000'000) proposal += messy_proposal();
  test::expect_slack_limits(service().respond(im::platform::slack, "review " + proposal), "slack");
  test::expect_mattermost_limits(service().respond(im::platform::mattermost, "review " + proposal),
                           "mattermost");
}

}  // namespace
