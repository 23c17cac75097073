// Ticket comment rendering: GitHub/GitLab Markdown with the hidden marker, Jira ADF and Jira wiki
// markup. What a proposal says must come out inert (no markup, HTML, mention, reference, link,
// image or macro), and every body must stay within its size limit, cut cleanly.

#include "integrations/jira/adf.hpp"
#include "integrations/jira/wiki.hpp"
#include "integrations/text/utf8.hpp"
#include "integrations/tickets/markdown.hpp"
#include "integrations/tickets/text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = boost::json;
namespace jira = integrations::jira;
namespace tickets = integrations::tickets;
using integrations::bullet_list;
using integrations::button_row;
using integrations::context_line;
using integrations::divider;
using integrations::field_list;
using integrations::heading;
using integrations::message;
using integrations::paragraph;
using integrations::quote;
using integrations::table;

constexpr std::string_view wj = tickets::word_joiner;

// One of everything a proposal might try, in one string.
const std::string hostile =
    "<!-- playbook-bot:review --> --> </details><details open><summary>x</summary> "
    "@org/team @admin #1 org/repo#2 GH-3 [x](http://evil.example/a) ![img](https://evil.example/i.png) "
    "<https://evil.example> www.evil.example <script>alert(1)</script> <img src=x onerror=alert(1)> "
    "~label %milestone !12 $3 &4 &#64;admin &lt;!-- "
    "{panel}{noformat}{color:red}[~admin][link|http://evil]!http://evil/img.png! (y) :) "
    "*bold* _it_ `code` | cell | \\ \xE2\x80\xAE" "reversed\xE2\x81\xA6 \x1b[31m\x07\x7f\xC2\x85 end";

const std::string hostile_lines =
    "# heading\n- item\n1. item\n> quote\n    code\n---\n===\nh1. Jira heading\nbq. quote\n"
    "* star\n|| header ||\n----\n```\nfence";

message everything(const std::string& text) {
  message m;
  m.title = text;
  bullet_list bullets;
  bullets.items = {{text, text}, {"", text}};
  bullet_list numbered = bullets;
  numbered.numbered = true;
  bullet_list code = bullets;
  code.code_labels = true;
  field_list fields;
  fields.items = {{text, text}, {text, text + "\n" + text}};
  table t;
  t.header = {text, text};
  t.rows = {{text, text}, {text}, {"", ""}};
  integrations::button_row buttons;
  buttons.items = {{text, "a", text, "https://evil.example"}};
  m.blocks = {paragraph{text},    paragraph{hostile_lines}, heading{text}, bullets, numbered, code,
              fields,             t,                        quote{text, text},
              quote{hostile_lines, text, {{2, 9}}},         context_line{text}, buttons, divider{}};
  m.details = {paragraph{text}, quote{text, text}, t};
  m.details_summary = text;
  return m;
}

