// Rendering a reply for a Teams outgoing webhook: Markdown text for short plain answers, an
// Adaptive Card 1.4 (allowed elements only) for structured ones, escaping of hostile text, and the
// size limit.

#include "integrations/teams/render.hpp"
#include "integrations/text/utf8.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace json = boost::json;
namespace teams = integrations::teams;
namespace utf8 = integrations::utf8;
using integrations::bullet;
using integrations::bullet_list;
using integrations::button;
using integrations::button_row;
using integrations::context_line;
using integrations::divider;
using integrations::field;
using integrations::field_list;
using integrations::heading;
using integrations::paragraph;
using integrations::quote;
using integrations::reply;
using integrations::table;
using integrations::visibility;

constexpr std::string_view zwsp = "\xE2\x80\x8B";
constexpr std::string_view hostile =
    "**bold** _it_ [x](http://evil) <at>Jane</at> &lt; @channel <b>tag</b> `code` ~~s~~ "
    "{{DATE(2026-01-01T00:00:00Z)}} <https://evil.example>";

::testing::AssertionResult contains(std::string_view haystack, std::string_view needle) {
  if (haystack.find(needle) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << '"' << haystack.substr(0, 400) << "\" does not contain \"" << needle << '"';
}

std::string_view sv(const json::value& v) {
  const auto& s = v.as_string();
  return {s.data(), s.size()};
}

// Renders through the serialised body, as the server sends it; checks it is JSON of valid UTF-8
// within the byte limit.
json::object rendered(const reply& r, const teams::limits& lim = {}) {
  const auto body = teams::render_reply_body(r, lim);
  EXPECT_TRUE(utf8::valid(body));
  EXPECT_LE(body.size(), lim.max_bytes);
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << ec.message();
    return {};
  }
  EXPECT_EQ(sv(v.at("type")), "message");
  return std::move(v.as_object());
}

bool is_card(const json::object& msg) { return msg.contains("attachments"); }

const json::object& card_of(const json::object& msg) {
  const auto& attachments = msg.at("attachments").as_array();
  EXPECT_EQ(attachments.size(), 1u);
  EXPECT_EQ(sv(attachments[0].at("contentType")), "application/vnd.microsoft.card.adaptive");
  return attachments[0].at("content").as_object();
}

// Walks a card: only the allowed element and action types, each with its required members;
// collects every text a reader sees (TextBlock text, fact titles and values, action titles).
void walk(const json::value& element, std::vector<std::string>& texts, std::vector<std::string>& urls) {
  const auto& e = element.as_object();
  const auto type = sv(e.at("type"));
  static const std::set<std::string_view> element_members = {
      "type", "text", "wrap", "weight", "size", "isSubtle", "spacing", "separator", "facts",
      "items", "style", "columns", "width", "actions"};
  for (const auto& kv : e) EXPECT_TRUE(element_members.count(kv.key())) << kv.key();
  if (type == "TextBlock") {
    texts.emplace_back(sv(e.at("text")));
    EXPECT_TRUE(e.at("wrap").as_bool());
  } else if (type == "FactSet") {
    for (const auto& f : e.at("facts").as_array()) {
      texts.emplace_back(sv(f.at("title")));
      texts.emplace_back(sv(f.at("value")));
    }
  } else if (type == "Container") {
    for (const auto& i : e.at("items").as_array()) walk(i, texts, urls);
  } else if (type == "ColumnSet") {
    for (const auto& c : e.at("columns").as_array()) {
      EXPECT_EQ(sv(c.at("type")), "Column");
      for (const auto& i : c.at("items").as_array()) walk(i, texts, urls);
    }
  } else if (type == "ActionSet") {
    for (const auto& a : e.at("actions").as_array()) {
      EXPECT_EQ(sv(a.at("type")), "Action.OpenUrl");
      EXPECT_EQ(a.as_object().size(), 3u);
      urls.emplace_back(sv(a.at("url")));
      texts.emplace_back(sv(a.at("title")));
    }
  } else {
    ADD_FAILURE() << "element type " << type << " is not allowed";
  }
}

