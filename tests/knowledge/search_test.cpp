// Search over the playbook: the words queries and passages are compared on, and rankings that put
// the obviously right passage first.

#include "knowledge/search.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace {

using test::book;

const knowledge::search_index& index() {
  static const knowledge::search_index i(book());
  return i;
}

using terms = std::vector<std::string>;

std::string first_word(const std::string& topic) { return topic.substr(0, topic.find(' ')); }

}  // namespace

TEST(search_terms, lowercases_and_splits_on_punctuation) {
  EXPECT_EQ(knowledge::search_terms("Semantic CACHING"), (terms{"semantic", "cach"}));
  EXPECT_EQ(knowledge::search_terms("LLM-as-a-judge"), (terms{"llm", "judg"}));
  EXPECT_EQ(knowledge::search_terms("CI/CD, RAG; MLOps!"), (terms{"ci", "cd", "rag", "mlop"}));
}

TEST(search_terms, drops_stop_words) {
  EXPECT_EQ(knowledge::search_terms("the cost of a head"), (terms{"cost", "head"}));
  EXPECT_TRUE(knowledge::search_terms("what is it that they do").empty());
  EXPECT_TRUE(knowledge::search_terms("").empty());
  EXPECT_TRUE(knowledge::search_terms("  ,.;  ").empty());
}

TEST(search_terms, stems_plural_and_verb_forms_to_the_same_word) {
  const auto same = [](std::string_view a, std::string_view b) {
    return knowledge::search_terms(a) == knowledge::search_terms(b);
  };
  EXPECT_TRUE(same("caches", "cache"));
  EXPECT_TRUE(same("caching", "cache"));
  EXPECT_TRUE(same("engineers", "engineering"));
  EXPECT_TRUE(same("engineer", "engineering"));
  EXPECT_TRUE(same("debugging", "debug"));
  EXPECT_TRUE(same("evaluation", "evaluate"));
  EXPECT_TRUE(same("policies", "policy"));
  EXPECT_TRUE(same("pipelines", "pipeline"));
  EXPECT_TRUE(same("vendor's", "vendor"));
  EXPECT_FALSE(same("cache", "catch"));
}

TEST(search_terms, keeps_short_and_s_ending_words_intact) {
  EXPECT_EQ(knowledge::search_terms("ops"), (terms{"ops"}));
  EXPECT_EQ(knowledge::search_terms("class"), (terms{"class"}));
  EXPECT_EQ(knowledge::search_terms("status"), (terms{"status"}));
  EXPECT_EQ(knowledge::search_terms("analysis"), (terms{"analysis"}));
  EXPECT_EQ(knowledge::search_terms("rag"), (terms{"rag"}));
}

TEST(search_terms, keeps_non_ascii_bytes_inside_words) {
  EXPECT_EQ(knowledge::search_terms("résumé"), (terms{"résumé"}));
}

TEST(search_index, indexes_every_item_list_entry_and_paragraph) {
  const auto& p = book();
  std::size_t expected = p.intro.paragraphs.size() + p.failure_modes.items.size() +
                         p.capabilities.items.size() + p.invest.invest_when.size() +
                         p.invest.avoid_when.size() + p.criteria.items.size() +
                         p.red_flags.items.size() + p.formats.items.size() +
                         p.role_tracks.items.size() + p.questions.items.size() +
                         p.closing.paragraphs.size();
  for (const auto& t : p.types.items)
    expected += 1 + t.good_at.size() + t.falls_short.size() + t.typical_engagement.size();
  EXPECT_EQ(index().passages().size(), expected);
}

TEST(search_index, every_passage_names_a_real_subcommand_as_its_topic) {
  const std::set<std::string> subcommands = {"help",    "failures", "types",   "capabilities",
                                             "invest",  "criteria", "red-flags", "formats",
                                             "tracks",  "questions"};
  for (const auto& p : index().passages()) {
    ASSERT_FALSE(p.topic.empty()) << p.text;
    EXPECT_FALSE(p.section.empty()) << p.text;
    EXPECT_FALSE(p.text.empty()) << p.topic;
    const auto word = first_word(p.topic);
    EXPECT_TRUE(subcommands.count(word)) << p.topic;
    if (p.topic.size() > word.size()) {
      const auto id = p.topic.substr(word.size() + 1);
      if (word == "types")
        EXPECT_NE(book().find_type(id), nullptr) << p.topic;
      else if (word == "tracks")
        EXPECT_NE(book().find_track(id), nullptr) << p.topic;
      else
        ADD_FAILURE() << "only types and tracks take an id: " << p.topic;
    }
  }
}

TEST(search_index, semantic_caching_finds_the_reliability_capability_first) {
  const auto hits = index().search("semantic caching", 5);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].match->topic, "capabilities");
  EXPECT_EQ(hits[0].match->label, "System reliability and latency");
}

TEST(search_index, prompt_injection_finds_the_security_capability_first) {
  const auto hits = index().search("prompt injection", 5);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].match->topic, "capabilities");
  EXPECT_EQ(hits[0].match->label, "Security and guardrails");
}

