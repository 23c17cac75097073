// The shipped coverage and category rules keep their promises: each rule's "match" examples are
// judged covered (or classified as that category) and its "no_match" examples are not.

#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <gtest/gtest.h>

namespace {

using test::book;

std::string status_of(const knowledge::review& r, const std::string& id) {
  for (const auto& c : r.coverage)
    if (c.id == id) return c.status;
  return "absent";
}

TEST(coverage_examples, every_coverage_rule_has_examples_both_ways) {
  for (const auto& rule : book().review.coverage) {
    EXPECT_FALSE(rule.examples.match.empty()) << rule.id;
    EXPECT_FALSE(rule.examples.no_match.empty()) << rule.id;
  }
}

TEST(coverage_examples, match_examples_are_covered_and_no_match_examples_are_missing) {
  for (const auto& rule : book().review.coverage) {
    for (const auto& text : rule.examples.match) {
      const auto r = knowledge::review_text(text, book());
      ASSERT_TRUE(r) << rule.id << ": " << r.error().message;
      EXPECT_EQ(status_of(*r, rule.id), "covered") << rule.id << " on: " << text;
    }
    for (const auto& text : rule.examples.no_match) {
      const auto r = knowledge::review_text(text, book());
      ASSERT_TRUE(r) << rule.id << ": " << r.error().message;
      EXPECT_EQ(status_of(*r, rule.id), "missing") << rule.id << " on: " << text;
    }
  }
}

TEST(category_examples, match_examples_get_their_category_and_no_match_examples_do_not) {
  for (const auto& rule : book().review.categories) {
    EXPECT_FALSE(rule.examples.match.empty()) << rule.id;
    EXPECT_FALSE(rule.examples.no_match.empty()) << rule.id;
    for (const auto& text : rule.examples.match) {
      const auto r = knowledge::review_text(text, book());
      ASSERT_TRUE(r);
      EXPECT_EQ(r->category.id, rule.id) << text;
      EXPECT_FALSE(r->category.signals.empty()) << text;
    }
    for (const auto& text : rule.examples.no_match) {
      const auto r = knowledge::review_text(text, book());
      ASSERT_TRUE(r);
      EXPECT_NE(r->category.id, rule.id) << text;
    }
  }
}

}  // namespace
