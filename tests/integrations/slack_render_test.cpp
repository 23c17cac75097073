// Rendering a reply as Block Kit: every block type's shape, Slack's limits (blocks, characters per
// text, fields per section, total text) and escaping of user text.

#include "integrations/slack/render.hpp"
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
namespace slack = integrations::slack;
namespace utf8 = integrations::utf8;
using integrations::bullet_list;
using integrations::button;
using integrations::button_row;
using integrations::context_line;
using integrations::divider;
using integrations::field_list;
using integrations::heading;
using integrations::paragraph;
using integrations::quote;
using integrations::reply;
using integrations::table;
using integrations::visibility;

constexpr std::string_view ellipsis = "\xE2\x80\xA6";
constexpr std::string_view hostile = "<!channel> & <@U123>";
constexpr std::string_view hostile_escaped = "&lt;!channel&gt; &amp; &lt;@U123&gt;";

std::string_view sv(const json::value& v) {
  const auto& s = v.as_string();
  return {s.data(), s.size()};
}

std::size_t chars(const json::value& v) { return utf8::length(sv(v)); }

::testing::AssertionResult contains(std::string_view haystack, std::string_view needle) {
  if (haystack.find(needle) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << '"' << haystack.substr(0, 300) << "\" does not contain \"" << needle << '"';
}

// Every '&' in escaped mrkdwn must start one of the three entities Slack decodes; anything else
// means an entity was cut in half (Slack would show "&am" and the like).
::testing::AssertionResult entities_intact(std::string_view text) {
  for (std::size_t i = text.find('&'); i != std::string_view::npos; i = text.find('&', i + 1)) {
    const auto rest = text.substr(i);
    if (!rest.starts_with("&amp;") && !rest.starts_with("&lt;") && !rest.starts_with("&gt;"))
      return ::testing::AssertionFailure()
             << "broken entity at byte " << i << ": \"" << rest.substr(0, 12) << '"';
  }
  return ::testing::AssertionSuccess();
}

// Checks Slack's rules for a text object and adds its length to total.
void check_text(const json::value& v, std::string_view type, std::size_t max, std::size_t& total,
                const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(sv(v.at("type")), type);
  const auto text = sv(v.at("text"));
  EXPECT_TRUE(utf8::valid(text));
  EXPECT_GE(utf8::length(text), 1u);
  EXPECT_LE(utf8::length(text), max);
  if (type == "mrkdwn") {
    EXPECT_EQ(text.find('<'), std::string_view::npos) << text.substr(0, 200);
    EXPECT_EQ(text.find('>'), std::string_view::npos) << text.substr(0, 200);
    EXPECT_TRUE(entities_intact(text));
  }
  total += utf8::length(text);
}

// Validates a rendered reply against Block Kit's shapes and limits: response_type, fallback text,
// block count, every block's type and fields, text lengths, escaping and the total text budget.
void check_block_kit(const json::object& msg, const slack::limits& lim = {}) {
  ASSERT_TRUE(msg.contains("response_type"));
  const auto type = sv(msg.at("response_type"));
  EXPECT_TRUE(type == "ephemeral" || type == "in_channel") << type;

  ASSERT_TRUE(msg.contains("text"));
  const auto fallback = sv(msg.at("text"));
  EXPECT_TRUE(utf8::valid(fallback));
  EXPECT_LE(utf8::length(fallback), lim.fallback_text);
  EXPECT_EQ(fallback.find('<'), std::string_view::npos) << fallback.substr(0, 200);
  EXPECT_TRUE(entities_intact(fallback));

  ASSERT_TRUE(msg.contains("blocks"));
  const auto& blocks = msg.at("blocks").as_array();
  EXPECT_LE(blocks.size(), lim.max_blocks);

  std::size_t total = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::string where = "block " + std::to_string(i);
    SCOPED_TRACE(where);
    const auto& b = blocks[i].as_object();
    const auto btype = sv(b.at("type"));
    if (btype == "header") {
      EXPECT_EQ(b.size(), 2u);
      check_text(b.at("text"), "plain_text", lim.header_text, total, where);
    } else if (btype == "section") {
      EXPECT_NE(b.contains("text"), b.contains("fields")) << "a section has text or fields";
      if (const auto* t = b.if_contains("text"))
        check_text(*t, "mrkdwn", lim.section_text, total, where);
      if (const auto* f = b.if_contains("fields")) {
        const auto& fields = f->as_array();
        EXPECT_GE(fields.size(), 1u);
        EXPECT_LE(fields.size(), lim.fields_per_section);
        for (const auto& field : fields) check_text(field, "mrkdwn", lim.field_text, total, where);
      }
    } else if (btype == "context") {
      const auto& elements = b.at("elements").as_array();
      EXPECT_GE(elements.size(), 1u);
      EXPECT_LE(elements.size(), lim.context_elements);
      for (const auto& e : elements) check_text(e, "mrkdwn", lim.section_text, total, where);
    } else if (btype == "actions") {
      const auto& elements = b.at("elements").as_array();
      EXPECT_GE(elements.size(), 1u);
      EXPECT_LE(elements.size(), lim.buttons_per_row);
      std::set<std::string> ids;
      for (const auto& e : elements) {
        EXPECT_EQ(sv(e.at("type")), "button");
        check_text(e.at("text"), "plain_text", lim.button_text, total, where);
        const auto id = sv(e.at("action_id"));
        EXPECT_GE(id.size(), 1u);
        EXPECT_LE(id.size(), 255u);
        EXPECT_TRUE(ids.insert(std::string(id)).second) << "duplicate action_id " << id;
        if (const auto* v = e.as_object().if_contains("value")) {
          EXPECT_LE(chars(*v), 2000u);
        }
        if (const auto* u = e.as_object().if_contains("url")) {
          EXPECT_LE(chars(*u), 3000u);
        }
      }
    } else if (btype == "divider") {
      EXPECT_EQ(b.size(), 1u);
    } else {
      ADD_FAILURE() << "unexpected block type " << btype;
    }
  }
  EXPECT_LE(total, lim.total_text) << "text across all blocks";
}

