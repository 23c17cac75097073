// The review rules as data: a bad rule is a load error that names the rule id and the JSON path
// of the problem, and describe_rules prints every rule that is in force. Bad playbooks are the
// embedded one with one thing changed.

#include "knowledge/json_reader.hpp"  // detail::load_failure, what read_review_rules throws
#include "knowledge/playbook.hpp"
#include "knowledge/rules.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = boost::json;

json::value embedded() { return json::parse(knowledge::embedded_playbook_json()); }

knowledge::result<knowledge::playbook> parse(const json::value& v) {
  return knowledge::parse_playbook(json::serialize(v), "team-playbook.json");
}

json::array& flags(json::value& v) { return v.at("review").at("flags").as_array(); }

std::size_t flag_index(json::value& v, std::string_view id) {
  auto& all = flags(v);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].at("id").as_string() == id) return i;
  throw std::runtime_error("no flag " + std::string(id));
}

json::object& flag(json::value& v, std::string_view id) {
  return flags(v)[flag_index(v, id)].as_object();
}

// The first object under v (depth first) for which pred holds, and its JSON path from v.
json::object* find_object(json::value& v, const std::function<bool(const json::object&)>& pred,
                          std::string& path) {
  if (auto* o = v.if_object()) {
    if (pred(*o)) return o;
    for (auto& kv : *o) {
      std::string sub = path + "/" + std::string(kv.key());
      if (auto* found = find_object(kv.value(), pred, sub)) {
        path = sub;
        return found;
      }
    }
  } else if (auto* a = v.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      std::string sub = path + "/" + std::to_string(i);
      if (auto* found = find_object((*a)[i], pred, sub)) {
        path = sub;
        return found;
      }
    }
  }
  return nullptr;
}

void expect_error(const json::value& v, std::initializer_list<std::string_view> parts) {
  const auto r = parse(v);
  ASSERT_FALSE(r) << "the playbook was accepted";
  const auto& m = r.error().message;
  EXPECT_NE(m.find("team-playbook.json"), std::string::npos) << m;
  for (auto p : parts) EXPECT_NE(m.find(p), std::string::npos) << "'" << p << "' not in: " << m;
}

std::string flag_path(json::value& v, std::string_view id) {
  return "/review/flags/" + std::to_string(flag_index(v, id));
}

TEST(rules, the_embedded_playbook_is_valid) {
  const auto r = parse(embedded());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->review.flags.empty());
  EXPECT_EQ(r->review.coverage.size(), 8u);
  EXPECT_EQ(r->review.categories.size(), 4u);
}

TEST(rules, an_unknown_condition_kind_names_the_rule_and_the_path) {
  auto v = embedded();
  flag(v, "toy_final_project")["when"] = json::object{{"kind", "regex"}, {"phrases", {"chatbot"}}};
  expect_error(v, {"toy_final_project", flag_path(v, "toy_final_project") + "/when/kind", "regex"});
}

TEST(rules, an_unknown_kind_deep_inside_a_rule_names_its_path) {
  auto v = embedded();
  auto& when = flag(v, "toy_final_project")["when"];
  std::string path = flag_path(v, "toy_final_project") + "/when";
  auto* near = find_object(when, [](const json::object& o) {
    const auto* k = o.if_contains("kind");
    return k && k->is_string() && k->as_string() == "near";
  }, path);
  ASSERT_NE(near, nullptr);
  (*near)["kind"] = "nearby";
  expect_error(v, {"toy_final_project", path + "/kind", "nearby"});
}

TEST(rules, an_unknown_key_in_a_condition_names_the_key_and_the_rule) {
  auto v = embedded();
  auto& when = flag(v, "attendance_metrics")["when"];
  std::string path = flag_path(v, "attendance_metrics") + "/when";
  auto* near = find_object(when, [](const json::object& o) {
    const auto* k = o.if_contains("kind");
    return k && k->is_string() && k->as_string() == "near";
  }, path);
  ASSERT_NE(near, nullptr);
  (*near)["windw"] = 5;
  expect_error(v, {"attendance_metrics", path + "/windw", "unknown key"});
}

TEST(rules, a_missing_when_names_the_rule) {
  auto v = embedded();
  flag(v, "single_vendor").erase("when");
  expect_error(v, {"single_vendor", flag_path(v, "single_vendor") + "/when", "missing"});
}

