// The review's JSON: the stable schema other tools rely on (ids, types, nesting), valid JSON
// whatever the proposal holds, the same value pretty or compact.

#include "knowledge/document.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"
#include "knowledge/review_json.hpp"
#include "tests/knowledge/pdf_writer.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

namespace json = boost::json;

using test::book;
using test::reviewed;

json::value parsed(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) throw std::runtime_error("not JSON: " + ec.message() + "\n" + text.substr(0, 400));
  return v;
}

constexpr std::string_view proposal =
    "# Generative AI Bootcamp\n"
    "\n"
    "## Schedule\n"
    "\n"
    "| Module | Hours |\n"
    "|---|---|\n"
    "| Python fundamentals | 14 |\n"
    "| Linear algebra | 14 |\n"
    "| Prompt engineering with the OpenAI API | 14 |\n"
    "\n"
    "## Capstone\n"
    "\n"
    "All labs use the OpenAI API and GPT-4o. For the capstone, each team builds a Streamlit "
    "chatbot over the wiki.\n"
    "\n"
    "## Metrics\n"
    "\n"
    "Success is measured by attendance and completion rates. About 30% of the time is hands-on.\n";

const std::set<std::string> verdicts = {"proceed", "proceed_with_conditions", "do_not_proceed"};
const std::set<std::string> categories = {"mooc", "vendor_cert", "boutique_workshop", "bootcamp"};
const std::set<std::string> flag_ids = {"basics_heavy",  "single_vendor",     "toy_final_project",
                                        "no_post_training_support", "attendance_metrics",
                                        "theory_first",  "api_wrapper_focus", "sandbox_only",
                                        "model_centric"};
const std::set<std::string> coverage_ids = {"data_pipelines",          "llmops",
                                            "reliability",             "security",
                                            "practitioner_instructors", "curriculum_adaptability",
                                            "evaluation_ops",          "hands_on"};

void expect_evidence_array(const json::value& v, const std::string& what, bool pdf) {
  ASSERT_TRUE(v.is_array()) << what;
  for (const auto& e : v.as_array()) {
    ASSERT_TRUE(e.is_object()) << what;
    const auto& o = e.as_object();
    ASSERT_TRUE(o.contains("quote") && o.at("quote").is_string()) << what;
    EXPECT_FALSE(o.at("quote").as_string().empty()) << what;
    ASSERT_TRUE(o.contains("line")) << what;
    ASSERT_TRUE(o.at("line").is_int64() || o.at("line").is_uint64()) << what;
    EXPECT_GE(o.at("line").to_number<std::int64_t>(), 1) << what;
    ASSERT_TRUE(o.contains("page")) << what;
    EXPECT_TRUE(o.at("page").is_null() || o.at("page").is_int64() || o.at("page").is_uint64()) << what;
    if (pdf) {
      ASSERT_FALSE(o.at("page").is_null()) << what;
      EXPECT_GE(o.at("page").to_number<std::int64_t>(), 1) << what;
    } else {
      EXPECT_TRUE(o.at("page").is_null()) << what;
    }
    ASSERT_TRUE(o.contains("section")) << what;
    EXPECT_TRUE(o.at("section").is_null() || o.at("section").is_string()) << what;
    if (o.at("section").is_string()) {
      EXPECT_FALSE(o.at("section").as_string().empty()) << what;
    }
  }
}