TEST(search_index, streamlit_finds_the_toy_final_project_red_flag_first) {
  const auto hits = index().search("Streamlit", 5);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].match->topic, "red-flags");
  EXPECT_EQ(hits[0].match->label, "Toy final project");
}

TEST(search_index, bring_your_own_data_finds_the_byod_format_first) {
  const auto hits = index().search("bring your own data", 5);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].match->topic, "formats");
  EXPECT_NE(hits[0].match->label.find("BYOD"), std::string::npos) << hits[0].match->label;
}

TEST(search_index, certification_exam_finds_the_cloud_certification_type_first) {
  const auto hits = index().search("certification exam", 5);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].match->topic, "types cert");
}

TEST(search_index, more_queries_rank_the_right_passage_first) {
  struct expectation {
    std::string_view query;
    std::string_view topic;
  };
  for (const auto& [query, topic] : std::initializer_list<expectation>{
           {"attendance completion rates", "red-flags"},
           {"linear algebra", "red-flags"},
           {"practitioner instructors", "criteria"},
           {"multiple-choice quiz", "questions"},
           {"UI/UX non-deterministic outputs", "tracks frontend"},
           {"seat licenses", "types mooc"},
           {"hackathons sprints", "types workshop"},
           {"hackathon", "formats"},
           {"board mandate", "invest"},
           {"sandbox environments", "failures"},
       }) {
    const auto hits = index().search(query, 3);
    ASSERT_FALSE(hits.empty()) << query;
    EXPECT_EQ(hits[0].match->topic, topic) << query << " → " << hits[0].match->text;
  }
}

TEST(search_index, word_forms_match_through_stemming) {
  const auto hits = index().search("debugs", 10);
  ASSERT_FALSE(hits.empty());
  bool debugging = false;
  for (const auto& h : hits)
    debugging |= h.match->text.find("debugging") != std::string::npos;
  EXPECT_TRUE(debugging);
}

TEST(search_index, a_prefix_of_three_letters_or_more_matches_longer_words) {
  const auto hits = index().search("eval", 20);
  ASSERT_FALSE(hits.empty());
  bool evaluation = false;
  for (const auto& h : hits) evaluation |= h.match->text.find("evaluation") != std::string::npos;
  EXPECT_TRUE(evaluation);

  const auto streaml = index().search("streaml", 5);
  ASSERT_EQ(streaml.size(), 1u);
  EXPECT_EQ(streaml[0].match->topic, "red-flags");
}

TEST(search_index, an_exact_word_outranks_a_prefix_match) {
  // "cost" is a word of many passages; "costly" would only be a prefix match.
  const auto hits = index().search("cost", 50);
  ASSERT_FALSE(hits.empty());
  const auto terms = knowledge::search_terms(hits[0].match->label + " " + hits[0].match->text);
  EXPECT_NE(std::find(terms.begin(), terms.end(), "cost"), terms.end());
}

TEST(search_index, prefixes_shorter_than_three_letters_do_not_match) {
  EXPECT_TRUE(index().search("ev", 5).empty());
}

TEST(search_index, no_match_gives_no_hits) {
  EXPECT_TRUE(index().search("xylophone quantum", 5).empty());
  EXPECT_TRUE(index().search("", 5).empty());
  EXPECT_TRUE(index().search("the of and", 5).empty());  // only stop words
}

TEST(search_index, respects_the_limit_and_orders_best_first) {
  const auto many = index().search("engineers training", 100);
  ASSERT_GT(many.size(), 5u);
  for (std::size_t i = 1; i < many.size(); ++i) EXPECT_GE(many[i - 1].score, many[i].score);
  for (const auto& h : many) EXPECT_GT(h.score, 0.0);

  const auto three = index().search("engineers training", 3);
  ASSERT_EQ(three.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(three[i].match, many[i].match);
  EXPECT_TRUE(index().search("engineers training", 0).empty());
}

TEST(search_index, repeating_a_query_word_does_not_change_the_ranking) {
  const auto once = index().search("latency", 10);
  const auto twice = index().search("latency latency LATENCY", 10);
  ASSERT_EQ(once.size(), twice.size());
  for (std::size_t i = 0; i < once.size(); ++i) {
    EXPECT_EQ(once[i].match, twice[i].match);
    EXPECT_DOUBLE_EQ(once[i].score, twice[i].score);
  }
}

TEST(search_index, outlives_the_playbook_it_was_built_from) {
  std::optional<knowledge::search_index> idx;
  {
    const auto p = knowledge::load_playbook("").value();
    idx.emplace(p);
  }
  const auto hits = idx->search("semantic caching", 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].match->text.find("semantic caching"), std::string::npos);
}

TEST(search_index, huge_query_does_not_crash) {
  std::string query;
  for (int i = 0; i < 20000; ++i) query += "caching eval x ";
  const auto hits = index().search(query, 5);
  EXPECT_LE(hits.size(), 5u);
  EXPECT_FALSE(hits.empty());
}