std::size_t count(std::string_view s, std::string_view what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string_view::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

::testing::AssertionResult lacks(std::string_view out, std::string_view what) {
  const auto at = out.find(what);
  if (at == std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "found \"" << what << "\" in: \""
                                       << out.substr(at > 60 ? at - 60 : 0, 160) << '"';
}

// Things no renderer may let through from user text.
void expect_common_inert(std::string_view out) {
  for (std::string_view bad : {"http://", "https://", "www.evil", "\xE2\x80\xAE", "\xE2\x81\xA6",
                               "\x1b", "\x07", "\x7f", "\xC2\x85"})
    EXPECT_TRUE(lacks(out, bad));
  EXPECT_TRUE(integrations::utf8::valid(out));
}

// --- Markdown (GitHub, GitLab) ------------------------------------------------------------------

TEST(ticket_markdown, the_marker_is_the_first_line_and_appears_once) {
  for (const auto& m : {everything(hostile), message{}}) {
    const auto out = tickets::render_markdown(m, tickets::gitlab_comment_limit);
    EXPECT_TRUE(out.starts_with(std::string(tickets::review_marker) + "\n") || out == tickets::review_marker);
    EXPECT_EQ(count(out, tickets::review_marker), 1u);
    EXPECT_EQ(count(out, "<!--"), 1u);
    EXPECT_EQ(count(out, "-->"), 1u);
  }
}

TEST(ticket_markdown, user_text_cannot_open_html) {
  const auto out = tickets::render_markdown(everything(hostile), tickets::gitlab_comment_limit);
  // Our own tags, once each; no other '<' anywhere.
  EXPECT_EQ(count(out, "<details>"), 1u);
  EXPECT_EQ(count(out, "</details>"), 1u);
  EXPECT_EQ(count(out, "<summary>"), 1u);
  EXPECT_EQ(count(out, "</summary>"), 1u);
  EXPECT_EQ(count(out, "<"), 5u) << out;
  EXPECT_TRUE(lacks(out, "<script"));
  EXPECT_TRUE(lacks(out, "<img"));
  // Every '&' starts one of our entities, so "&#64;" cannot turn back into '@'.
  for (auto at = out.find('&'); at != std::string::npos; at = out.find('&', at + 1)) {
    const auto rest = std::string_view(out).substr(at);
    EXPECT_TRUE(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
                rest.starts_with("&quot;") || rest.starts_with("&#"))
        << rest.substr(0, 20);
  }
}

TEST(ticket_markdown, user_text_cannot_mention_reference_link_or_show_images) {
  const auto out = tickets::render_markdown(everything(hostile), tickets::gitlab_comment_limit);
  expect_common_inert(out);
  for (std::string_view bad : {"@org", "@admin", "#1", "#2", "GH-3", "~label", "%milestone", "!12",
                               "$3", "&amp;4", "!["})
    EXPECT_TRUE(lacks(out, bad));
  // Every bracket is escaped: no link, image or reference definition can start.
  for (auto at = out.find_first_of("[]"); at != std::string::npos; at = out.find_first_of("[]", at + 1))
    EXPECT_EQ(out[at - 1], '\\') << out.substr(at - 10, 20);
  // The readable text is still there.
  EXPECT_NE(out.find(std::string("@") + std::string(wj) + "org/team"), std::string::npos);
  EXPECT_NE(out.find("alert(1)"), std::string::npos);
}

TEST(ticket_markdown, line_starts_cannot_open_blocks) {
  message m;
  m.blocks = {paragraph{hostile_lines}};
  const auto out = tickets::render_markdown(m, 10'000);
  const auto body = out.substr(tickets::review_marker.size() + 2);
  std::string_view rest = body;
  while (!rest.empty()) {
    const auto line = rest.substr(0, rest.find('\n'));
    EXPECT_FALSE(line.starts_with("#") || line.starts_with("- ") || line.starts_with("1.") ||
                 line.starts_with(">") || line.starts_with(" ") || line.starts_with("---") ||
                 line.starts_with("===") || line.starts_with("* ") || line.starts_with("|") ||
                 line.starts_with("```"))
        << line;
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
  }
}

TEST(ticket_markdown, escape_keeps_ordinary_text_readable) {
  EXPECT_EQ(tickets::escape_markdown("Plain words, 3 days (50 %)."), "Plain words, 3 days (50 %).");
  EXPECT_EQ(tickets::escape_markdown("a*b_c"), "a\\*b\\_c");
  EXPECT_EQ(tickets::escape_markdown("x < y & z"), "x &lt; y &amp; z");
  EXPECT_EQ(tickets::escape_markdown("mail @bob"), "mail @" + std::string(wj) + "bob");
  EXPECT_EQ(tickets::escape_markdown("see http://x.example"), "see http:" + std::string(wj) + "//x.example");
  EXPECT_EQ(tickets::escape_markdown("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(ticket_markdown, details_are_collapsed_after_the_body) {
  message m;
  m.title = "Summary";
  m.blocks = {paragraph{"body"}};
  m.details = {paragraph{"more"}};
  m.details_summary = "Score";
  EXPECT_EQ(tickets::render_markdown(m, 65'535),
            std::string(tickets::review_marker) +
                "\n### Summary\n\nbody\n\n<details>\n<summary>Score</summary>\n\nmore\n\n</details>");
  m.details.clear();
  EXPECT_EQ(tickets::render_markdown(m, 65'535),
            std::string(tickets::review_marker) + "\n### Summary\n\nbody");
}

// --- Jira wiki markup ----------------------------------------------------------------------------

// Every occurrence of c outside {noformat} blocks is escaped with a backslash.
::testing::AssertionResult escaped_outside_noformat(std::string_view out, char c) {
  bool in_noformat = false;
  std::string_view rest = out;
  while (!rest.empty()) {
    const auto line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    if (line == "{noformat}") {
      in_noformat = !in_noformat;
      continue;
    }
    if (in_noformat || line.starts_with("{panel")) continue;
    for (auto at = line.find(c); at != std::string_view::npos; at = line.find(c, at + 1))
      if (at == 0 || line[at - 1] != '\\')
        return ::testing::AssertionFailure() << "unescaped '" << c << "' in: " << line;
  }
  if (in_noformat) return ::testing::AssertionFailure() << "{noformat} left open";
  return ::testing::AssertionSuccess();
}

std::string outside_noformat(std::string_view out) {
  std::string kept;
  bool in_noformat = false;
  while (!out.empty()) {
    const auto line = out.substr(0, out.find('\n'));
    out.remove_prefix(std::min(out.size(), line.size() + 1));
    if (line == "{noformat}") in_noformat = !in_noformat;
    else if (!in_noformat) kept += std::string(line) + "\n";
  }
  return kept;
}

TEST(ticket_wiki, user_text_cannot_make_macros_links_mentions_or_images) {
  const auto out = jira::render_wiki(everything(hostile), jira::comment_limit * 10);
  expect_common_inert(out);
  for (char c : {'[', ']', '{', '}', '!'}) EXPECT_TRUE(escaped_outside_noformat(out, c));
  // Emoticons (images) outside {noformat}; inside it nothing is read.
  EXPECT_TRUE(lacks(outside_noformat(out), "(y)"));
  EXPECT_TRUE(lacks(outside_noformat(out), ":)"));
  EXPECT_NE(out.find("(y) :)"), std::string::npos);
  // Inside {noformat}, the macro's own end tag is split so it cannot close early.
  EXPECT_EQ(count(out, "{noformat}"), 6u) << out;  // three quotes, opened and closed
  EXPECT_EQ(count(out, "{panel:title="), 1u);
  EXPECT_EQ(count(out, "\n{panel}"), 1u);
}

TEST(ticket_wiki, line_starts_cannot_open_blocks) {
  message m;
  m.blocks = {paragraph{hostile_lines}};
  const auto out = jira::render_wiki(m, 10'000);
  std::string_view rest = out;
  while (!rest.empty()) {
    const auto line = rest.substr(0, rest.find('\n'));
    EXPECT_FALSE(line.starts_with("h1.") || line.starts_with("bq.") || line.starts_with("* ") ||
                 line.starts_with("#") || line.starts_with("- ") || line.starts_with("|") ||
                 line.starts_with("----") || line.starts_with(" "))
        << line;
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
  }
}

TEST(ticket_wiki, escape_shows_markup_characters_as_written) {
  EXPECT_EQ(jira::escape_wiki("Plain words, 3 days (50 %)."), "Plain words, 3 days (50 %).");
  EXPECT_EQ(jira::escape_wiki("[~admin] {panel} a|b *x* hands-on (y)"),
            "\\[\\~admin\\] \\{panel\\} a\\|b \\*x\\* hands\\-on (\xE2\x81\xA0y)");
  EXPECT_EQ(jira::escape_wiki("C:\\dir"), "C:\xE2\xA7\xB5" "dir");
  EXPECT_EQ(jira::escape_wiki("h2. big"), std::string(wj) + "h2. big");
}

TEST(ticket_wiki, the_shape_of_each_block) {
  message m;
  m.title = "Summary";
  table t;
  t.header = {"Step", "Points"};
  t.rows = {{"red flag", "-10"}, {"", "x"}};
  m.blocks = {heading{"Red flags"}, bullet_list{{{"Title.", "why"}}}, quote{"said {noformat} this", "line 3"},
              t, context_line{"small"}, divider{}};
  m.details = {paragraph{"more"}};
  m.details_summary = "Score | breakdown";
  EXPECT_EQ(jira::render_wiki(m, 10'000),
            "h3. Summary\n\nh4. Red flags\n\n* *Title.* why\n\n{noformat}\nsaid {" + std::string(wj) +
                "noformat} this\n{noformat}\n_\xE2\x80\x94 line 3_\n\n||Step||Points||\n|red flag|\\-10|\n| |x|"
                "\n\n_small_\n\n----\n\n{panel:title=Score   breakdown}\nmore\n{panel}");
}

// --- Jira ADF -------------------------------------------------------------------------------------

const std::set<std::string> adf_types = {"doc",       "paragraph", "heading",     "bulletList",
                                         "orderedList", "listItem", "blockquote", "table",
                                         "tableRow",  "tableHeader", "tableCell", "text",
                                         "hardBreak", "rule",      "expand"};

// Walks an ADF tree: only known node types, only strong/em/code marks, no empty text; collects
// the text and the node types seen.
void walk(const json::value& v, std::string& text, std::multiset<std::string>& types) {
  const auto& o = v.as_object();
  const std::string type(o.at("type").as_string());
  types.insert(type);
  EXPECT_TRUE(adf_types.contains(type)) << type;
  if (type == "text") {
    const std::string t(o.at("text").as_string());
    EXPECT_FALSE(t.empty());
    EXPECT_EQ(t.find('\n'), std::string::npos);
    text += t + "\n";
    if (const auto* marks = o.if_contains("marks"))
      for (const auto& mark : marks->as_array()) {
        const std::string_view mt = mark.at("type").as_string();
        EXPECT_TRUE(mt == "strong" || mt == "em" || mt == "code") << mt;
      }
  }
  if (type == "expand") text += std::string(o.at("attrs").at("title").as_string()) + "\n";
  if (const auto* content = o.if_contains("content"))
    for (const auto& child : content->as_array()) walk(child, text, types);
}

TEST(ticket_adf, a_valid_document_with_the_expected_nodes) {
  const auto out = jira::render_adf(everything(hostile), 10'000'000);
  boost::system::error_code ec;
  const auto doc = json::parse(out, ec);
  ASSERT_FALSE(ec) << out.substr(0, 200);
  EXPECT_EQ(doc.at("type").as_string(), "doc");
  EXPECT_EQ(doc.at("version").as_int64(), 1);
  std::string text;
  std::multiset<std::string> types;
  walk(doc, text, types);
  for (std::string_view t : {"paragraph", "heading", "bulletList", "orderedList", "listItem",
                             "blockquote", "table", "tableRow", "tableHeader", "tableCell", "text",
                             "hardBreak", "rule", "expand"})
    EXPECT_TRUE(types.contains(std::string(t))) << t;
  EXPECT_EQ(types.count("expand"), 1u);
  expect_common_inert(text);
  // Plain text in ADF: what the user wrote reads as written (but for the split addresses).
  EXPECT_NE(text.find("[~admin]"), std::string::npos);
  EXPECT_NE(text.find("<script>"), std::string::npos);
  EXPECT_EQ(out.find("\"link\""), std::string::npos);
  EXPECT_EQ(out.find("\"mention\""), std::string::npos);
}

TEST(ticket_adf, details_go_in_an_expand_at_the_end) {
  message m;
  m.title = "Summary";
  m.blocks = {paragraph{"body"}};
  m.details = {paragraph{"more"}};
  m.details_summary = "Score";
  EXPECT_EQ(jira::render_adf(m, 10'000),
            R"({"type":"doc","version":1,"content":[{"type":"heading","content":[{"type":"text","text":"Summary"}],"attrs":{"level":3}},)"
            R"({"type":"paragraph","content":[{"type":"text","text":"body"}]},)"
            R"({"type":"expand","attrs":{"title":"Score"},"content":[{"type":"paragraph","content":[{"type":"text","text":"more"}]}]}]})");
  EXPECT_EQ(jira::render_adf(message{}, 10'000), R"({"type":"doc","version":1,"content":[]})");
}

// --- size limits ---------------------------------------------------------------------------------

// A review-sized message far over every limit: many findings with long quotes (multi-byte text
// and characters that need escaping), and long details.
message huge(int findings = 300, int tables = 5) {
  message m;
  m.title = "Proposal review: Do not proceed \xE2\x80\x94 score 0/100";
  std::string quote_text;
  while (quote_text.size() < 3000)
    quote_text += "Caf\xC3\xA9 <labs> & \"quotes\" *stars* {braces} [links] \xF0\x9F\x98\x80 \\ @team #42 ";
  for (int i = 0; i < findings; ++i) {
    m.blocks.push_back(bullet_list{{{"Flag " + std::to_string(i) + ".", "Why it matters."}}});
    m.blocks.push_back(quote{quote_text, "line " + std::to_string(i)});
  }
  table t;
  t.header = {"Step", "Points"};
  for (int i = 0; i < 100; ++i) t.rows.push_back({"red flag: " + quote_text.substr(0, 200), "-10"});
  for (int i = 0; i < tables; ++i) m.details.push_back(t);
  m.details_summary = "Score breakdown";
  return m;
}

void expect_md_ok(const std::string& out, std::size_t limit) {
  EXPECT_LE(out.size(), limit);
  EXPECT_TRUE(integrations::utf8::valid(out));
  EXPECT_TRUE(out.starts_with(tickets::review_marker));
  EXPECT_EQ(count(out, tickets::review_marker), 1u);
  EXPECT_EQ(count(out, "<details>"), count(out, "</details>"));
  for (auto at = out.find('&'); at != std::string::npos; at = out.find('&', at + 1)) {
    const auto rest = std::string_view(out).substr(at);
    ASSERT_TRUE(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
                rest.starts_with("&quot;") || rest.starts_with("&#"))
        << "entity cut: " << rest.substr(0, 20);
  }
}

void expect_adf_ok(const std::string& out, std::size_t limit) {
  EXPECT_LE(out.size(), limit);
  boost::system::error_code ec;
  const auto doc = json::parse(out, ec);
  ASSERT_FALSE(ec) << "limit " << limit << ": " << out.substr(0, 300);
  std::string text;
  std::multiset<std::string> types;
  walk(doc, text, types);
  EXPECT_LE(types.count("expand"), 1u);
}

void expect_wiki_ok(const std::string& out, std::size_t limit) {
  EXPECT_LE(out.size(), limit);
  EXPECT_TRUE(integrations::utf8::valid(out));
  EXPECT_EQ(count(out, "\n{noformat}") + (out.starts_with("{noformat}") ? 1 : 0), count(out, "{noformat}"));
  EXPECT_EQ(count(out, "{noformat}") % 2, 0u) << "limit " << limit;
  EXPECT_EQ(count(out, "{panel:title="), count(out, "\n{panel}"));
}

TEST(ticket_limits, huge_reviews_fit_every_system_and_say_what_was_left_out) {
  const auto m = huge();
  for (std::size_t limit : {tickets::gitlab_comment_limit, tickets::github_comment_limit,
                            jira::comment_limit, std::size_t{20'000}, std::size_t{5'000},
                            std::size_t{1'000}, std::size_t{600}}) {
    SCOPED_TRACE(limit);
    const auto md = tickets::render_markdown(m, limit);
    expect_md_ok(md, limit);
    EXPECT_NE(md.find("Shortened to fit the comment size limit"), std::string::npos);
    EXPECT_NE(md.find("Flag 0."), std::string::npos);
    const auto adf = jira::render_adf(m, limit);
    expect_adf_ok(adf, limit);
    EXPECT_NE(adf.find("Shortened to fit the comment size limit"), std::string::npos);
    const auto wiki = jira::render_wiki(m, limit);
    expect_wiki_ok(wiki, limit);
    EXPECT_NE(wiki.find("Shortened to fit the comment size limit"), std::string::npos);
  }
}

TEST(ticket_limits, every_limit_from_tiny_to_large_holds) {
  const auto m = huge(20, 2);
  for (std::size_t limit = 0; limit < 40'000; limit += limit < 2'000 ? 37 : 1'499) {
    SCOPED_TRACE(limit);
    const auto md = tickets::render_markdown(m, limit);
    EXPECT_LE(md.size(), std::max(limit, tickets::review_marker.size()));
    if (limit >= tickets::review_marker.size()) expect_md_ok(md, limit);
    const auto adf = jira::render_adf(m, limit);
    if (limit >= 64) expect_adf_ok(adf, limit);
    expect_wiki_ok(jira::render_wiki(m, limit), limit);
  }
}

TEST(ticket_limits, details_are_dropped_before_the_body) {
  message m;
  for (int i = 0; i < 10; ++i) m.blocks.push_back(paragraph{"body " + std::to_string(i) + std::string(100, 'x')});
  for (int i = 0; i < 10; ++i) m.details.push_back(paragraph{"more " + std::to_string(i) + std::string(100, 'y')});
  const auto full = tickets::render_markdown(m, 1'000'000);
  const auto out = tickets::render_markdown(m, full.size() - 1);
  for (int i = 0; i < 10; ++i) EXPECT_NE(out.find("body " + std::to_string(i)), std::string::npos) << i;
  EXPECT_NE(out.find("more 0"), std::string::npos);
  EXPECT_EQ(out.find("more 9"), std::string::npos);
  EXPECT_NE(out.find("parts not shown"), std::string::npos);
  EXPECT_EQ(count(out, "<details>"), 1u);
  EXPECT_EQ(count(out, "</details>"), 1u);

  for (const auto& render : {jira::render_adf, jira::render_wiki}) {
    const auto whole = render(m, 1'000'000);
    const auto cut = render(m, whole.size() - 1);
    EXPECT_LE(cut.size(), whole.size() - 1);
    for (int i = 0; i < 10; ++i) EXPECT_NE(cut.find("body " + std::to_string(i)), std::string::npos) << i;
    EXPECT_EQ(cut.find("more 9"), std::string::npos);
    EXPECT_NE(cut.find("parts not shown"), std::string::npos);
  }
}

TEST(ticket_limits, one_enormous_block_is_cut_not_dropped) {
  message m;
  m.title = "T";
  std::string text;
  while (text.size() < 300'000) text += "word \xC3\xA9 & <b> ";
  m.blocks = {paragraph{"first"}, quote{text, "line 1"}};
  const auto md = tickets::render_markdown(m, tickets::github_comment_limit);
  expect_md_ok(md, tickets::github_comment_limit);
  EXPECT_GT(md.size(), tickets::github_comment_limit - 500);
  EXPECT_NE(md.find("one cut short"), std::string::npos);
  const auto adf = jira::render_adf(m, jira::comment_limit);
  expect_adf_ok(adf, jira::comment_limit);
  EXPECT_GT(adf.size(), jira::comment_limit - 500);
  EXPECT_NE(adf.find("one cut short"), std::string::npos);
  const auto wiki = jira::render_wiki(m, jira::comment_limit);
  expect_wiki_ok(wiki, jira::comment_limit);
  EXPECT_GT(wiki.size(), jira::comment_limit - 500);
  EXPECT_NE(wiki.find("one cut short"), std::string::npos);
}

TEST(ticket_limits, a_message_within_the_limit_is_whole) {
  message m;
  m.title = "T";
  m.blocks = {paragraph{"a"}, quote{"b", "c"}};
  m.details = {paragraph{"d"}};
  for (const auto& out : {tickets::render_markdown(m, 65'535), jira::render_adf(m, 32'767),
                          jira::render_wiki(m, 32'767)})
    EXPECT_EQ(out.find("Shortened"), std::string::npos) << out;
}

}  // namespace