struct card_content {
  std::vector<std::string> texts;
  std::vector<std::string> urls;
  std::vector<std::string> types;  // top-level element types
};

card_content content_of(const json::object& msg) {
  card_content out;
  const auto& card = card_of(msg);
  EXPECT_EQ(sv(card.at("type")), "AdaptiveCard");
  EXPECT_EQ(sv(card.at("version")), "1.4");
  EXPECT_FALSE(card.contains("actions"));
  for (const auto& e : card.at("body").as_array()) {
    out.types.emplace_back(sv(e.at("type")));
    walk(e, out.texts, out.urls);
  }
  return out;
}

std::string all_text(const card_content& c) {
  std::string out;
  for (const auto& t : c.texts) out += t + "\n";
  return out;
}

reply only(integrations::block b) {
  reply r;
  r.body.blocks.push_back(std::move(b));
  return r;
}

void add_paragraph(reply& r, std::string text) {
  r.body.blocks.emplace_back(std::in_place_type<paragraph>, std::move(text));
}

// No link, mention or emphasis can come out of `s` (escaped text in either dialect).
void expect_inert(std::string_view s) {
  SCOPED_TRACE(std::string(s.substr(0, 300)));
  EXPECT_EQ(s.find("]("), std::string_view::npos);
  EXPECT_EQ(s.find("<at>"), std::string_view::npos);
  EXPECT_EQ(s.find("<b>"), std::string_view::npos);
  EXPECT_EQ(s.find("<http"), std::string_view::npos);
  EXPECT_EQ(s.find("{{"), std::string_view::npos);
  // Every '*', '_', '`' and '~' from the text carries a backslash.
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '*' || c == '_' || c == '`' || c == '~') {
      std::size_t backslashes = 0;
      for (std::size_t k = i; k > 0 && s[k - 1] == '\\'; --k) ++backslashes;
      EXPECT_EQ(backslashes % 2, 1u) << "unescaped '" << c << "' at byte " << i;
    }
  }
}

// --- Markdown text ---------------------------------------------------------------------------

TEST(teams_render, a_short_plain_answer_is_markdown_text) {
  reply r;
  r.body.title = "Criteria";
  add_paragraph(r, "Six things to check.");
  r.body.blocks.emplace_back(bullet_list{{{"Practitioners.", "They ship."}, {"", "Labs."}}});
  r.body.blocks.emplace_back(context_line{"From the playbook."});
  const auto msg = rendered(r);
  ASSERT_FALSE(is_card(msg));
  EXPECT_EQ(sv(msg.at("text")),
            "**Criteria**\n\nSix things to check.\n\n- **Practitioners.** They ship.\n- Labs."
            "\n\n_From the playbook._");
  EXPECT_EQ(msg.size(), 2u);
}

TEST(teams_render, visibility_is_ignored) {
  reply a;
  add_paragraph(a, "same");
  reply b = a;
  a.audience = visibility::ephemeral;
  b.audience = visibility::in_channel;
  EXPECT_EQ(teams::render_reply_body(a), teams::render_reply_body(b));
}

TEST(teams_render, numbered_lists_and_headings_in_text) {
  reply r;
  r.body.blocks.emplace_back(std::in_place_type<heading>, "Next");
  r.body.blocks.emplace_back(bullet_list{{{"", "one"}, {"", "two"}}, true});
  EXPECT_EQ(sv(rendered(r).at("text")), "**Next**\n\n1. one\n2. two");
}

TEST(teams_render, line_breaks_in_text_become_br) {
  EXPECT_EQ(sv(rendered(only(paragraph{"one\ntwo"})).at("text")), "one<br>two");
}