TEST(rules, a_bad_severity_names_the_rule) {
  auto v = embedded();
  flag(v, "sandbox_only")["severity"] = "critical";
  expect_error(v, {"sandbox_only", flag_path(v, "sandbox_only") + "/severity"});
}

TEST(rules, an_unknown_key_in_a_flag_names_the_rule) {
  auto v = embedded();
  flag(v, "model_centric")["weight"] = 3;
  expect_error(v, {"model_centric", flag_path(v, "model_centric") + "/weight", "unknown key"});
}

TEST(rules, a_share_setting_other_than_the_basics_threshold_is_refused) {
  auto v = embedded();
  auto& when = flag(v, "basics_heavy")["when"];
  std::string path = flag_path(v, "basics_heavy") + "/when";
  auto* share = find_object(when, [](const json::object& o) { return o.contains("setting"); }, path);
  ASSERT_NE(share, nullptr) << "basics_heavy reads no setting";
  (*share)["setting"] = "hands_on_threshold";
  expect_error(v, {"basics_heavy", path + "/setting", "basics_share_threshold"});
}

TEST(rules, a_threshold_setting_out_of_range_is_refused) {
  for (double bad : {1.5, -0.2, 0.0}) {
    auto v = embedded();
    v.at("review").at("settings").as_object()["basics_share_threshold"] = bad;
    expect_error(v, {"/review/settings/basics_share_threshold"});
  }
}

TEST(rules, a_rule_threshold_out_of_range_names_the_rule) {
  auto v = embedded();
  auto& when = flag(v, "model_centric")["when"];
  std::string path = flag_path(v, "model_centric") + "/when";
  auto* share = find_object(when, [](const json::object& o) { return o.contains("min_share"); }, path);
  ASSERT_NE(share, nullptr) << "model_centric has no min_share";
  (*share)["min_share"] = 2;
  expect_error(v, {"model_centric", path + "/min_share"});
}

TEST(rules, a_duplicate_flag_id_is_refused) {
  auto v = embedded();
  const std::string first(flags(v)[0].at("id").as_string());
  flags(v)[1].as_object()["id"] = first;
  expect_error(v, {first, "/review/flags/1/id", "duplicate"});
}

TEST(rules, a_duplicate_coverage_id_is_refused) {
  auto v = embedded();
  auto& cov = v.at("review").at("coverage").as_array();
  const std::string first(cov[0].at("id").as_string());
  cov[2].as_object()["id"] = first;
  expect_error(v, {first, "/review/coverage/2/id", "duplicate"});
}

TEST(rules, a_coverage_question_past_the_playbook_questions_is_refused) {
  auto v = embedded();
  const auto n = v.at("questions").at("items").as_array().size();
  auto& cov = v.at("review").at("coverage").as_array();
  const std::string id(cov[1].at("id").as_string());
  cov[1].as_object()["question"] = n;
  expect_error(v, {id, "/review/coverage/1/question"});
}

// Regression (fixed): a question index is read as a number and truncated: 1.5 silently means question 1.
TEST(rules, a_fractional_question_index_is_refused) {
  auto v = embedded();
  auto& cov = v.at("review").at("coverage").as_array();
  const std::string id(cov[1].at("id").as_string());
  cov[1].as_object()["question"] = 1.5;
  expect_error(v, {id, "/review/coverage/1/question"});
}

TEST(rules, a_category_naming_no_provider_type_is_refused) {
  auto v = embedded();
  auto& cats = v.at("review").at("categories").as_array();
  const std::string id(cats[2].at("id").as_string());
  cats[2].as_object()["type_id"] = "podcast";
  expect_error(v, {id, "/review/categories/2/type_id", "podcast"});
}

TEST(rules, an_avoid_item_past_the_playbook_list_is_refused) {
  auto v = embedded();
  const auto n = v.at("investment").at("avoid_when").as_array().size();
  auto& avoid = v.at("review").at("avoid").as_array();
  ASSERT_FALSE(avoid.empty());
  const std::string id(avoid[0].at("id").as_string());
  avoid[0].as_object()["avoid_item"] = n;
  expect_error(v, {id, "/review/avoid/0/avoid_item"});
}

