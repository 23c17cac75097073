// The review engine against a labelled corpus of vendor proposals (tests/fixtures/proposals,
// labels.json): per-flag precision and recall, verdict, category and coverage agreement.
// Fails when a flag falls below 0.9 precision or 0.9 recall.

#include "knowledge/document.hpp"
#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace {

const std::string corpus_dir = std::string(PLAYBOOK_FIXTURES) + "/proposals";

struct counts {
  int tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / (tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / (tp + fn); }
};

boost::json::value load_labels() {
  std::ifstream in(corpus_dir + "/labels.json");
  std::stringstream s;
  s << in.rdbuf();
  return boost::json::parse(s.str());
}

TEST(corpus, every_flag_has_precision_and_recall_of_at_least_0_9) {
  const auto book = knowledge::load_playbook("").value();
  const auto labels = load_labels();
  const auto& docs = labels.at("documents").as_array();
  ASSERT_GE(docs.size(), 40u);

  std::map<std::string, counts> per_flag;
  for (const auto& rule : book.review.flags) per_flag[rule.id];
  int verdicts_agree = 0, categories_agree = 0, coverage_agree = 0, coverage_total = 0;
  std::map<std::string, std::pair<int, int>> coverage_by_id;  // agree, total
  std::ostringstream misses;

  for (const auto& entry : docs) {
    const auto& d = entry.as_object();
    const std::string file(d.at("file").as_string());
    auto doc = knowledge::read_document(corpus_dir + "/" + file);
    ASSERT_TRUE(doc) << file << ": " << doc.error().message;
    const auto r = knowledge::review_document(*doc, book);

    std::set<std::string> expected, actual;
    for (const auto& f : d.at("flags").as_array()) expected.insert(std::string(f.as_string()));
    for (const auto& f : r.red_flags) actual.insert(f.id);
    for (auto& [id, c] : per_flag) {
      const bool e = expected.count(id) > 0, a = actual.count(id) > 0;
      if (e && a) ++c.tp;
      if (!e && a) {
        ++c.fp;
        misses << "  false positive " << id << " in " << file << "\n";
      }
      if (e && !a) {
        ++c.fn;
        misses << "  missed " << id << " in " << file << "\n";
      }
    }
    if (std::string(d.at("verdict").as_string()) == r.verdict) {
      ++verdicts_agree;
    } else {
      misses << "  verdict " << r.verdict << " (score " << r.score << ") vs labelled "
             << d.at("verdict").as_string() << " in " << file << "\n";
    }
    if (std::string(d.at("category").as_string()) == r.category.id) {
      ++categories_agree;
    } else {
      misses << "  category " << r.category.id << " vs labelled " << d.at("category").as_string()
             << " in " << file << "\n";
    }
    if (const auto* cov = d.if_contains("coverage")) {
      for (const auto& c : r.coverage) {
        const auto* label = cov->as_object().if_contains(c.id);
        if (label == nullptr) continue;
        auto& [agree, total] = coverage_by_id[c.id];
        ++total;
        ++coverage_total;
        if (std::string(label->as_string()) == c.status) {
          ++agree;
          ++coverage_agree;
        }
      }
    }
  }

  std::printf("\nReview engine on %zu labelled proposals\n", docs.size());
  std::printf("%-26s %5s %5s %5s %10s %8s\n", "flag", "TP", "FP", "FN", "precision", "recall");
  for (const auto& [id, c] : per_flag)
    std::printf("%-26s %5d %5d %5d %10.2f %8.2f\n", id.c_str(), c.tp, c.fp, c.fn, c.precision(),
                c.recall());
  const auto n = static_cast<double>(docs.size());
  std::printf("verdict agreement:  %d/%zu (%.0f %%)\n", verdicts_agree, docs.size(), 100 * verdicts_agree / n);
  std::printf("category agreement: %d/%zu (%.0f %%)\n", categories_agree, docs.size(), 100 * categories_agree / n);
  std::printf("coverage agreement: %d/%d (%.0f %%)", coverage_agree, coverage_total,
              coverage_total ? 100.0 * coverage_agree / coverage_total : 0.0);
  for (const auto& [id, at] : coverage_by_id)
    std::printf("%s %s %d/%d", id == coverage_by_id.begin()->first ? "\n   " : ",", id.c_str(), at.first, at.second);
  std::printf("\n%s\n", misses.str().c_str());

  for (const auto& [id, c] : per_flag) {
    EXPECT_GE(c.precision(), 0.9) << id;
    EXPECT_GE(c.recall(), 0.9) << id;
  }
}

}  // namespace
