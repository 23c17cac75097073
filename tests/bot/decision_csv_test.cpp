// Decisions as CSV: RFC 4180 quoting both ways, formula cells defused, every bad row reported
// with the line it starts on, and what export writes reads back the same.

#include "bot/decision_csv.hpp"

#include <gtest/gtest.h>

namespace {

const storage::actor importer{"ops", "", "import", "past.csv"};

bot::csv_import read(std::string_view text) { return bot::read_decision_csv(text, importer, 1'700'000'000); }

}  // namespace

TEST(decision_csv, reads_quoted_cells_with_commas_quotes_and_line_breaks) {
  const auto r = read(
      "vendor,outcome,rationale,decided_at\r\n"
      "\"Acme, Inc.\",reject,\"said \"\"AI-ready\"\"\nin 2 days\",2025-03-01\r\n"
      "Deep,approve,,2025-03-02T10:30:00Z\n");
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].message;
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].vendor, "Acme, Inc.");
  EXPECT_EQ(r.rows[0].rationale, "said \"AI-ready\"\nin 2 days");
  EXPECT_EQ(r.rows[0].at, 1740787200);
  EXPECT_EQ(r.rows[1].at, 1740787200 + 86400 + 10 * 3600 + 30 * 60);
  EXPECT_EQ(r.rows[1].by.id, "ops");
  EXPECT_EQ(r.rows[1].by.source, "import");
}

TEST(decision_csv, bad_rows_are_reported_with_the_line_they_start_on) {
  const auto r = read(
      "vendor,outcome,rationale,revisit_on\n"
      "Acme,approve,\"two\nlines\",\n"  // lines 2-3
      "Globex,maybe,,\n"                 // line 4
      ",approve,,\n"                     // line 5
      "Initech,defer,,2027-02-30\n"      // line 6
      "Hooli,reject,@channel look,\n"    // line 7
      "Umbrella,reject\n");              // line 8
  ASSERT_EQ(r.rows.size(), 1u);
  ASSERT_EQ(r.problems.size(), 5u);
  EXPECT_EQ(r.problems[0].line, 4u);
  EXPECT_NE(r.problems[0].message.find("maybe"), std::string::npos);
  EXPECT_EQ(r.problems[1].line, 5u);
  EXPECT_EQ(r.problems[2].line, 6u);
  EXPECT_EQ(r.problems[3].line, 7u);
  EXPECT_NE(r.problems[3].message.find("@channel"), std::string::npos);
  EXPECT_EQ(r.problems[4].line, 8u);
}

TEST(decision_csv, a_broken_file_is_one_problem_and_no_rows) {
  EXPECT_EQ(read("").problems.size(), 1u);
  auto r = read("vendor,outcome\nAcme,\"approve\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, 2u);
  EXPECT_TRUE(r.rows.empty());
  r = read("vendor,verdict\nAcme,approve\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].message.find("unknown column 'verdict'"), std::string::npos);
  r = read("vendor,rationale\nAcme,x\n");
  EXPECT_NE(r.problems[0].message.find("no outcome column"), std::string::npos);
  r = read("vendor,outcome\nAc\xFFme,approve\n");
  EXPECT_NE(r.problems[0].message.find("UTF-8"), std::string::npos);
}

TEST(decision_csv, a_byte_order_mark_and_blank_lines_are_fine) {
  const auto r = read("\xEF\xBB\xBFvendor,outcome\n\nAcme,approve\n\n");
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.rows.size(), 1u);
}

TEST(decision_csv, export_defuses_formulas_and_reads_back_the_same) {
  storage::decision d;
  d.id = 1;
  d.vendor = "Acme, Inc.";
  d.what = storage::outcome::conditional;
  d.rationale = "=HYPERLINK(\"http://evil\")";
  d.conditions = "pilot \"first\"\nthen roll out";
  d.revisit_on = "2027-01-31";
  d.ticket = "PROC-1";
  d.decided_by = "U1";
  d.decided_by_name = "@dana";
  d.decided_at = 1'750'000'000;
  d.source = "slack";
  d.place = "#general (C1)";
  const auto text = bot::decision_csv_header() + bot::decision_csv_row(d);
  EXPECT_NE(text.find("\"'=HYPERLINK"), std::string::npos) << text;
  EXPECT_NE(text.find(",'@dana,"), std::string::npos) << text;
  const auto r = read(text);
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].message;
  ASSERT_EQ(r.rows.size(), 1u);
  const auto& in = r.rows[0];
  EXPECT_EQ(in.vendor, d.vendor);
  EXPECT_EQ(in.what, d.what);
  EXPECT_EQ(in.rationale, d.rationale);
  EXPECT_EQ(in.conditions, d.conditions);
  EXPECT_EQ(in.revisit_on, d.revisit_on);
  EXPECT_EQ(in.ticket, d.ticket);
  EXPECT_EQ(in.by.id, d.decided_by);
  EXPECT_EQ(in.by.name, d.decided_by_name);
  EXPECT_EQ(in.by.source, d.source);
  EXPECT_EQ(in.by.place, d.place);
  EXPECT_EQ(in.at, d.decided_at);
}

TEST(decision_csv, times_in_the_forms_spreadsheets_use) {
  constexpr std::int64_t new_year_2025 = 1'735'689'600;
  EXPECT_EQ(bot::parse_time("2025-01-02"), new_year_2025 + 86400);
  EXPECT_EQ(bot::parse_time("2025-01-01 00:01"), new_year_2025 + 60);
  EXPECT_EQ(bot::parse_time("2025-01-01T00:00:05Z"), new_year_2025 + 5);
  EXPECT_EQ(bot::parse_time("2024-03-01"), new_year_2025 - 306 * 86400);  // 2024 is a leap year
  EXPECT_EQ(bot::parse_time("1700000000"), 1'700'000'000);
  EXPECT_FALSE(bot::parse_time("yesterday"));
  EXPECT_FALSE(bot::parse_time("2025-13-01"));
  EXPECT_FALSE(bot::parse_time("2025-01-01T25:00"));
  EXPECT_EQ(bot::iso_utc(86400), "1970-01-02T00:00:00Z");
}