// Renders through the serialised body, as the server sends it, and validates the result.
json::object rendered(const reply& r, const slack::limits& lim = {}) {
  const auto body = slack::render_reply_body(r, lim);
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << ec.message();
    return {};
  }
  check_block_kit(v.as_object(), lim);
  return std::move(v.as_object());
}

const json::array& blocks_of(const json::object& msg) { return msg.at("blocks").as_array(); }

// The mrkdwn texts of all sections that carry text, in order.
std::vector<std::string> section_texts(const json::object& msg) {
  std::vector<std::string> out;
  for (const auto& b : blocks_of(msg))
    if (sv(b.at("type")) == "section")
      if (const auto* t = b.as_object().if_contains("text")) out.emplace_back(sv(t->at("text")));
  return out;
}

// All field texts of all sections, in order.
std::vector<std::string> field_texts(const json::object& msg) {
  std::vector<std::string> out;
  for (const auto& b : blocks_of(msg))
    if (const auto* f = b.as_object().if_contains("fields"))
      for (const auto& field : f->as_array()) out.emplace_back(sv(field.at("text")));
  return out;
}

// A reply whose only block is b (no title).
reply only(integrations::block b) {
  reply r;
  r.body.blocks.push_back(std::move(b));
  return r;
}

// emplace_back with in_place_type: pushing temporary variants in a loop trips GCC 12's false
// -Wmaybe-uninitialized at -O3.
void add_paragraph(reply& r, std::string text) {
  r.body.blocks.emplace_back(std::in_place_type<paragraph>, std::move(text));
}

