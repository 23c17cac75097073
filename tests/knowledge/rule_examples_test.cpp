// Every shipped review rule's own examples: each "match" text raises the rule, each "no_match"
// text does not. The examples live next to the rule in the playbook data, so a tuned rule that
// stops meeting its own examples fails here, by name.

#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace {

using test::book;

enum class family { flag, coverage, avoid };

struct example_case {
  family kind = family::flag;
  std::string rule_id;
  std::string text;
  bool must_match = true;
  std::size_t index = 0;
};

std::vector<example_case> all_examples() {
  std::vector<example_case> out;
  const auto add = [&](family k, const std::string& id, const knowledge::rule_examples& ex) {
    for (std::size_t i = 0; i < ex.match.size(); ++i) out.push_back({k, id, ex.match[i], true, i});
    for (std::size_t i = 0; i < ex.no_match.size(); ++i)
      out.push_back({k, id, ex.no_match[i], false, i});
  };
  for (const auto& r : book().review.flags) add(family::flag, r.id, r.examples);
  for (const auto& r : book().review.coverage) add(family::coverage, r.id, r.examples);
  for (const auto& r : book().review.avoid) add(family::avoid, r.id, r.examples);
  return out;
}

std::string family_name(family k) {
  switch (k) {
    case family::flag:
      return "flag";
    case family::coverage:
      return "coverage";
    case family::avoid:
      return "avoid";
  }
  return "?";
}

// Test names may hold only letters, digits and '_'.
std::string test_name(const testing::TestParamInfo<example_case>& info) {
  std::string name = family_name(info.param.kind) + "_" + info.param.rule_id +
                     (info.param.must_match ? "_match_" : "_no_match_") +
                     std::to_string(info.param.index);
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& findings) {
  std::vector<std::string> ids;
  for (const auto& f : findings) ids.push_back(f.id);
  return ids;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out.empty() ? "(none)" : out;
}

class rule_examples : public testing::TestWithParam<example_case> {};

TEST_P(rule_examples, raise_their_rule_exactly_when_they_should) {
  const auto& c = GetParam();
  const auto r = knowledge::review_text(c.text, book());
  ASSERT_TRUE(r) << family_name(c.kind) << " rule '" << c.rule_id << "': example cannot be reviewed ("
                 << r.error().message << "): " << c.text;
  switch (c.kind) {
    case family::flag: {
      const auto ids = ids_of(r->red_flags);
      const bool raised = std::find(ids.begin(), ids.end(), c.rule_id) != ids.end();
      EXPECT_EQ(raised, c.must_match)
          << "flag rule '" << c.rule_id << "' " << (c.must_match ? "must match" : "must not match")
          << " its example:\n  " << c.text << "\nflags raised: " << joined(ids);
      break;
    }
    case family::avoid: {
      const auto ids = ids_of(r->avoid_signals);
      const bool raised = std::find(ids.begin(), ids.end(), c.rule_id) != ids.end();
      EXPECT_EQ(raised, c.must_match)
          << "avoid rule '" << c.rule_id << "' " << (c.must_match ? "must match" : "must not match")
          << " its example:\n  " << c.text << "\navoid signals raised: " << joined(ids);
      break;
    }
    case family::coverage: {
      // A coverage rule "matches" a text that covers it at least partly; a no_match text leaves
      // it missing.
      const auto it = std::find_if(r->coverage.begin(), r->coverage.end(),
                                   [&](const auto& f) { return f.id == c.rule_id; });
      ASSERT_NE(it, r->coverage.end()) << "coverage rule '" << c.rule_id << "' has no entry";
      EXPECT_EQ(it->status != "missing", c.must_match)
          << "coverage rule '" << c.rule_id << "' " << (c.must_match ? "must match" : "must not match")
          << " its example (status " << it->status << "):\n  " << c.text;
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(playbook, rule_examples, testing::ValuesIn(all_examples()), test_name);

TEST(rule_examples_present, every_flag_rule_has_a_match_and_a_no_match_example) {
  ASSERT_FALSE(book().review.flags.empty());
  for (const auto& r : book().review.flags) {
    EXPECT_GE(r.examples.match.size(), 1u) << "flag rule '" << r.id << "' has no match example";
    EXPECT_GE(r.examples.no_match.size(), 1u) << "flag rule '" << r.id << "' has no no_match example";
  }
}

TEST(rule_examples_present, every_avoid_rule_has_a_match_and_a_no_match_example) {
  for (const auto& r : book().review.avoid) {
    EXPECT_GE(r.examples.match.size(), 1u) << "avoid rule '" << r.id << "' has no match example";
    EXPECT_GE(r.examples.no_match.size(), 1u) << "avoid rule '" << r.id << "' has no no_match example";
  }
}

TEST(rule_examples_present, the_issue_flags_all_ship_with_rules) {
  std::vector<std::string> ids;
  for (const auto& r : book().review.flags) ids.push_back(r.id);
  for (const char* id : {"basics_heavy", "single_vendor", "toy_final_project", "no_post_training_support",
                         "attendance_metrics", "theory_first", "api_wrapper_focus", "sandbox_only",
                         "model_centric"})
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
}

TEST(rule_examples_present, the_five_playbook_flags_are_red_flags_and_the_failure_modes_warnings) {
  for (const auto& r : book().review.flags) {
    const bool red = r.id == "basics_heavy" || r.id == "single_vendor" ||
                     r.id == "toy_final_project" || r.id == "no_post_training_support" ||
                     r.id == "attendance_metrics";
    const bool warning = r.id == "theory_first" || r.id == "api_wrapper_focus" ||
                         r.id == "sandbox_only" || r.id == "model_centric";
    if (red) {
      EXPECT_EQ(r.severity, "red_flag") << r.id;
    }
    if (warning) {
      EXPECT_EQ(r.severity, "warning") << r.id;
    }
  }
}

}  // namespace
