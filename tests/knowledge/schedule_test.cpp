// Time in a proposal: the schedule items read from day lists, ranges, half-days, tables and
// weekday headings, and the shares computed from them or stated in words. Each text is extracted
// and prepared exactly as a review prepares it.

#include "knowledge/document.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/review_text.hpp"
#include "knowledge/rules.hpp"
#include "knowledge/schedule.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

using test::book;

const knowledge::review_settings& settings() { return book().review.settings; }

knowledge::phrase_set topic(std::initializer_list<std::string_view> phrases) {
  knowledge::phrase_set out;
  for (auto p : phrases) out.push_back(knowledge::make_phrase(p));
  return out;
}

const knowledge::phrase_set& basics() {
  static const auto t = topic({"python basics", "python fundamentals", "python"});
  return t;
}

// A document prepared for review, with its schedule.
struct prepared {
  explicit prepared(std::string_view text) {
    auto d = knowledge::extract_document(text);
    if (!d) throw std::runtime_error("cannot extract: " + d.error().message);
    doc = std::move(*d);
    prepared_text = std::make_unique<knowledge::prepared_text>(doc, settings());
    plan = knowledge::read_schedule(*prepared_text, settings());
  }

  std::optional<double> share_of(const knowledge::phrase_set& t) const {
    const auto s = knowledge::schedule_share(*prepared_text, plan, t);
    if (!s) return std::nullopt;
    return s->value;
  }

  std::optional<double> days() const {
    return knowledge::programme_days(*prepared_text, plan, settings());
  }

  double hours_per_day() const { return settings().hours_per_day; }
  double hours_per_week() const { return settings().hours_per_day * settings().days_per_week; }

  knowledge::document doc;
  std::unique_ptr<knowledge::prepared_text> prepared_text;
  knowledge::schedule plan;
};

constexpr double eps = 1e-6;

// --- lists, ranges, half-days -------------------------------------------------------------------

TEST(schedule, a_list_of_days_has_one_item_per_day) {
  const prepared p(
      "# Programme\n\n"
      "- Day 1: Python basics\n"
      "- Day 2: Python basics, continued\n"
      "- Day 3: Python fundamentals lab\n"
      "- Day 4: Retrieval-augmented generation\n"
      "- Day 5: Evaluation\n"
      "- Day 6: Deployment\n");
  EXPECT_EQ(p.plan.items.size(), 6u);
  EXPECT_NEAR(p.plan.total_hours, 6 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.5, eps);
  ASSERT_TRUE(p.days());
  EXPECT_NEAR(*p.days(), 6, eps);
}

TEST(schedule, a_day_range_counts_each_day) {
  const prepared p(
      "# Programme\n\n"
      "## Days 1-3: Python basics\n"
      "Syntax, types and the standard library.\n\n"
      "## Days 4-6: Retrieval\n"
      "We build a RAG service.\n");
  EXPECT_NEAR(p.plan.total_hours, 6 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.5, eps);
}