// n code points cycling through 1-, 2-, 3- and 4-byte characters, with no spaces or newlines.
std::string mixed_width_text(std::size_t n) {
  constexpr std::string_view cycle[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += cycle[i % 4];
  return out;
}

// "word0 word1 ..." up to at least n characters.
std::string words(std::size_t n) {
  std::string out;
  for (int i = 0; out.size() < n; ++i) {
    if (!out.empty()) out += ' ';
    out += "word" + std::to_string(i);
  }
  return out;
}

// --- escape ------------------------------------------------------------------------------------

TEST(slack_render, escape_replaces_the_three_control_characters) {
  EXPECT_EQ(slack::escape(hostile), hostile_escaped);
  EXPECT_EQ(slack::escape("a & b < c > d"), "a &amp; b &lt; c &gt; d");
}

TEST(slack_render, escape_encodes_an_existing_entity_again) {
  EXPECT_EQ(slack::escape("&amp;"), "&amp;amp;");
  EXPECT_EQ(slack::escape("&lt;"), "&amp;lt;");
}

TEST(slack_render, escape_leaves_everything_else_alone) {
  EXPECT_EQ(slack::escape(""), "");
  EXPECT_EQ(slack::escape("*bold* _it_ `code` \"q\" 'a' caf\xC3\xA9"),
            "*bold* _it_ `code` \"q\" 'a' caf\xC3\xA9");
}

// --- envelope ----------------------------------------------------------------------------------

TEST(slack_render, body_is_json_equal_to_render_reply) {
  reply r;
  r.body.title = "Title";
  r.body.blocks = {paragraph{"Hello"}, divider{}};
  const auto body = slack::render_reply_body(r);
  EXPECT_EQ(json::parse(body), json::value(slack::render_reply(r)));
  rendered(r);
}

TEST(slack_render, response_type_is_ephemeral_by_default) {
  reply r;
  r.body.blocks = {paragraph{"x"}};
  EXPECT_EQ(sv(rendered(r).at("response_type")), "ephemeral");
}

TEST(slack_render, response_type_is_in_channel_when_asked) {
  reply r;
  r.audience = visibility::in_channel;
  r.body.blocks = {paragraph{"x"}};
  EXPECT_EQ(sv(rendered(r).at("response_type")), "in_channel");
}

TEST(slack_render, has_exactly_response_type_text_and_blocks) {
  const auto msg = rendered(only(paragraph{"x"}));
  EXPECT_EQ(msg.size(), 3u);
}

TEST(slack_render, fallback_text_carries_the_title_and_the_prose) {
  reply r;
  r.body.title = "Course design";
  r.body.blocks = {paragraph{"Start from practice."}, heading{"Next"}};
  const std::string fallback(sv(rendered(r).at("text")));
  EXPECT_TRUE(contains(fallback, "*Course design*"));
  EXPECT_TRUE(contains(fallback, "Start from practice."));
  EXPECT_TRUE(contains(fallback, "*Next*"));
}

TEST(slack_render, fallback_text_is_at_most_3000_characters) {
  reply r;
  r.body.title = "Long";
  add_paragraph(r, words(10000));
  const std::string fallback(sv(rendered(r).at("text")));
  EXPECT_EQ(utf8::length(fallback), 3000u);
  EXPECT_TRUE(fallback.ends_with(ellipsis));
}

TEST(slack_render, fallback_text_is_cut_on_a_code_point_boundary) {
  reply r;
  add_paragraph(r, mixed_width_text(5000));
  const std::string fallback(sv(rendered(r).at("text")));
  EXPECT_TRUE(utf8::valid(fallback));
  EXPECT_LE(utf8::length(fallback), 3000u);
}

// --- header ------------------------------------------------------------------------------------

TEST(slack_render, title_becomes_a_plain_text_header_block) {
  reply r;
  r.body.title = "Course design";
  r.body.blocks = {paragraph{"x"}};
  const auto blocks = blocks_of(rendered(r));
  ASSERT_GE(blocks.size(), 1u);
  EXPECT_EQ(sv(blocks[0].at("type")), "header");
  EXPECT_EQ(sv(blocks[0].at("text").at("type")), "plain_text");
  EXPECT_EQ(sv(blocks[0].at("text").at("text")), "Course design");
}

TEST(slack_render, no_title_no_header_block) {
  const auto blocks = blocks_of(rendered(only(paragraph{"x"})));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(sv(blocks[0].at("type")), "section");
}

TEST(slack_render, long_title_is_cut_to_150_characters) {
  reply r;
  r.body.title = std::string(400, 't');
  const auto header = blocks_of(rendered(r)).at(0);
  const auto text = sv(header.at("text").at("text"));
  EXPECT_EQ(utf8::length(text), 150u);
  EXPECT_TRUE(text.ends_with(ellipsis));
}

TEST(slack_render, long_multibyte_title_is_cut_between_code_points) {
  reply r;
  r.body.title = mixed_width_text(400);
  const std::string text(sv(blocks_of(rendered(r)).at(0).at("text").at("text")));
  EXPECT_TRUE(utf8::valid(text));
  EXPECT_EQ(utf8::length(text), 150u);
}

TEST(slack_render, a_title_of_exactly_150_characters_is_kept_whole) {
  reply r;
  r.body.title = std::string(150, 't');
  EXPECT_EQ(sv(blocks_of(rendered(r)).at(0).at("text").at("text")), r.body.title);
}

// --- block types -------------------------------------------------------------------------------

TEST(slack_render, paragraph_is_a_mrkdwn_section) {
  const auto b = blocks_of(rendered(only(paragraph{"Start *here*."}))).at(0);
  EXPECT_EQ(json::serialize(b),
            R"({"type":"section","text":{"type":"mrkdwn","text":"Start *here*."}})");
}

TEST(slack_render, empty_paragraph_adds_no_block) {
  EXPECT_TRUE(blocks_of(rendered(only(paragraph{""}))).empty());
}

TEST(slack_render, heading_is_a_bold_section) {
  EXPECT_EQ(section_texts(rendered(only(heading{"Next steps"}))),
            std::vector<std::string>{"*Next steps*"});
}

TEST(slack_render, bullet_list_is_one_section_with_bullets_and_bold_labels) {
  bullet_list list;
  list.items = {{"Practitioner instructors.", "They teach from experience."},
                {"", "No label"},
                {"Only a label", ""}};
  EXPECT_EQ(section_texts(rendered(only(list))),
            std::vector<std::string>{
                "\xE2\x80\xA2 *Practitioner instructors.* They teach from experience.\n"
                "\xE2\x80\xA2 No label\n"
                "\xE2\x80\xA2 *Only a label*"});
}

TEST(slack_render, numbered_list_counts_from_one) {
  bullet_list list;
  list.numbered = true;
  list.items = {{"", "first"}, {"Two", "second"}, {"", "third"}};
  EXPECT_EQ(section_texts(rendered(only(list))),
            std::vector<std::string>{"1. first\n2. *Two* second\n3. third"});
}

TEST(slack_render, code_labels_are_inline_code) {
  bullet_list list;
  list.code_labels = true;
  list.items = {{"/playbook search <terms>", "finds passages"}, {"a`b\nc", "cleaned"}};
  EXPECT_EQ(
      section_texts(rendered(only(list))),
      std::vector<std::string>{"\xE2\x80\xA2 `/playbook search &lt;terms&gt;` finds passages\n"
                               "\xE2\x80\xA2 `abc` cleaned"});
}

TEST(slack_render, empty_bullet_list_adds_no_block) {
  EXPECT_TRUE(blocks_of(rendered(only(bullet_list{}))).empty());
}

TEST(slack_render, field_list_is_a_section_with_fields) {
  field_list fields;
  fields.items = {{"Owner", "Alice"}, {"Due", "Friday"}};
  const auto b = blocks_of(rendered(only(fields))).at(0);
  EXPECT_EQ(json::serialize(b),
            R"({"type":"section","fields":[{"type":"mrkdwn","text":"*Owner*\nAlice"},)"
            R"({"type":"mrkdwn","text":"*Due*\nFriday"}]})");
}

TEST(slack_render, field_list_puts_at_most_10_fields_in_a_section) {
  field_list fields;
  for (int i = 0; i < 25; ++i) fields.items.push_back({"L" + std::to_string(i), "v"});
  const auto msg = rendered(only(fields));
  const auto& blocks = blocks_of(msg);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].at("fields").as_array().size(), 10u);
  EXPECT_EQ(blocks[1].at("fields").as_array().size(), 10u);
  EXPECT_EQ(blocks[2].at("fields").as_array().size(), 5u);
  const auto texts = field_texts(msg);
  ASSERT_EQ(texts.size(), 25u);
  EXPECT_EQ(texts[24], "*L24*\nv");
}