void expect_schema(const json::value& v, bool pdf = false) {
  ASSERT_TRUE(v.is_object());
  const auto& o = v.as_object();
  for (const char* key : {"schema_version", "verdict", "score", "category", "red_flags", "coverage",
                          "questions", "document"})
    ASSERT_TRUE(o.contains(key)) << "no key " << key;

  ASSERT_TRUE(o.at("schema_version").is_int64() || o.at("schema_version").is_uint64());
  EXPECT_EQ(o.at("schema_version").to_number<std::int64_t>(), 1);

  ASSERT_TRUE(o.at("verdict").is_string());
  EXPECT_EQ(verdicts.count(std::string(o.at("verdict").as_string())), 1u) << o.at("verdict");

  ASSERT_TRUE(o.at("score").is_int64() || o.at("score").is_uint64()) << "score is not an integer";
  const auto score = o.at("score").to_number<std::int64_t>();
  EXPECT_GE(score, 0);
  EXPECT_LE(score, 100);

  ASSERT_TRUE(o.at("category").is_string());
  EXPECT_EQ(categories.count(std::string(o.at("category").as_string())), 1u) << o.at("category");

  ASSERT_TRUE(o.at("red_flags").is_array());
  std::set<std::string> seen_flags;
  for (const auto& f : o.at("red_flags").as_array()) {
    ASSERT_TRUE(f.is_object());
    const auto& fo = f.as_object();
    for (const char* key : {"id", "severity", "title", "why", "evidence"})
      ASSERT_TRUE(fo.contains(key)) << "flag without " << key;
    const std::string id(fo.at("id").as_string());
    EXPECT_EQ(flag_ids.count(id), 1u) << id;
    EXPECT_TRUE(seen_flags.insert(id).second) << "flag twice: " << id;
    const std::string severity(fo.at("severity").as_string());
    EXPECT_TRUE(severity == "red_flag" || severity == "warning") << severity;
    EXPECT_FALSE(fo.at("title").as_string().empty()) << id;
    EXPECT_FALSE(fo.at("why").as_string().empty()) << id;
    expect_evidence_array(fo.at("evidence"), "flag " + id, pdf);
    if (fo.at("evidence").as_array().empty()) {
      ASSERT_TRUE(fo.contains("looked_for")) << id << ": no evidence and nothing looked for";
      EXPECT_FALSE(fo.at("looked_for").as_string().empty()) << id;
    }
  }

  ASSERT_TRUE(o.at("coverage").is_array());
  std::set<std::string> seen_coverage;
  for (const auto& c : o.at("coverage").as_array()) {
    ASSERT_TRUE(c.is_object());
    const auto& co = c.as_object();
    for (const char* key : {"id", "status", "evidence"}) ASSERT_TRUE(co.contains(key)) << key;
    const std::string id(co.at("id").as_string());
    EXPECT_EQ(coverage_ids.count(id), 1u) << id;
    seen_coverage.insert(id);
    const std::string status(co.at("status").as_string());
    EXPECT_TRUE(status == "covered" || status == "partial" || status == "missing") << status;
    expect_evidence_array(co.at("evidence"), "coverage " + id, pdf);
  }
  EXPECT_EQ(o.at("coverage").as_array().size(), 8u);
  EXPECT_EQ(seen_coverage, coverage_ids);

  ASSERT_TRUE(o.at("questions").is_array());
  for (const auto& q : o.at("questions").as_array()) {
    ASSERT_TRUE(q.is_string());
    EXPECT_FALSE(q.as_string().empty());
  }

  ASSERT_TRUE(o.at("document").is_object());
  const auto& d = o.at("document").as_object();
  for (const char* key : {"kind", "pages", "lines"}) ASSERT_TRUE(d.contains(key)) << key;
  const std::string kind(d.at("kind").as_string());
  EXPECT_TRUE(kind == "text" || kind == "markdown" || kind == "pdf" || kind == "docx") << kind;
  EXPECT_TRUE(d.at("pages").is_int64() || d.at("pages").is_uint64());
  EXPECT_TRUE(d.at("lines").is_int64() || d.at("lines").is_uint64());
}

TEST(review_json, a_review_follows_the_schema) {
  const auto r = reviewed(proposal);
  ASSERT_FALSE(r.red_flags.empty());
  expect_schema(json::value(knowledge::review_to_json(r)));
  expect_schema(parsed(knowledge::review_json_text(r)));
}

TEST(review_json, a_clean_and_an_empty_review_follow_the_schema) {
  expect_schema(parsed(knowledge::review_json_text(reviewed("A short note."))));
  expect_schema(parsed(knowledge::review_json_text(reviewed(
      "Engineers keep weekly office hours for 90 days after the programme."))));
}

TEST(review_json, values_match_the_review) {
  const auto r = reviewed(proposal);
  const auto v = parsed(knowledge::review_json_text(r));
  EXPECT_EQ(v.at("verdict").as_string(), r.verdict);
  EXPECT_EQ(v.at("score").to_number<int>(), r.score);
  EXPECT_EQ(v.at("category").as_string(), r.category.id);
  ASSERT_EQ(v.at("red_flags").as_array().size(), r.red_flags.size());
  for (std::size_t i = 0; i < r.red_flags.size(); ++i) {
    const auto& f = v.at("red_flags").as_array()[i];
    EXPECT_EQ(f.at("id").as_string(), r.red_flags[i].id);
    ASSERT_EQ(f.at("evidence").as_array().size(), r.red_flags[i].evidence.size());
    for (std::size_t j = 0; j < r.red_flags[i].evidence.size(); ++j) {
      const auto& e = f.at("evidence").as_array()[j];
      EXPECT_EQ(e.at("quote").as_string(), r.red_flags[i].evidence[j].quote);
      EXPECT_EQ(e.at("line").to_number<std::size_t>(), r.red_flags[i].evidence[j].line);
    }
  }
  ASSERT_EQ(v.at("questions").as_array().size(), r.questions.size());
  for (std::size_t i = 0; i < r.questions.size(); ++i)
    EXPECT_EQ(v.at("questions").as_array()[i].as_string(), r.questions[i]);
  EXPECT_EQ(v.at("document").at("kind").as_string(), "markdown");
  EXPECT_EQ(v.at("document").at("lines").to_number<std::size_t>(), r.lines);
}