TEST(teams_render, hostile_text_is_inert_in_a_text_reply) {
  reply r;
  r.body.title = std::string(hostile);
  add_paragraph(r, std::string(hostile));
  r.body.blocks.emplace_back(bullet_list{{{std::string(hostile), std::string(hostile)}}});
  const auto msg = rendered(r);
  ASSERT_FALSE(is_card(msg));
  const auto text = sv(msg.at("text"));
  // No line breaks here, so no <br> of ours either.
  EXPECT_EQ(text.find('<'), std::string_view::npos);
  EXPECT_EQ(text.find('>'), std::string_view::npos);
  EXPECT_TRUE(contains(text, "&lt;at&gt;Jane&lt;/at&gt;"));
  EXPECT_TRUE(contains(text, "&amp;lt;"));
  EXPECT_TRUE(contains(text, "\\*\\*bold\\*\\*"));
  EXPECT_TRUE(contains(text, "\\[x\\]" + std::string(zwsp) + "(http://evil)"));
  EXPECT_TRUE(contains(text, "\\`code\\`"));
  EXPECT_FALSE(msg.contains("entities"));
  // Paragraph alone, without our bold, is fully inert.
  expect_inert(sv(rendered(only(paragraph{std::string(hostile)})).at("text")));
}

TEST(teams_render, a_heading_marker_at_line_start_is_escaped) {
  EXPECT_EQ(sv(rendered(only(paragraph{"# not a heading"})).at("text")), "\\# not a heading");
}

TEST(teams_render, buttons_without_url_are_dropped_from_text) {
  reply r;
  add_paragraph(r, "Pick one.");
  r.body.blocks.emplace_back(button_row{{{"Approve", "approve", "v", ""}}});
  const auto msg = rendered(r);
  ASSERT_FALSE(is_card(msg));
  EXPECT_EQ(sv(msg.at("text")), "Pick one.");
}

// --- when a card is used ---------------------------------------------------------------------

TEST(teams_render, structured_blocks_make_a_card) {
  EXPECT_TRUE(is_card(rendered(only(field_list{{{"Vendor", "Northwind"}}}))));
  EXPECT_TRUE(is_card(rendered(only(table{{"a", "b"}, {{"1", "2"}}}))));
  EXPECT_TRUE(is_card(rendered(only(quote{"q", "s"}))));
  reply d;
  add_paragraph(d, "short");
  d.body.details.emplace_back(std::in_place_type<paragraph>, "more");
  EXPECT_TRUE(is_card(rendered(d)));
}

TEST(teams_render, long_markdown_makes_a_card) {
  reply r;
  add_paragraph(r, std::string(1990, 'a'));
  EXPECT_FALSE(is_card(rendered(r)));
  add_paragraph(r, std::string(20, 'b'));
  EXPECT_TRUE(is_card(rendered(r)));
  teams::limits lim;
  lim.max_text_chars = 5000;
  EXPECT_FALSE(is_card(rendered(r, lim)));
}

TEST(teams_render, buttons_with_a_url_make_a_card_with_open_url_actions) {
  reply r;
  add_paragraph(r, "See the ticket.");
  r.body.blocks.emplace_back(button_row{{{"Open PROC-12", "open", "", "https://jira.example/PROC-12"},
                                         {"Approve", "approve", "yes", ""},
                                         {"Script", "", "", "javascript:alert(1)"}}});
  const auto msg = rendered(r);
  ASSERT_TRUE(is_card(msg));
  const auto c = content_of(msg);
  ASSERT_EQ(c.urls.size(), 1u);
  EXPECT_EQ(c.urls[0], "https://jira.example/PROC-12");
  EXPECT_TRUE(contains(all_text(c), "Open PROC-12"));
  EXPECT_EQ(all_text(c).find("Approve"), std::string::npos);
  EXPECT_EQ(all_text(c).find("Script"), std::string::npos);
}

TEST(teams_render, a_row_of_only_post_back_buttons_leaves_no_action_set) {
  reply r;
  r.body.blocks.emplace_back(field_list{{{"Vendor", "Northwind"}}});
  r.body.blocks.emplace_back(button_row{{{"Approve", "approve", "yes", ""}}});
  const auto c = content_of(rendered(r));
  EXPECT_EQ(c.types, (std::vector<std::string>{"FactSet"}));
}

// --- card shapes -----------------------------------------------------------------------------