TEST(rules, an_empty_phrase_is_refused) {
  auto v = embedded();
  auto& when = flag(v, "toy_final_project")["when"];
  std::string path = flag_path(v, "toy_final_project") + "/when";
  auto* near = find_object(when, [](const json::object& o) { return o.contains("phrases"); }, path);
  ASSERT_NE(near, nullptr);
  (*near)["phrases"] = json::array{"capstone", "--"};
  expect_error(v, {"toy_final_project", path + "/phrases/1"});
}

TEST(rules, an_unknown_key_in_the_settings_is_refused) {
  auto v = embedded();
  v.at("review").at("settings").as_object()["basic_share_threshold"] = 0.5;
  expect_error(v, {"/review/settings/basic_share_threshold", "unknown key"});
}

TEST(rules, a_coverage_rule_with_a_bad_kind_is_refused) {
  auto v = embedded();
  auto& cov = v.at("review").at("coverage").as_array();
  const std::string id(cov[0].at("id").as_string());
  cov[0].as_object()["kind"] = "skill";
  expect_error(v, {id, "/review/coverage/0/kind"});
}

TEST(rules, read_review_rules_names_the_path_it_is_given) {
  auto v = embedded();
  auto& review = v.at("review");
  auto& f = review.at("flags").as_array()[0].as_object();
  const std::string id(f.at("id").as_string());
  f["when"] = json::object{{"kind", "magic"}};
  try {
    knowledge::read_review_rules(review, "/custom");
    FAIL() << "accepted an unknown kind";
  } catch (const knowledge::detail::load_failure& e) {
    EXPECT_NE(e.message.find("/custom/flags/0/when/kind"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(id), std::string::npos) << e.message;
  }
}

TEST(rules, the_threshold_setting_reaches_the_rule) {
  auto v = embedded();
  v.at("review").at("settings").as_object()["basics_share_threshold"] = 0.3;
  const auto r = parse(v);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_DOUBLE_EQ(r->review.settings.basics_share_threshold, 0.3);
  bool found = false;
  for (const auto& f : r->review.flags) {
    if (f.id != "basics_heavy") continue;
    std::vector<const knowledge::condition*> todo{&f.when};
    while (!todo.empty()) {
      const auto* c = todo.back();
      todo.pop_back();
      if (c->share_setting == "basics_share_threshold") {
        EXPECT_DOUBLE_EQ(c->min_share, 0.3);
        found = true;
      }
      for (const auto& ch : c->children) todo.push_back(&ch);
    }
  }
  EXPECT_TRUE(found);
}

// --- describe_rules -------------------------------------------------------------------------------

TEST(describe_rules, mentions_every_rule_id) {
  const auto book = knowledge::load_playbook("").value();
  const auto text = knowledge::describe_rules(book.review);
  for (const auto& f : book.review.flags) EXPECT_NE(text.find(f.id), std::string::npos) << f.id;
  for (const auto& c : book.review.coverage) EXPECT_NE(text.find(c.id), std::string::npos) << c.id;
  for (const auto& c : book.review.categories) EXPECT_NE(text.find(c.id), std::string::npos) << c.id;
  for (const auto& a : book.review.avoid) EXPECT_NE(text.find(a.id), std::string::npos) << a.id;
  EXPECT_NE(text.find("basics_share_threshold"), std::string::npos);
}

TEST(describe_rules, shows_the_effective_threshold) {
  auto v = embedded();
  v.at("review").at("settings").as_object()["basics_share_threshold"] = 0.35;
  const auto r = parse(v);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NE(knowledge::describe_rules(r->review).find("0.35"), std::string::npos);
}

// --- phrases ------------------------------------------------------------------------------------

TEST(make_phrase, splits_words_lowercases_and_marks_prefixes) {
  const auto p = knowledge::make_phrase("Fine-tun* LoRA");
  ASSERT_EQ(p.words.size(), 3u);
  EXPECT_EQ(p.words[0], "fine");
  EXPECT_EQ(p.words[1], "tun");
  EXPECT_EQ(p.words[2], "lora");
  EXPECT_FALSE(p.prefix[0]);
  EXPECT_TRUE(p.prefix[1]);
  EXPECT_FALSE(p.prefix[2]);
  EXPECT_EQ(p.text, "Fine-tun* LoRA");
  EXPECT_TRUE(knowledge::make_phrase("-- ...").words.empty());
  EXPECT_EQ(knowledge::make_phrase("don't").words.front(), "dont");
}

}  // namespace
