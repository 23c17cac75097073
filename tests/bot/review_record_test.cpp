// A review as the decision log keeps it: hashed content, score, verdict in words, a summary and
// searchable findings.

#include "bot/review_record.hpp"

#include "knowledge/playbook.hpp"

#include <gtest/gtest.h>

TEST(review_record, keeps_score_verdict_summary_and_searchable_findings) {
  const auto book = knowledge::load_playbook("").value();
  const auto r = knowledge::review_text(
      "Day 1-3: Python basics and linear algebra refresher.\nDay 4: prompt engineering tips.\n"
      "Every participant receives a certificate of completion.\n", book).value();
  const auto rec = bot::review_record(r, "Acme", "the text", "cli:x.md", {"ops", "", "cli", ""}, 42);
  EXPECT_EQ(rec.vendor, "Acme");
  EXPECT_EQ(rec.score, r.score);
  EXPECT_EQ(rec.verdict.find('_'), std::string::npos);
  EXPECT_EQ(rec.content_hash.size(), 64u);
  EXPECT_NE(rec.summary.find("red flag"), std::string::npos) << rec.summary;
  EXPECT_NE(rec.findings_json.find("\"verdict\""), std::string::npos);
  EXPECT_FALSE(rec.findings_text.empty());
  EXPECT_EQ(rec.at, 42);
  EXPECT_EQ(bot::review_record(r, "Acme", "other text", "cli", {}, 1).content_hash == rec.content_hash, false);
}