TEST(slack_render, exactly_10_fields_make_one_section) {
  field_list fields;
  for (int i = 0; i < 10; ++i) fields.items.push_back({"L", "v"});
  EXPECT_EQ(blocks_of(rendered(only(fields))).size(), 1u);
}

TEST(slack_render, field_text_is_cut_to_2000_characters) {
  field_list fields;
  fields.items = {{"Long", std::string(5000, 'v')}, {"Wide", mixed_width_text(5000)}};
  const auto texts = field_texts(rendered(only(fields)));
  ASSERT_EQ(texts.size(), 2u);
  for (const auto& t : texts) {
    EXPECT_EQ(utf8::length(t), 2000u);
    EXPECT_TRUE(utf8::valid(t));
    EXPECT_TRUE(std::string_view(t).ends_with(ellipsis));
  }
}

TEST(slack_render, table_rows_become_sections_pairing_header_and_cell) {
  table t;
  t.header = {"Week", "Topic"};
  t.rows = {{"1", "Intro"}, {"2", "Practice"}};
  const auto msg = rendered(only(t));
  ASSERT_EQ(blocks_of(msg).size(), 2u);
  EXPECT_EQ(field_texts(msg), (std::vector<std::string>{"*Week*\n1", "*Topic*\nIntro", "*Week*\n2",
                                                        "*Topic*\nPractice"}));
}

