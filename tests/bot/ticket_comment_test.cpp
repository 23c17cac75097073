// A proposal review as the bot's ticket comment: what the message says (summary, flags with
// their quotes and where they are, gaps, questions, details), and that every fixture proposal's
// review renders whole and inert for GitHub/GitLab, Jira Cloud and Jira Data Center, within their
// limits even for a huge review.

#include "bot/review_answer.hpp"
#include "bot/ticket_comment.hpp"
#include "integrations/jira/adf.hpp"
#include "integrations/jira/wiki.hpp"
#include "integrations/text/utf8.hpp"
#include "integrations/tickets/markdown.hpp"
#include "integrations/tickets/text.hpp"
#include "tests/bot/message_text.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace im = integrations;
namespace json = boost::json;
using test::all_text;
using test::reviewed;

std::vector<std::filesystem::path> proposals() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(PLAYBOOK_FIXTURES) + "/proposals"))
    if (e.path().extension() != ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count(std::string_view s, std::string_view what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string_view::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// The lines of s, each as the given renderer escapes a line of text.
template <class Escape>
std::vector<std::string> escaped_lines(std::string_view s, Escape escape) {
  std::vector<std::string> out;
  while (true) {
    const auto nl = s.find('\n');
    const auto line = s.substr(0, nl);
    if (line.find_first_not_of(' ') != std::string_view::npos) out.push_back(escape(line));
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

knowledge::review sample_review() {
  knowledge::review r;
  r.verdict = "do_not_proceed";
  r.score = 32;
  r.red_flags = {
      {"basics_heavy", "red_flag", "Too much time on basics", "Engineers already know Python.",
       {{"Weeks 1-2: Python fundamentals.", 12, 2, "Schedule"}}, "", "4 of 8 weeks (50 %)", 0.5},
      {"single_vendor", "red_flag", "Single vendor", "Lock-in.", {{"Only the OpenAI API.", 5, 0, ""}}, "", "", {}},
      {"no_support", "warning", "No support after training", "Skills fade.", {}, "office hours, follow-up", "", {}},
  };
  r.coverage = {
      {"rag", "capability", "Retrieval-augmented generation", "missing", {}, {"vector stores", "chunking"}, {}, {}, ""},
      {"evals", "capability", "Evaluation", "partial", {"test sets"}, {"LLM-as-judge"}, {}, {}, ""},
      {"hands_on", "criterion", "Hands-on time", "covered", {"labs"}, {}, {}, 0.6, "60 % hands-on"},
  };
  r.category = {"bootcamp", "bootcamp", "Bootcamp", {"8 weeks", "cohort"}, {"generic content"}, false};
  r.questions = {"Can the labs run on our stack?", "Who are the instructors?"};
  r.score_steps = {{"red flag: Too much time on basics", -15}, {"Retrieval-augmented generation missing", -8}};
  r.score_explanation = "100 to start -15 red flag: Too much time on basics -8 ... = 32; 2 red flags.";
  r.document_kind = "markdown";
  r.lines = 40;
  return r;
}

bot::ticket_review_context sample_context() {
  bot::ticket_review_context c;
  c.ticket_key = "PROC-12";
  c.vendor = "Northwind Labs";
  c.sources = {"description", "attachment proposal.pdf"};
  c.source_lines = {1, 10};
  c.unreadable = {"scan.pdf: PDF has no extractable text"};
  return c;
}

// --- the message ---------------------------------------------------------------------------------

TEST(ticket_comment, the_summary_line_gives_verdict_score_and_counts) {
  auto r = sample_review();
  EXPECT_EQ(bot::ticket_summary(r),
            "Proposal review: Do not proceed \xE2\x80\x94 score 32/100 \xC2\xB7 2 red flags, 1 warning");
  r.red_flags.pop_back();
  r.red_flags.pop_back();
  EXPECT_EQ(bot::ticket_summary(r), "Proposal review: Do not proceed \xE2\x80\x94 score 32/100 \xC2\xB7 1 red flag");
  r.red_flags.clear();
  r.verdict = "proceed";
  EXPECT_EQ(bot::ticket_summary(r),
            "Proposal review: Proceed \xE2\x80\x94 score 32/100 \xC2\xB7 no red flags or warnings");
  EXPECT_EQ(bot::ticket_comment(r, {}).title, bot::ticket_summary(r));
}

TEST(ticket_comment, quotes_say_where_they_are_and_in_which_source) {
  const auto c = sample_context();
  EXPECT_EQ(bot::ticket_location({"q", 12, 2, "Schedule"}, c),
            "attachment proposal.pdf, line 3, page 2, under \"Schedule\"");
  EXPECT_EQ(bot::ticket_location({"q", 4, 0, ""}, c), "description, line 4");
  bot::ticket_review_context one;
  one.sources = {"description"};
  EXPECT_EQ(bot::ticket_location({"q", 4, 0, ""}, one), "description, line 4");
  bot::ticket_review_context unknown;
  unknown.sources = {"description", "attachment a.pdf"};
  EXPECT_EQ(bot::ticket_location({"q", 4, 0, ""}, unknown), "line 4");
}

TEST(ticket_comment, flags_gaps_questions_and_the_footer_are_in_the_body) {
  const auto r = sample_review();
  const auto m = bot::ticket_comment(r, sample_context());
  im::message body_only = m;
  body_only.details.clear();
  const auto body = all_text(body_only);
  for (const auto& f : r.red_flags) EXPECT_NE(body.find(f.title), std::string::npos) << f.id;
  EXPECT_NE(body.find("Weeks 1-2: Python fundamentals."), std::string::npos);
  EXPECT_NE(body.find("attachment proposal.pdf, line 3, page 2, under \"Schedule\""), std::string::npos);
  EXPECT_NE(body.find("description, line 5"), std::string::npos) << body;
  EXPECT_NE(body.find("Looked for and not found: office hours, follow-up."), std::string::npos);
  EXPECT_NE(body.find("Red flags (2)"), std::string::npos);
  EXPECT_NE(body.find("Warnings (1)"), std::string::npos);
  EXPECT_NE(body.find("Retrieval-augmented generation."), std::string::npos);
  EXPECT_NE(body.find("not found: vector stores, chunking"), std::string::npos);
  EXPECT_NE(body.find("Evaluation."), std::string::npos);
  EXPECT_EQ(body.find("Hands-on time."), std::string::npos) << "covered items belong in the details";
  for (const auto& q : r.questions) EXPECT_NE(body.find(q), std::string::npos);
  EXPECT_NE(body.find("Automatic review by playbook-bot \xC2\xB7 updated on every edit of the ticket "
                      "\xC2\xB7 vendor: Northwind Labs"),
            std::string::npos);
}

TEST(ticket_comment, the_details_hold_the_breakdown_provider_coverage_and_what_was_read) {
  const auto r = sample_review();
  const auto m = bot::ticket_comment(r, sample_context());
  ASSERT_FALSE(m.details.empty());
  EXPECT_FALSE(m.details_summary.empty());
  im::message details_only;
  details_only.details = m.details;
  const auto details = all_text(details_only);
  EXPECT_NE(details.find("red flag: Too much time on basics"), std::string::npos);
  EXPECT_NE(details.find("-15"), std::string::npos);
  EXPECT_NE(details.find("32/100"), std::string::npos);
  EXPECT_NE(details.find(r.score_explanation), std::string::npos);
  EXPECT_NE(details.find("Provider type: Bootcamp"), std::string::npos);
  EXPECT_NE(details.find("Hands-on time."), std::string::npos);
  EXPECT_NE(details.find("scan.pdf: PDF has no extractable text"), std::string::npos);
  EXPECT_NE(details.find("attachment proposal.pdf"), std::string::npos);
}

TEST(ticket_comment, no_vendor_no_vendor_in_the_footer_and_a_clean_review_says_so) {
  auto r = sample_review();
  r.red_flags.clear();
  r.coverage.clear();
  const auto text = all_text(bot::ticket_comment(r, {}));
  EXPECT_EQ(text.find("vendor:"), std::string::npos);
  EXPECT_NE(text.find("No red flag or warning from the playbook was found."), std::string::npos);
  EXPECT_NE(text.find("covers every capability and criterion"), std::string::npos);
}

// --- every fixture proposal, rendered for every system ----------------------------------------

TEST(ticket_comment, every_fixture_review_renders_all_flags_with_their_quotes) {
  std::size_t with_flags = 0;
  for (const auto& path : proposals()) {
    SCOPED_TRACE(path.filename().string());
    const auto r = reviewed(read(path));
    bot::ticket_review_context c;
    c.sources = {"attachment " + path.filename().string()};
    c.vendor = path.stem().string();
    const auto m = bot::ticket_comment(r, c);
    with_flags += r.red_flags.empty() ? 0 : 1;

    const auto md = im::tickets::render_markdown(m, im::tickets::gitlab_comment_limit);
    const auto adf = im::jira::render_adf(m, 10'000'000);
    const auto wiki = im::jira::render_wiki(m, 10'000'000);
    EXPECT_EQ(md.find("Shortened"), std::string::npos);
    EXPECT_EQ(count(md, im::tickets::review_marker), 1u);
    boost::system::error_code ec;
    json::parse(adf, ec);
    EXPECT_FALSE(ec);

    const auto inert = [](std::string_view s) { return im::tickets::inert_text(s); };
    for (const auto& f : r.red_flags) {
      EXPECT_NE(md.find(im::tickets::escape_markdown(f.title)), std::string::npos) << f.id;
      EXPECT_NE(adf.find(inert(f.title)), std::string::npos) << f.id;
      EXPECT_NE(wiki.find(im::jira::escape_wiki(f.title)), std::string::npos) << f.id;
      for (const auto& e : f.evidence) {
        for (const auto& line : escaped_lines(e.quote, im::tickets::escape_markdown))
          EXPECT_NE(md.find(line), std::string::npos) << f.id << ": " << line;
        for (const auto& line : escaped_lines(e.quote, inert)) {
          // ADF text is JSON-escaped; wiki quotes are {noformat} text, shown as written.
          const auto as_json = json::serialize(json::string(line));
          EXPECT_NE(adf.find(as_json.substr(1, as_json.size() - 2)), std::string::npos)
              << f.id << ": " << line;
          if (line.find('{') == std::string::npos) {
            EXPECT_NE(wiki.find(line), std::string::npos) << f.id << ": " << line;
          }
        }
      }
    }

    // Within the real limits too.
    EXPECT_LE(im::tickets::render_markdown(m, im::tickets::github_comment_limit).size(),
              im::tickets::github_comment_limit);
    const auto small_adf = im::jira::render_adf(m, im::jira::comment_limit);
    EXPECT_LE(small_adf.size(), im::jira::comment_limit);
    json::parse(small_adf, ec);
    EXPECT_FALSE(ec);
    EXPECT_LE(im::jira::render_wiki(m, im::jira::comment_limit).size(), im::jira::comment_limit);
  }
  EXPECT_GE(with_flags, 30u);
}

// --- hostile content and huge reviews -----------------------------------------------------------

TEST(ticket_comment, hostile_proposal_text_comes_out_inert_everywhere) {
  const std::string evil =
      "<!-- x --> </details> @org/team #1 [x](http://evil.example) ![i](http://evil.example/i.png) "
      "{panel} [~admin] <script>alert(1)</script> \xE2\x80\xAE\x1b[2J";
  auto r = sample_review();
  for (auto& f : r.red_flags)
    for (auto& e : f.evidence) e.quote = evil;
  r.questions.push_back(evil);
  auto c = sample_context();
  c.vendor = evil;
  c.unreadable = {evil};
  const auto m = bot::ticket_comment(r, c);

  const auto md = im::tickets::render_markdown(m, im::tickets::github_comment_limit);
  EXPECT_EQ(count(md, "<!--"), 1u);
  EXPECT_EQ(count(md, "</details>"), 1u);
  for (std::string_view bad : {"<script", "@org", "#1", "http://", "![", "\xE2\x80\xAE", "\x1b"})
    EXPECT_EQ(md.find(bad), std::string::npos) << bad;

  // Quotes are {noformat} blocks, where Jira reads no markup; everywhere else it is escaped.
  const auto wiki = im::jira::render_wiki(m, im::jira::comment_limit);
  std::string outside;
  bool in_noformat = false;
  for (std::string_view rest = wiki; !rest.empty();) {
    const auto line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    if (line == "{noformat}") in_noformat = !in_noformat;
    else if (!in_noformat) outside += std::string(line) + "\n";
  }
  EXPECT_FALSE(in_noformat);
  EXPECT_NE(outside.find("\\[\\~admin\\]"), std::string::npos) << outside;
  for (std::string_view bad : {" [~admin]", " {panel}"}) EXPECT_EQ(outside.find(bad), std::string::npos) << bad;
  for (std::string_view bad : {"http://", "\xE2\x80\xAE", "\x1b"}) EXPECT_EQ(wiki.find(bad), std::string::npos) << bad;
  EXPECT_EQ(count(wiki, "{panel:title="), 1u);

  const auto adf = im::jira::render_adf(m, im::jira::comment_limit);
  boost::system::error_code ec;
  json::parse(adf, ec);
  EXPECT_FALSE(ec);
  for (std::string_view bad : {"http://", "\xE2\x80\xAE", "\\u001b", "\"link\"", "\"mention\""})
    EXPECT_EQ(adf.find(bad), std::string::npos) << bad;
}

TEST(ticket_comment, a_huge_review_fits_every_system) {
  auto r = sample_review();
  std::string long_quote;
  while (long_quote.size() < 2'000) long_quote += "The vendor's plan <b>& \"more\"</b> \xC3\xA9\xF0\x9F\x98\x80 ";
  r.red_flags.clear();
  for (int i = 0; i < 200; ++i) {
    knowledge::flag_finding f{"f" + std::to_string(i), i % 3 ? "red_flag" : "warning",
                              "Flag number " + std::to_string(i), "Because.", {}, "", "", {}};
    for (int e = 0; e < 5; ++e) f.evidence.push_back({long_quote, std::size_t(10 * i + e), 0, "Plan"});
    r.score_steps.push_back({"red flag: " + f.title + long_quote.substr(0, 100), -10});
    r.red_flags.push_back(std::move(f));
  }
  const auto m = bot::ticket_comment(r, sample_context());
  const auto md = im::tickets::render_markdown(m, im::tickets::github_comment_limit);
  EXPECT_LE(md.size(), im::tickets::github_comment_limit);
  EXPECT_TRUE(im::utf8::valid(md));
  EXPECT_TRUE(md.starts_with(im::tickets::review_marker));
  EXPECT_NE(md.find("Proposal review: Do not proceed"), std::string::npos);
  EXPECT_NE(md.find("Flag number 1."), std::string::npos);
  EXPECT_NE(md.find("parts not shown"), std::string::npos);
  const auto gitlab = im::tickets::render_markdown(m, im::tickets::gitlab_comment_limit);
  EXPECT_LE(gitlab.size(), im::tickets::gitlab_comment_limit);
  EXPECT_GT(gitlab.size(), md.size());

  const auto adf = im::jira::render_adf(m, im::jira::comment_limit);
  EXPECT_LE(adf.size(), im::jira::comment_limit);
  boost::system::error_code ec;
  json::parse(adf, ec);
  EXPECT_FALSE(ec);
  EXPECT_NE(adf.find("parts not shown"), std::string::npos);

  const auto wiki = im::jira::render_wiki(m, im::jira::comment_limit);
  EXPECT_LE(wiki.size(), im::jira::comment_limit);
  EXPECT_EQ(count(wiki, "{noformat}") % 2, 0u);
  EXPECT_NE(wiki.find("parts not shown"), std::string::npos);
}

TEST(ticket_comment, the_chat_review_is_unchanged_by_the_shared_wording) {
  const auto r = sample_review();
  const auto text = all_text(bot::review_message(r, {}));
  EXPECT_NE(text.find("line 12, page 2, under \"Schedule\""), std::string::npos);
  EXPECT_NE(text.find("60 %"), std::string::npos);
}

}  // namespace