TEST(teams_render, renders_every_block_as_an_allowed_element) {
  reply r;
  r.body.title = "Review: Northwind";
  add_paragraph(r, "Three red flags.");
  r.body.blocks.emplace_back(std::in_place_type<heading>, "Flags");
  r.body.blocks.emplace_back(bullet_list{{{"Certificates", "sold as outcomes"}}});
  r.body.blocks.emplace_back(field_list{{{"Verdict", "Reject"}, {"Days", "5\n(live)"}}});
  r.body.blocks.emplace_back(table{{"Criterion", "Met"}, {{"Labs in your repos", "no"}, {"Short"}}});
  r.body.blocks.emplace_back(quote{"Every participant receives a certificate.", "proposal, line 14",
                                   {{29, 40}}});
  r.body.blocks.emplace_back(divider{});
  r.body.blocks.emplace_back(context_line{"Playbook 2026"});
  r.body.blocks.emplace_back(button_row{{{"Open", "", "", "https://example.com/x"}}});
  r.body.details_summary = "Why";
  r.body.details.emplace_back(std::in_place_type<paragraph>, "Because.");
  const auto msg = rendered(r);
  const auto c = content_of(msg);
  EXPECT_EQ(c.types, (std::vector<std::string>{"TextBlock", "TextBlock", "TextBlock", "TextBlock",
                                               "FactSet", "ColumnSet", "ColumnSet", "ColumnSet",
                                               "Container", "TextBlock", "ActionSet", "TextBlock",
                                               "TextBlock"}));
  const auto& body = card_of(msg).at("body").as_array();
  EXPECT_EQ(sv(body[0].at("text")), "Review: Northwind");
  EXPECT_EQ(sv(body[0].at("weight")), "Bolder");
  EXPECT_EQ(sv(body[3].at("text")), "- **Certificates** sold as outcomes");
  const auto& facts = body[4].at("facts").as_array();
  EXPECT_EQ(sv(facts[1].at("title")), "Days");
  EXPECT_EQ(sv(facts[1].at("value")), "5\n(live)");
  // A short row is padded to the header's width.
  EXPECT_EQ(body[7].at("columns").as_array().size(), 2u);
  const auto& quote_items = body[8].at("items").as_array();
  EXPECT_EQ(sv(quote_items[0].at("text")), "Every participant receives a **certificate**.");
  EXPECT_EQ(sv(quote_items[1].at("text")), "\xE2\x80\x94 proposal, line 14");
  EXPECT_TRUE(body[9].at("separator").as_bool());  // the divider
  EXPECT_EQ(sv(body[11].at("text")), "Why");
  EXPECT_EQ(sv(body[12].at("text")), "Because.");
}

TEST(teams_render, hostile_text_is_inert_in_every_card_element) {
  const std::string h(hostile);
  reply r;
  r.body.title = h;
  add_paragraph(r, h);
  r.body.blocks.emplace_back(heading{h});
  r.body.blocks.emplace_back(field_list{{{h, h}}});
  r.body.blocks.emplace_back(table{{h}, {{h}}});
  r.body.blocks.emplace_back(quote{h, h});
  r.body.blocks.emplace_back(context_line{h});
  const auto msg = rendered(r);
  const auto c = content_of(msg);
  ASSERT_GE(c.texts.size(), 8u);
  for (const auto& t : c.texts) {
    expect_inert(t);
    EXPECT_TRUE(contains(t, "<" + std::string(zwsp) + "at>Jane"));
    EXPECT_TRUE(contains(t, "[x]" + std::string(zwsp) + "(http://evil)"));
  }
  const auto& card = card_of(msg);
  EXPECT_FALSE(card.contains("msteams") && card.at("msteams").as_object().contains("entities"));
}

TEST(teams_render, marks_in_a_hostile_quote_stay_inside_their_bold) {
  const quote q{"see **x** and [y](http://evil) here", "", {{4, 9}, {14, 30}}};
  const auto c = content_of(rendered(only(q)));
  ASSERT_EQ(c.texts.size(), 1u);
  EXPECT_EQ(c.texts[0], "see **\\*\\*x\\*\\*** and **[y]" + std::string(zwsp) +
                            "(http://evil)** here");
}

