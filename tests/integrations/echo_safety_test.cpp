// Text that is safe to store and echo into a channel, and the highlighted pieces of a quote.

#include "integrations/chat/message.hpp"
#include "integrations/text/echo_safety.hpp"

#include <gtest/gtest.h>

using integrations::text::echo_problem;

TEST(echo_safety, plain_text_urls_and_emails_are_fine) {
  EXPECT_FALSE(echo_problem("Acme AI Academy — 3/6 days on Python, 50 %"));
  EXPECT_FALSE(echo_problem("see https://example.com/proposal.pdf"));
  EXPECT_FALSE(echo_problem("mail sales@channel.example or ops@here-and-now.example"));
  EXPECT_FALSE(echo_problem("Zürich, 東京, emoji 🚀"));
  EXPECT_FALSE(echo_problem("a < b and c > d"));
}

TEST(echo_safety, crowd_mentions_are_refused_in_any_case) {
  for (const char* s : {"@channel", "hi @here", "@Everyone!", "@all", "x @CHANNEL."})
    EXPECT_TRUE(echo_problem(s)) << s;
}

TEST(echo_safety, mention_and_link_markup_is_refused) {
  for (const char* s : {"<!here>", "<!subteam^S1>", "<@U123>", "<#C123|general>", "<http://x|y>",
                        "<mailto:a@b.c>", "[click](https://x)"})
    EXPECT_TRUE(echo_problem(s)) << s;
}

TEST(echo_safety, controls_bidi_overrides_and_broken_utf8_are_refused) {
  EXPECT_TRUE(echo_problem(std::string("a\0b", 3)));
  EXPECT_TRUE(echo_problem("a\x1b[31mred"));
  EXPECT_TRUE(echo_problem("a\x7f"));
  EXPECT_TRUE(echo_problem("a\xC2\x85" "b"));          // NEL, a C1 control
  EXPECT_TRUE(echo_problem("a\xE2\x80\xAE" "b"));      // right-to-left override
  EXPECT_TRUE(echo_problem("a\xE2\x81\xA6" "b"));      // left-to-right isolate
  EXPECT_FALSE(echo_problem("a\xE2\x80\x8D" "b"));     // zero-width joiner
  EXPECT_TRUE(echo_problem("\xFF\xFE"));
}

TEST(echo_safety, line_breaks_and_urls_follow_the_rules) {
  EXPECT_TRUE(echo_problem("a\nb"));
  EXPECT_FALSE(echo_problem("a\nb\r\nc", {.allow_line_breaks = true, .allow_urls = true}));
  EXPECT_TRUE(echo_problem("a\rb", {.allow_line_breaks = true, .allow_urls = true}));
  EXPECT_TRUE(echo_problem("www.acme.example", {.allow_line_breaks = false, .allow_urls = false}));
  EXPECT_TRUE(echo_problem("HTTPS://acme.example", {.allow_line_breaks = false, .allow_urls = false}));
}

TEST(quote_pieces, marks_cut_the_text_and_bad_marks_are_ignored) {
  integrations::quote q{"prompt engineering for prompts", "", {{0, 6}, {3, 9}, {23, 30}, {40, 50}}};
  const auto p = integrations::pieces(q);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].text, "prompt");
  EXPECT_TRUE(p[0].marked);
  EXPECT_EQ(p[1].text, " engineering for ");
  EXPECT_FALSE(p[1].marked);
  EXPECT_EQ(p[2].text, "prompts");
  EXPECT_TRUE(p[2].marked);
}

TEST(quote_pieces, a_mark_never_splits_a_utf8_sequence) {
  integrations::quote q{"a\xC3\xBC" "b", "", {{2, 3}}};  // the middle of ü
  const auto p = integrations::pieces(q);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].text, "\xC3\xBC");
}