TEST(slack_render, wide_table_rows_are_split_at_10_fields) {
  table t;
  for (int i = 0; i < 12; ++i) t.header.push_back("C" + std::to_string(i));
  t.rows = {std::vector<std::string>(12, "x")};
  const auto blocks = blocks_of(rendered(only(t)));
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].at("fields").as_array().size(), 10u);
  EXPECT_EQ(blocks[1].at("fields").as_array().size(), 2u);
}

TEST(slack_render, table_without_rows_adds_no_block) {
  table t;
  t.header = {"A"};
  EXPECT_TRUE(blocks_of(rendered(only(t))).empty());
}

TEST(slack_render, quote_prefixes_every_line_and_names_its_source) {
  EXPECT_EQ(section_texts(rendered(only(quote{"Teach from practice.\nEvery week.", "Playbook"}))),
            std::vector<std::string>{
                "&gt; Teach from practice.\n&gt; Every week.\n\xE2\x80\x94 _Playbook_"});
  EXPECT_EQ(section_texts(rendered(only(quote{"Alone.", ""}))),
            std::vector<std::string>{"&gt; Alone."});
}

TEST(slack_render, context_line_is_a_context_block_with_one_mrkdwn_element) {
  const auto b = blocks_of(rendered(only(context_line{"Source: playbook v3"}))).at(0);
  EXPECT_EQ(json::serialize(b),
            R"({"type":"context","elements":[{"type":"mrkdwn","text":"Source: playbook v3"}]})");
}