TEST(teams_render, date_functions_and_line_start_markers_are_defused_in_cards) {
  const auto c = content_of(rendered(only(quote{"{{TIME(2026-01-01T10:00:00Z)}}\n# H\n> q", ""})));
  ASSERT_EQ(c.texts.size(), 1u);
  EXPECT_EQ(c.texts[0], "{" + std::string(zwsp) + "{TIME(2026-01-01T10:00:00Z)}}\n\\# H\n\\> q");
}

// --- limits ----------------------------------------------------------------------------------

TEST(teams_render, many_blocks_are_cut_with_a_note) {
  reply r;
  r.body.blocks.emplace_back(field_list{{{"Vendor", "Northwind"}}});
  for (int i = 0; i < 2000; ++i) add_paragraph(r, "Paragraph " + std::to_string(i) + " of a long answer.");
  const auto body = teams::render_reply_body(r);
  EXPECT_LE(body.size(), 25'000u);
  EXPECT_GT(body.size(), 20'000u);  // the room is used
  const auto c = content_of(rendered(r));
  EXPECT_TRUE(contains(c.texts.back(), "Answer shortened to fit a Teams message"));
  EXPECT_TRUE(contains(all_text(c), "Paragraph 0 of a long answer."));
}

TEST(teams_render, a_very_long_quote_is_cut_and_what_follows_still_fits) {
  reply r;
  r.body.blocks.emplace_back(quote{std::string(200'000, 'q'), "proposal"});
  add_paragraph(r, "After the quote.");
  const auto c = content_of(rendered(r));
  EXPECT_TRUE(contains(c.texts[0], "\xE2\x80\xA6"));
  EXPECT_LT(c.texts[0].size(), 10'000u);
  EXPECT_TRUE(contains(all_text(c), "After the quote."));
}

TEST(teams_render, several_long_quotes_fill_the_card_then_a_note) {
  reply r;
  for (int i = 0; i < 10; ++i) r.body.blocks.emplace_back(quote{std::string(50'000, 'x'), "p"});
  const auto c = content_of(rendered(r));
  EXPECT_TRUE(contains(c.texts.back(), "Answer shortened"));
  EXPECT_TRUE(contains(c.texts.back(), "more part(s) not shown"));
}

TEST(teams_render, a_smaller_limit_is_kept) {
  teams::limits lim;
  lim.max_bytes = 3'000;
  reply r;
  for (int i = 0; i < 100; ++i)
    r.body.blocks.emplace_back(table{{"k", "v"}, {{"key " + std::to_string(i), "value"}}});
  const auto c = content_of(rendered(r, lim));
  EXPECT_TRUE(contains(c.texts.back(), "Answer shortened"));
}

TEST(teams_render, json_specials_and_control_characters_count_towards_the_limit) {
  reply r;
  r.body.blocks.emplace_back(field_list{{{"k", "v"}}});
  for (int i = 0; i < 50; ++i) add_paragraph(r, std::string(2000, '\x01') + std::string(500, '"'));
  rendered(r);  // checks the byte limit on the serialised body
}

TEST(teams_render, invalid_utf8_becomes_replacement_characters) {
  reply r;
  r.body.title = "caf\xE9";
  add_paragraph(r, "\xC0\xAF and \xED\xA0\x80");
  const auto msg = rendered(r);
  const auto text = sv(msg.at("text"));
  EXPECT_TRUE(utf8::valid(text));
  EXPECT_TRUE(contains(text, "caf\xEF\xBF\xBD"));
  reply card = r;
  card.body.blocks.emplace_back(quote{"\xFF\xFE", "\xF8"});
  const auto c = content_of(rendered(card));
  for (const auto& t : c.texts) EXPECT_TRUE(utf8::valid(t)) << t;
}

TEST(teams_render, a_long_non_ascii_text_is_cut_between_characters) {
  std::string s;
  for (int i = 0; i < 20'000; ++i) s += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  reply r;
  r.body.blocks.emplace_back(quote{s, "src"});
  const auto c = content_of(rendered(r));
  EXPECT_TRUE(utf8::valid(c.texts[0]));
}

TEST(teams_render, an_empty_message_is_valid) {
  const auto msg = rendered(reply{});
  EXPECT_FALSE(is_card(msg));
}

}  // namespace