TEST(schedule, a_week_range_with_an_en_dash_counts_each_week) {
  const prepared p(
      "# Bootcamp\n\n"
      "- Weeks 1\xE2\x80\x93" "3: Python basics\n"
      "- Weeks 4\xE2\x80\x93" "6: Retrieval and evaluation\n"
      "- Weeks 7\xE2\x80\x93" "8: Capstone\n");
  EXPECT_NEAR(p.plan.total_hours, 8 * p.hours_per_week(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 3.0 / 8, eps);
  ASSERT_TRUE(p.days());
  EXPECT_NEAR(*p.days(), 8 * settings().days_per_week, eps);
}

TEST(schedule, a_range_written_with_to_counts_each_day) {
  const prepared p(
      "# Programme\n\n"
      "- Days 1 to 2: Python basics\n"
      "- Days 3 to 8: Retrieval and evaluation\n");
  EXPECT_NEAR(p.plan.total_hours, 8 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

// Regression (fixed): "Week 4 (6 hours): Python basics" is read as two items, a whole week about nothing and
// 6 hours on Python basics, so the weeks' stated hours are drowned by 35-hour weeks.
TEST(schedule, a_week_with_its_hours_counts_those_hours) {
  const prepared p(
      "# Programme\n\n"
      "- Week 4 (6 hours): Python basics\n"
      "- Week 5 (4 hours): Retrieval pipelines\n"
      "- Week 6 (2 hours): Evaluation\n");
  EXPECT_EQ(p.plan.items.size(), 3u);
  EXPECT_NEAR(p.plan.total_hours, 12, eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.5, eps);
}

TEST(schedule, half_days_are_half_a_day) {
  const prepared p(
      "# Programme\n\n"
      "- Half-day 1: Python basics\n"
      "- Half-day 2: Retrieval\n"
      "- Half-day 3: Evaluation\n"
      "- Half-day 4: Deployment\n");
  EXPECT_EQ(p.plan.items.size(), 4u);
  EXPECT_NEAR(p.plan.total_hours, 2 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

// Regression (fixed): "Day 1 (half day): Python basics" gives a full-day item for "Day 1" and a half-day item
// for Python basics: 3.5 days in all instead of 2.5.
TEST(schedule, a_day_marked_half_day_is_half_a_day) {
  const prepared p(
      "# Programme\n\n"
      "- Day 1 (half day): Python basics\n"
      "- Day 2: Retrieval\n"
      "- Day 3: Evaluation\n");
  EXPECT_NEAR(p.plan.total_hours, 2.5 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.2, eps);
}

// --- tables -------------------------------------------------------------------------------------

TEST(schedule, an_hours_column_weighs_each_row_and_the_total_row_is_left_out) {
  const prepared p(
      "# Syllabus\n\n"
      "| Module | Hours |\n"
      "|---|---|\n"
      "| Python fundamentals | 12 |\n"
      "| RAG service | 10 |\n"
      "| Evaluation | 6 |\n"
      "| **Total** | **28** |\n");
  EXPECT_EQ(p.plan.items.size(), 3u);
  EXPECT_NEAR(p.plan.total_hours, 28, eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 12.0 / 28, eps);
}

TEST(schedule, a_days_column_with_fractions_is_read_in_days) {
  const prepared p(
      "# Syllabus\n\n"
      "| Topic | Days |\n"
      "|---|---|\n"
      "| Python basics | 2 |\n"
      "| RAG | 1.5 |\n"
      "| Evaluation | 0.5 |\n");
  EXPECT_NEAR(p.plan.total_hours, 4 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.5, eps);
}

TEST(schedule, a_week_column_counts_the_weeks_each_row_names) {
  const prepared p(
      "# Bootcamp\n\n"
      "| Week | Topic |\n"
      "|---|---|\n"
      "| 1 | Python basics |\n"
      "| 2-3 | RAG pipelines |\n"
      "| 4 | Evaluation |\n");
  EXPECT_EQ(p.plan.items.size(), 3u);
  EXPECT_NEAR(p.plan.total_hours, 4 * p.hours_per_week(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

TEST(schedule, a_module_column_without_lengths_weighs_modules_equally) {
  const prepared p(
      "# Course\n\n"
      "| Module | Topic |\n"
      "|---|---|\n"
      "| 1 | Python basics |\n"
      "| 2 | RAG pipelines |\n"
      "| 3 | Evaluation |\n"
      "| 4 | Deployment |\n");
  EXPECT_EQ(p.plan.items.size(), 4u);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

// Regression (fixed): a table row split into Morning and Afternoon items gives both items the row's day index;
// the pass that drops days named a second time then removes every afternoon, so only half the
// programme is left (2 items, 1 day, Python basics at 50 % instead of 25 %).
TEST(schedule, morning_and_afternoon_columns_split_each_day) {
  const prepared p(
      "# Workshop\n\n"
      "| Day | Morning | Afternoon |\n"
      "|---|---|---|\n"
      "| 1 | Python basics | RAG pipelines |\n"
      "| 2 | Evaluation | Deployment |\n");
  EXPECT_EQ(p.plan.items.size(), 4u);
  EXPECT_NEAR(p.plan.total_hours, 2 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

// --- headings and words ---------------------------------------------------------------------

TEST(schedule, weekday_headings_are_days) {
  const prepared p(
      "# Workshop week\n\n"
      "## Monday \xE2\x80\x94 Python basics\n"
      "Syntax and tooling.\n\n"
      "## Tuesday \xE2\x80\x94 Retrieval\n"
      "RAG.\n\n"
      "## Wednesday \xE2\x80\x94 Evaluation\n"
      "Evals.\n\n"
      "## Thursday \xE2\x80\x94 Deployment\n"
      "CI.\n");
  EXPECT_EQ(p.plan.items.size(), 4u);
  EXPECT_NEAR(p.plan.total_hours, 4 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

TEST(schedule, days_named_in_words_are_counted) {
  const prepared p(
      "# Programme\n\n"
      "- Day one: Python basics\n"
      "- Days two and three: Retrieval\n"
      "- Days four and five: Evaluation\n");
  EXPECT_NEAR(p.plan.total_hours, 5 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.2, eps);
}

TEST(schedule, days_grouped_under_week_headings_count_once) {
  const prepared p(
      "# Plan\n\n"
      "## Week 1\n\n"
      "- Day 1: Python basics\n"
      "- Day 2: Retrieval\n\n"
      "## Week 2\n\n"
      "- Day 3: Evaluation\n"
      "- Day 4: Deployment\n");
  EXPECT_NEAR(p.plan.total_hours, 4 * p.hours_per_day(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

// --- what is not an item ------------------------------------------------------------------------

TEST(schedule, a_total_line_is_not_an_item) {
  const prepared p(
      "# Plan\n\n"
      "- Python basics: 10 hours\n"
      "- Retrieval pipelines: 10 hours\n"
      "- Evaluation harness: 20 hours\n\n"
      "Total: 40 hours.\n");
  EXPECT_EQ(p.plan.items.size(), 3u);
  EXPECT_NEAR(p.plan.total_hours, 40, eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

// Regression (fixed): a one-word topic before its length ("Retrieval: 10 hours") is taken for a line that opens
// with its time, and the topic is lost: the item is about nothing.
TEST(schedule, a_one_word_topic_before_its_hours_is_kept) {
  const prepared p(
      "# Plan\n\n"
      "- Python: 20 hours\n"
      "- Retrieval pipelines: 10 hours\n"
      "- Evaluation harness: 10 hours\n");
  EXPECT_NEAR(p.plan.total_hours, 40, eps);
  ASSERT_TRUE(p.share_of(topic({"python"})));
  EXPECT_NEAR(*p.share_of(topic({"python"})), 0.5, eps);
}

// Regression (fixed): "Module 1 (10 hours): Python basics" keeps the words before the length ("module 1") as the
// item's topic and drops the title after it, so no module is about anything.
TEST(schedule, a_numbered_module_with_its_hours_keeps_its_title) {
  const prepared p(
      "# Plan\n\n"
      "- Module 1 (10 hours): Python basics\n"
      "- Module 2 (10 hours): Retrieval\n"
      "- Module 3 (20 hours): Evaluation\n");
  EXPECT_NEAR(p.plan.total_hours, 40, eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

TEST(schedule, hours_per_week_is_a_rate_not_a_length) {
  const prepared p(
      "# Bootcamp\n\n"
      "The programme runs 6 hours per week for 8 weeks.\n\n"
      "- Weeks 1-2: Python basics, 6 hours per week\n"
      "- Weeks 3-8: Retrieval and evaluation, 6 hours per week\n");
  EXPECT_EQ(p.plan.items.size(), 2u);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

TEST(schedule, prose_repeating_weeks_does_not_count_them_twice) {
  const prepared p(
      "# Bootcamp\n\n"
      "- Week 1: Python basics\n"
      "- Week 2: Retrieval\n"
      "- Week 3: Lectures on transformers\n"
      "- Week 4: Lectures on evaluation\n\n"
      "Weeks 3 and 4 are lectures.\n");
  EXPECT_EQ(p.plan.items.size(), 4u);
  EXPECT_NEAR(p.plan.total_hours, 4 * p.hours_per_week(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

TEST(schedule, a_title_with_the_programme_length_is_not_an_item) {
  const prepared p(
      "# AI Engineering Bootcamp (8 weeks, part-time)\n\n"
      "## Week 1: Python basics\n"
      "Text.\n\n"
      "## Week 2: Retrieval\n"
      "Text.\n");
  EXPECT_EQ(p.plan.items.size(), 2u);
  EXPECT_NEAR(p.plan.total_hours, 2 * p.hours_per_week(), eps);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.5, eps);
}

TEST(schedule, a_length_in_the_middle_of_prose_is_not_an_item) {
  const prepared p(
      "Our engineers answer questions within 30 days, and the price is valid for 60 days.\n"
      "The team has run 12 weeks of pilots.\n");
  EXPECT_TRUE(p.plan.items.empty());
  EXPECT_FALSE(p.share_of(basics()));
}

TEST(schedule, negated_topics_are_not_counted) {
  const prepared p(
      "# Plan\n\n"
      "- Day 1: Python basics\n"
      "- Day 2: No Python basics: retrieval from the first hour\n"
      "- Day 3: Evaluation, not Python fundamentals\n"
      "- Day 4: Deployment\n");
  EXPECT_EQ(p.plan.items.size(), 4u);
  ASSERT_TRUE(p.share_of(basics()));
  EXPECT_NEAR(*p.share_of(basics()), 0.25, eps);
}

TEST(schedule, fewer_than_two_items_give_no_share) {
  const prepared p("# Plan\n\n- Day 1: Python basics\n");
  EXPECT_FALSE(p.share_of(basics()));
  const prepared none("We look forward to working with you.");
  EXPECT_TRUE(none.plan.items.empty());
  EXPECT_FALSE(none.share_of(basics()));
}

// --- stated shares ------------------------------------------------------------------------------

std::optional<double> stated(std::string_view text, const knowledge::phrase_set& t) {
  const prepared p(text);
  const auto s = knowledge::stated_share(*p.prepared_text, t);
  if (!s) return std::nullopt;
  return s->value;
}

TEST(stated_share, percentages_and_words_are_read) {
  const auto hands_on = topic({"hands-on", "labs"});
  ASSERT_TRUE(stated("About 70% of the time is hands-on.", hands_on));
  EXPECT_NEAR(*stated("About 70% of the time is hands-on.", hands_on), 0.7, eps);
  ASSERT_TRUE(stated("70 percent hands-on.", hands_on));
  EXPECT_NEAR(*stated("70 percent hands-on.", hands_on), 0.7, eps);
  ASSERT_TRUE(stated("Half of the course is spent on Python basics.", basics()));
  EXPECT_NEAR(*stated("Half of the course is spent on Python basics.", basics()), 0.5, eps);
  ASSERT_TRUE(stated("Three quarters of the week is labs.", hands_on));
  EXPECT_NEAR(*stated("Three quarters of the week is labs.", hands_on), 0.75, eps);
  ASSERT_TRUE(stated("Two thirds of the time is hands-on.", hands_on));
  EXPECT_NEAR(*stated("Two thirds of the time is hands-on.", hands_on), 2.0 / 3, eps);
}

// Regression (fixed): the word "half" in "half-day" is read as a share of one half.
TEST(stated_share, a_half_day_is_not_half_of_the_course) {
  const auto s = stated("A half-day Python basics refresher opens the five-day programme.", basics());
  EXPECT_FALSE(s && *s >= 0.5) << *s;
}

TEST(stated_share, no_share_is_stated_without_a_quantity_or_the_topic) {
  EXPECT_FALSE(stated("Engineers love hands-on labs.", topic({"hands-on"})));
  EXPECT_FALSE(stated("About 70% of engineers passed.", topic({"hands-on"})));
}

TEST(stated_share, a_percentage_above_100_is_not_a_share) {
  const auto s = stated("Engineers are 300% hands-on.", topic({"hands-on"}));
  if (s) {
    EXPECT_GE(*s, 0.0);
    EXPECT_LE(*s, 1.0);
  }
}

// --- leading share (theory first) --------------------------------------------------------------

TEST(leading_share, theory_before_building_is_measured) {
  const prepared p(
      "# Bootcamp\n\n"
      "- Weeks 1-3: Theory and history of AI\n"
      "- Weeks 4-8: Build labs and capstone\n");
  const auto s = knowledge::leading_share(*p.prepared_text, p.plan, topic({"theory", "history"}),
                                          topic({"build", "labs"}));
  ASSERT_TRUE(s);
  EXPECT_NEAR(s->value, 3.0 / 8, eps);
  EXPECT_FALSE(s->units.empty());
}

TEST(leading_share, a_programme_that_opens_by_building_has_none) {
  const prepared p(
      "# Bootcamp\n\n"
      "- Week 1: Build a RAG prototype\n"
      "- Week 2: Theory of embeddings\n"
      "- Week 3: Evaluation lab\n");
  const auto s = knowledge::leading_share(*p.prepared_text, p.plan, topic({"theory"}),
                                          topic({"build", "lab"}));
  if (s) {
    EXPECT_NEAR(s->value, 0, eps);
  }
}

// --- programme length ---------------------------------------------------------------------------

TEST(programme_days, a_stated_length_without_a_schedule_is_read) {
  const prepared bootcamp("A 12-week bootcamp for backend engineers.");
  ASSERT_TRUE(bootcamp.days());
  EXPECT_NEAR(*bootcamp.days(), 12 * settings().days_per_week, eps);

  const prepared workshop("Our 3-day workshop for staff engineers.");
  ASSERT_TRUE(workshop.days());
  EXPECT_NEAR(*workshop.days(), 3, eps);

  const prepared nothing("We look forward to working with you.");
  EXPECT_FALSE(nothing.days());
}

TEST(programme_days, a_day_number_is_not_a_length) {
  const prepared p("On Day 3 we visit your office.");
  EXPECT_FALSE(p.days());
}

}  // namespace