TEST(slack_render, button_row_is_an_actions_block) {
  button_row row;
  row.items = {{"Open playbook", "open_playbook", "", "https://example.com/p"},
               {"Helpful", "vote", "yes", ""}};
  const auto b = blocks_of(rendered(only(row))).at(0);
  EXPECT_EQ(sv(b.at("type")), "actions");
  const auto& elements = b.at("elements").as_array();
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(json::serialize(elements[0]),
            R"({"type":"button","text":{"type":"plain_text","text":"Open playbook"},)"
            R"("action_id":"open_playbook","url":"https://example.com/p"})");
  EXPECT_EQ(json::serialize(elements[1]),
            R"({"type":"button","text":{"type":"plain_text","text":"Helpful"},)"
            R"("action_id":"vote","value":"yes"})");
}

TEST(slack_render, buttons_without_an_action_id_get_distinct_ones) {
  button_row row;
  row.items = {{"A", "", "", ""}, {"B", "", "", ""}, {"C", "", "", ""}};
  const auto elements = blocks_of(rendered(only(row))).at(0).at("elements").as_array();
  ASSERT_EQ(elements.size(), 3u);
  EXPECT_EQ(sv(elements[0].at("action_id")), "button_0");
  EXPECT_EQ(sv(elements[2].at("action_id")), "button_2");
}

TEST(slack_render, button_labels_and_values_are_cut_to_their_limits) {
  button_row row;
  row.items = {{std::string(200, 'b'), "a", std::string(3000, 'v'), ""}};
  const auto e = blocks_of(rendered(only(row))).at(0).at("elements").at(0);
  EXPECT_EQ(chars(e.at("text").at("text")), 75u);
  EXPECT_EQ(chars(e.at("value")), 2000u);
}

TEST(slack_render, button_row_keeps_at_most_25_buttons) {
  button_row row;
  for (int i = 0; i < 30; ++i) row.items.push_back({"B" + std::to_string(i), "", "", ""});
  const auto elements = blocks_of(rendered(only(row))).at(0).at("elements").as_array();
  EXPECT_EQ(elements.size(), 25u);
}

TEST(slack_render, empty_button_row_adds_no_block) {
  EXPECT_TRUE(blocks_of(rendered(only(button_row{}))).empty());
}

TEST(slack_render, divider_is_a_divider_block) {
  EXPECT_EQ(json::serialize(blocks_of(rendered(only(divider{}))).at(0)), R"({"type":"divider"})");
}

TEST(slack_render, every_block_type_together_is_valid_block_kit) {
  reply r;
  r.audience = visibility::in_channel;
  r.body.title = "Everything";
  bullet_list list;
  list.items = {{"L", "t"}};
  bullet_list numbered = list;
  numbered.numbered = true;
  bullet_list code = list;
  code.code_labels = true;
  field_list fields;
  fields.items = {{"k", "v"}};
  table t;
  t.header = {"h1", "h2"};
  t.rows = {{"a", "b"}};
  button_row row;
  row.items = {{"Go", "go", "", "https://example.com"}};
  r.body.blocks = {paragraph{"p"},  heading{"h"},      list, numbered, code, fields, t,
                   quote{"q", "s"}, context_line{"c"}, row,  divider{}};
  const auto blocks = blocks_of(rendered(r));
  std::vector<std::string> types;
  for (const auto& b : blocks) types.emplace_back(sv(b.at("type")));
  EXPECT_EQ(types, (std::vector<std::string>{"header", "section", "section", "section", "section",
                                             "section", "section", "section", "section", "context",
                                             "actions", "divider"}));
}

// --- limits ------------------------------------------------------------------------------------

TEST(slack_render, a_10000_character_paragraph_is_split_into_sections_of_at_most_3000) {
  const std::string text = words(10000);
  const auto texts = section_texts(rendered(only(paragraph{text})));
  ASSERT_GE(texts.size(), 4u);
  std::string joined;
  for (const auto& t : texts) {
    EXPECT_LE(utf8::length(t), 3000u);
    EXPECT_FALSE(t.starts_with(' '));
    if (!joined.empty()) joined += ' ';
    joined += t;
  }
  EXPECT_TRUE(joined == text) << "split at spaces without losing or adding words";
}

TEST(slack_render, a_paragraph_without_spaces_is_split_exactly_at_3000_code_points) {
  const std::string text(10000, 'x');
  const auto texts = section_texts(rendered(only(paragraph{text})));
  ASSERT_EQ(texts.size(), 4u);
  EXPECT_EQ(texts[0].size(), 3000u);
  EXPECT_EQ(texts[1].size(), 3000u);
  EXPECT_EQ(texts[2].size(), 3000u);
  EXPECT_EQ(texts[3].size(), 1000u);
}

TEST(slack_render, a_multibyte_paragraph_is_split_by_code_points_without_splitting_one) {
  const std::string text = mixed_width_text(10000);  // 25,000 bytes
  const auto texts = section_texts(rendered(only(paragraph{text})));
  ASSERT_EQ(texts.size(), 4u);
  std::string joined;
  for (const auto& t : texts) {
    EXPECT_TRUE(utf8::valid(t));
    EXPECT_LE(utf8::length(t), 3000u);
    joined += t;
  }
  EXPECT_EQ(utf8::length(texts[0]), 3000u);
  EXPECT_TRUE(joined == text) << "the sections together are the text";
}

TEST(slack_render, split_prefers_line_breaks) {
  std::string text;
  for (int i = 0; i < 8; ++i) text += (i ? "\n" : "") + std::string(999, 'a' + i);
  const auto texts = section_texts(rendered(only(paragraph{text})));
  ASSERT_GE(texts.size(), 3u);
  for (const auto& t : texts) {
    EXPECT_LE(utf8::length(t), 3000u);
    EXPECT_FALSE(t.starts_with('\n'));
    EXPECT_FALSE(t.ends_with('\n'));
  }
  EXPECT_EQ(texts[0],
            std::string(999, 'a') + "\n" + std::string(999, 'b') + "\n" + std::string(999, 'c'));
}

TEST(slack_render, long_bullet_lists_quotes_and_headings_are_split_too) {
  bullet_list list;
  for (int i = 0; i < 100; ++i) list.items.push_back({"Item", words(80)});
  const auto list_msg = rendered(only(list));
  EXPECT_GE(section_texts(list_msg).size(), 3u);
  const auto quote_msg = rendered(only(quote{words(7000), "src"}));
  EXPECT_GE(section_texts(quote_msg).size(), 3u);
  const auto heading_msg = rendered(only(heading{words(4000)}));
  EXPECT_GE(section_texts(heading_msg).size(), 2u);
}

TEST(slack_render, a_long_context_line_is_cut_to_3000_characters) {
  const auto b = blocks_of(rendered(only(context_line{std::string(5000, 'c')}))).at(0);
  EXPECT_EQ(chars(b.at("elements").at(0).at("text")), 3000u);
}

TEST(slack_render, a_message_of_200_blocks_is_cut_to_50_with_a_note) {
  reply r;
  r.body.title = "Many";
  for (int i = 0; i < 200; ++i) add_paragraph(r, "Paragraph " + std::to_string(i));
  const auto blocks = blocks_of(rendered(r));
  EXPECT_EQ(blocks.size(), 50u);
  const auto& last = blocks.back();
  EXPECT_EQ(sv(last.at("type")), "context");
  EXPECT_TRUE(contains(sv(last.at("elements").at(0).at("text")), "shortened"));
  // The blocks kept are the first ones, in order.
  EXPECT_EQ(sv(blocks[1].at("text").at("text")), "Paragraph 0");
  EXPECT_EQ(sv(blocks[48].at("text").at("text")), "Paragraph 47");
}

TEST(slack_render, the_note_counts_the_parts_left_out) {
  reply r;
  for (int i = 0; i < 200; ++i) add_paragraph(r, "P");
  const auto blocks = blocks_of(rendered(r));
  ASSERT_EQ(blocks.size(), 50u);
  EXPECT_TRUE(contains(sv(blocks.back().at("elements").at(0).at("text")), "151 more part(s)"));
}

TEST(slack_render, a_message_that_fits_has_no_note) {
  reply r;
  r.body.title = "Few";
  for (int i = 0; i < 20; ++i) add_paragraph(r, "Paragraph " + std::to_string(i));
  const auto blocks = blocks_of(rendered(r));
  EXPECT_EQ(blocks.size(), 21u);
  for (const auto& b : blocks) EXPECT_NE(sv(b.at("type")), "context");
}

TEST(slack_render, total_text_stays_within_the_budget) {
  // Five 3000-character paragraphs (15,000) against the 12,000 budget.
  reply r;
  for (int i = 0; i < 5; ++i) add_paragraph(r, std::string(3000, 'a' + i));
  const auto msg = rendered(r);  // check_block_kit sums every text, the note included
  const auto& blocks = blocks_of(msg);
  ASSERT_GE(blocks.size(), 2u);
  EXPECT_EQ(sv(blocks.back().at("type")), "context");
  EXPECT_TRUE(contains(sv(blocks.back().at("elements").at(0).at("text")), "shortened"));
}

TEST(slack_render, total_text_budget_applies_to_fields_and_context_too) {
  reply r;
  field_list fields;
  for (int i = 0; i < 30; ++i) fields.items.push_back({"F", std::string(300, 'f')});  // 3 x 3040
  r.body.blocks.emplace_back(std::in_place_type<field_list>, fields);
  r.body.blocks.emplace_back(std::in_place_type<context_line>, std::string(2900, 'c'));
  const auto msg = rendered(r);
  EXPECT_TRUE(contains(sv(blocks_of(msg).back().at("elements").at(0).at("text")), "shortened"));
}

TEST(slack_render, custom_limits_are_honoured) {
  slack::limits lim;
  lim.max_blocks = 5;
  lim.section_text = 100;
  lim.total_text = 1000;
  reply r;
  r.body.title = "Custom";
  add_paragraph(r, words(450));
  add_paragraph(r, words(2000));
  const auto blocks = blocks_of(rendered(r, lim));
  EXPECT_EQ(blocks.size(), 5u);
  EXPECT_EQ(sv(blocks.back().at("type")), "context");
}

// --- escaping ----------------------------------------------------------------------------------

TEST(slack_render, user_text_is_escaped_in_a_paragraph) {
  const auto msg = rendered(only(paragraph{std::string(hostile)}));
  EXPECT_EQ(section_texts(msg), std::vector<std::string>{std::string(hostile_escaped)});
  EXPECT_EQ(sv(msg.at("text")), hostile_escaped);
}

TEST(slack_render, user_text_is_escaped_in_every_mrkdwn_field) {
  const std::string h(hostile);
  reply r;
  r.body.title = h;
  bullet_list list;
  list.items = {{h, h}};
  bullet_list code = list;
  code.code_labels = true;
  field_list fields;
  fields.items = {{h, h}};
  table t;
  t.header = {h};
  t.rows = {{h}};
  r.body.blocks = {paragraph{h}, heading{h}, list, code, fields, t, quote{h, h}, context_line{h}};
  const auto msg = rendered(r);  // check_block_kit: no raw '<' or '>' in any mrkdwn text
  std::size_t mrkdwn_texts = 0;
  for (const auto& b : blocks_of(msg)) {
    std::vector<const json::value*> texts;
    if (const auto* t = b.as_object().if_contains("text")) texts.push_back(t);
    if (const auto* f = b.as_object().if_contains("fields"))
      for (const auto& x : f->as_array()) texts.push_back(&x);
    if (const auto* e = b.as_object().if_contains("elements"))
      for (const auto& x : e->as_array()) texts.push_back(&x);
    for (const auto* t : texts) {
      if (sv(t->at("type")) != "mrkdwn") continue;
      ++mrkdwn_texts;
      EXPECT_TRUE(contains(sv(t->at("text")), "&lt;!channel&gt;"));
      EXPECT_TRUE(contains(sv(t->at("text")), "&lt;@U123&gt;"));
    }
  }
  EXPECT_EQ(mrkdwn_texts, 8u);
  const auto fallback = sv(msg.at("text"));
  EXPECT_EQ(fallback.find('<'), std::string_view::npos);
  EXPECT_TRUE(contains(fallback, hostile_escaped));
}

TEST(slack_render, splitting_never_cuts_an_entity_in_half) {
  // 2,400 characters that escape to 6,400 without spaces, so the sections are cut hard; at
  // 3,000 characters the first cut would land in the middle of "&amp;".
  std::string text;
  while (text.size() < 2400) text += "a<b&c>";
  const auto msg = rendered(only(paragraph{text}));  // check_block_kit checks entities
  std::string joined;
  for (const auto& t : section_texts(msg)) joined += t;
  EXPECT_TRUE(joined == slack::escape(text)) << "the sections together are the escaped text";
}

TEST(slack_render, cutting_a_field_never_cuts_an_entity_in_half) {
  for (std::size_t shift = 0; shift < 5; ++shift) {
    SCOPED_TRACE("shift " + std::to_string(shift));
    field_list fields;
    std::string value(shift, 'x');
    while (value.size() < 3000) value += "&";
    fields.items = {{"L", value}};
    rendered(only(fields));  // check_block_kit checks entities
  }
}

TEST(slack_render, cutting_the_fallback_never_cuts_an_entity_in_half) {
  for (std::size_t shift = 0; shift < 5; ++shift) {
    SCOPED_TRACE("shift " + std::to_string(shift));
    reply r;
    add_paragraph(r, std::string(shift, 'x') + std::string(5000, '<'));
    rendered(r);  // check_block_kit checks the fallback's entities
  }
}

TEST(slack_render, details_follow_the_blocks_under_their_summary) {
  reply r;
  r.body.blocks = {paragraph{"body"}};
  r.body.details = {paragraph{"more & <@U1>"}};
  r.body.details_summary = "Score breakdown";
  const auto v = slack::render_reply(r);
  const auto& blocks = v.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(sv(blocks[0].at("text").at("text")), "body");
  EXPECT_EQ(sv(blocks[1].at("text").at("text")), "*Score breakdown*");
  EXPECT_EQ(sv(blocks[2].at("text").at("text")), "more &amp; &lt;@U1&gt;");
}

TEST(slack_render, no_details_no_details_heading) {
  reply r;
  r.body.blocks = {paragraph{"body"}};
  EXPECT_EQ(slack::render_reply(r).at("blocks").as_array().size(), 1u);
}

}  // namespace
