// Vendor-name keys: case, punctuation, company forms and spacing do not tell vendors apart.

#include "storage/vendor_name.hpp"

#include <gtest/gtest.h>

using storage::key_similarity;
using storage::vendor_key;

TEST(vendor_name, case_punctuation_company_forms_and_spaces_are_ignored) {
  const std::string key = "acme ai academy";
  EXPECT_EQ(vendor_key("Acme AI Academy"), key);
  EXPECT_EQ(vendor_key("ACME AI ACADEMY, Inc."), key);
  EXPECT_EQ(vendor_key("  acme   ai\tacademy  LLC "), key);
  EXPECT_EQ(vendor_key("Acme-AI Academy Ltd."), key);
  EXPECT_EQ(vendor_key("Acme AI Academy GmbH & Co. KG"), "acme ai academy gmbh and co kg");
  EXPECT_EQ(vendor_key("Acme AI Academy Co., Ltd."), key);
}

TEST(vendor_name, company_forms_are_only_dropped_at_the_end_and_never_to_nothing) {
  EXPECT_EQ(vendor_key("Limited Edition Labs"), "limited edition labs");
  EXPECT_EQ(vendor_key("Inc"), "inc");
  EXPECT_EQ(vendor_key("Co-Learn"), "co learn");
}

TEST(vendor_name, apostrophes_join_and_ampersands_read_as_and) {
  EXPECT_EQ(vendor_key("O'Reilly Learning"), "oreilly learning");
  EXPECT_EQ(vendor_key("Smith & Jones"), vendor_key("smith and jones"));
}

TEST(vendor_name, non_ascii_letters_are_kept) {
  EXPECT_EQ(vendor_key("Lernwerk Zürich AG"), "lernwerk zürich");
}

TEST(vendor_name, nothing_but_punctuation_has_an_empty_key) {
  EXPECT_EQ(vendor_key(" ,.-!? "), "");
  EXPECT_EQ(vendor_key(""), "");
}

TEST(vendor_name, similarity_ranks_near_misses_above_strangers) {
  EXPECT_DOUBLE_EQ(key_similarity("acme ai academy", "acme ai academy"), 1.0);
  EXPECT_GT(key_similarity("acme academy", "acme ai academy"), 0.5);
  EXPECT_GT(key_similarity("acme ai acadmey", "acme ai academy"), 0.5);
  EXPECT_LT(key_similarity("deep learning institute", "acme ai academy"), 0.2);
}