TEST(review_json, sections_are_strings_under_headings_and_pages_null_outside_pdf) {
  const auto v = parsed(knowledge::review_json_text(reviewed(proposal)));
  bool found = false;
  for (const auto& f : v.at("red_flags").as_array()) {
    if (f.at("id").as_string() != "toy_final_project") continue;
    found = true;
    const auto& e = f.at("evidence").as_array().at(0);
    EXPECT_EQ(e.at("section").as_string(), "Capstone");
    EXPECT_TRUE(e.at("page").is_null());
  }
  EXPECT_TRUE(found);
}

TEST(review_json, pdf_evidence_has_page_numbers) {
  const auto pdf = test::make_pdf({
      {"Generative AI Engineering Programme", "", "The programme runs for three weeks."},
      {"Final project", "", "For the capstone, each team builds a Streamlit chatbot over the wiki."},
  });
  const auto doc = knowledge::extract_document(pdf);
  ASSERT_TRUE(doc) << doc.error().message;
  const auto v = parsed(knowledge::review_json_text(knowledge::review_document(*doc, book())));
  expect_schema(v, true);
  EXPECT_EQ(v.at("document").at("kind").as_string(), "pdf");
  EXPECT_EQ(v.at("document").at("pages").to_number<int>(), 2);
}

TEST(review_json, round_trips_through_parse) {
  const auto r = reviewed(proposal);
  const json::value direct = knowledge::review_to_json(r);
  const auto pretty = parsed(knowledge::review_json_text(r, true));
  const auto compact = parsed(knowledge::review_json_text(r, false));
  EXPECT_EQ(pretty, direct);
  EXPECT_EQ(compact, direct);
  EXPECT_EQ(parsed(json::serialize(pretty)), direct);
}

TEST(review_json, pretty_is_indented_and_compact_is_one_line) {
  const auto r = reviewed(proposal);
  const auto pretty = knowledge::review_json_text(r, true);
  const auto compact = knowledge::review_json_text(r, false);
  EXPECT_NE(pretty.find("\n  \"verdict\""), std::string::npos);
  EXPECT_EQ(compact.find('\n'), std::string::npos);
  EXPECT_LT(compact.size(), pretty.size());
}

TEST(review_json, awkward_characters_in_quotes_stay_valid_json) {
  const std::string text =
      "# \"Quoted\" \\ heading\n\n"
      "For the capstone, each team builds a Streamlit chatbot \"named\" \\o/ with \ttabs, "
      "</script> and emoji \xF0\x9F\xA4\x96 and \xE2\x80\x94 dashes.\n";
  const auto r = reviewed(text);
  for (bool pretty : {true, false}) {
    const auto v = parsed(knowledge::review_json_text(r, pretty));
    expect_schema(v);
    bool found = false;
    for (const auto& f : v.at("red_flags").as_array()) {
      if (f.at("id").as_string() != "toy_final_project") continue;
      found = true;
      const std::string quote(f.at("evidence").as_array().at(0).at("quote").as_string());
      EXPECT_NE(quote.find("\"named\" \\o/"), std::string::npos) << quote;
      EXPECT_NE(quote.find("\xF0\x9F\xA4\x96"), std::string::npos) << quote;
    }
    EXPECT_TRUE(found);
  }
}

TEST(review_json, shares_are_numbers_between_zero_and_one_or_null) {
  const auto v = parsed(knowledge::review_json_text(reviewed(proposal)));
  for (const char* key : {"basics_share", "hands_on_share"}) {
    const auto* s = v.as_object().if_contains(key);
    if (s == nullptr || s->is_null()) continue;
    ASSERT_TRUE(s->is_number()) << key;
    EXPECT_GE(s->to_number<double>(), 0.0) << key;
    EXPECT_LE(s->to_number<double>(), 1.0) << key;
  }
}

}  // namespace
