// Markdown rendering of platform-neutral messages: escaping (including defused mentions) and the
// shape of every block type.

#include "integrations/markdown/render.hpp"
#include "integrations/plain/render.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

namespace md = integrations::markdown;
using integrations::block;
using integrations::bullet;
using integrations::bullet_list;
using integrations::button;
using integrations::button_row;
using integrations::context_line;
using integrations::divider;
using integrations::field;
using integrations::field_list;
using integrations::heading;
using integrations::message;
using integrations::paragraph;
using integrations::quote;
using integrations::table;

constexpr std::string_view zwsp = "\xE2\x80\x8B";  // U+200B ZERO WIDTH SPACE

md::options defused() {
  md::options o;
  o.defuse_mentions = true;
  return o;
}

// The single piece a one-block message without a title renders to.
std::string piece_of(block b, const md::options& opts = {}) {
  message m;
  m.blocks.push_back(std::move(b));
  const auto pieces = md::render_pieces(m, opts);
  if (pieces.size() != 1) {
    ADD_FAILURE() << "expected one piece, got " << pieces.size();
    return {};
  }
  return pieces.front();
}

TEST(markdown, escape_leaves_plain_text_alone) {
  EXPECT_EQ(md::escape(""), "");
  EXPECT_EQ(md::escape("Plain text, with punctuation: (a) {b} 1.5 - ok!"),
            "Plain text, with punctuation: (a) {b} 1.5 - ok!");
  EXPECT_EQ(md::escape("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(markdown, escape_backslashes_every_formatting_character) {
  EXPECT_EQ(md::escape("\\"), "\\\\");
  EXPECT_EQ(md::escape("`"), "\\`");
  EXPECT_EQ(md::escape("*"), "\\*");
  EXPECT_EQ(md::escape("_"), "\\_");
  EXPECT_EQ(md::escape("["), "\\[");
  EXPECT_EQ(md::escape("]"), "\\]");
  EXPECT_EQ(md::escape("<"), "\\<");
  EXPECT_EQ(md::escape(">"), "\\>");
  EXPECT_EQ(md::escape("|"), "\\|");
  EXPECT_EQ(md::escape("~"), "\\~");
}

TEST(markdown, escape_works_inside_words) {
  EXPECT_EQ(
      md::escape("snake_case **bold** [link](x) <b> a|b ~~s~~ `c` \\n"),
      "snake\\_case \\*\\*bold\\*\\* \\[link\\](x) \\<b\\> a\\|b \\~\\~s\\~\\~ \\`c\\` \\\\n");
}

TEST(markdown, escape_escapes_a_hash_only_at_line_start) {
  EXPECT_EQ(md::escape("#heading"), "\\#heading");
  EXPECT_EQ(md::escape("# heading"), "\\# heading");
  EXPECT_EQ(md::escape("##"), "\\##");
  EXPECT_EQ(md::escape("issue #42"), "issue #42");
  EXPECT_EQ(md::escape("C# and F#"), "C# and F#");
  EXPECT_EQ(md::escape("line\n#second"), "line\n\\#second");
  EXPECT_EQ(md::escape("line\n  # indented"), "line\n  \\# indented");
  EXPECT_EQ(md::escape("   #start"), "   \\#start");
  EXPECT_EQ(md::escape("a\n b #c"), "a\n b #c");
}

TEST(markdown, escape_leaves_mentions_alone_by_default) {
  EXPECT_EQ(md::escape("@channel @here @alice"), "@channel @here @alice");
}

TEST(markdown, escape_defuses_mentions_when_asked) {
  const auto out = md::escape("@channel and @here, ask @alice.", defused());
  EXPECT_EQ(out, "@" + std::string(zwsp) + "channel and @" + std::string(zwsp) + "here, ask @" +
                     std::string(zwsp) + "alice.");
  EXPECT_EQ(out.find("@channel"), std::string::npos);
  EXPECT_EQ(out.find("@here"), std::string::npos);
}

TEST(markdown, escape_defuses_only_an_at_sign_followed_by_a_word_character) {
  EXPECT_EQ(md::escape("@", defused()), "@");
  EXPECT_EQ(md::escape("a @ b", defused()), "a @ b");
  EXPECT_EQ(md::escape("@_x", defused()), "@" + std::string(zwsp) + "\\_x");
  EXPECT_EQ(md::escape("@1", defused()), "@" + std::string(zwsp) + "1");
}

TEST(markdown, title_is_a_level_three_heading_by_default) {
  message m;
  m.title = "Course design";
  const auto pieces = md::render_pieces(m);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0], "### Course design");
}

TEST(markdown, title_level_option_sets_the_number_of_hashes) {
  message m;
  m.title = "T";
  m.blocks.push_back(heading{"H"});
  md::options o;
  o.title_level = 1;
  EXPECT_EQ(md::render(m, o), "# T\n\n## H");
  o.title_level = 2;
  EXPECT_EQ(md::render(m, o), "## T\n\n### H");
}

TEST(markdown, title_is_escaped) {
  message m;
  m.title = "#1 *priority*";
  EXPECT_EQ(md::render(m), "### \\#1 \\*priority\\*");
}

TEST(markdown, no_title_no_title_piece) {
  message m;
  m.blocks.push_back(paragraph{"x"});
  EXPECT_EQ(md::render_pieces(m), std::vector<std::string>{"x"});
  EXPECT_EQ(md::render(message{}), "");
  EXPECT_TRUE(md::render_pieces(message{}).empty());
}

TEST(markdown, paragraph_is_escaped_text) {
  EXPECT_EQ(piece_of(paragraph{"Use *stars* and <tags>."}), "Use \\*stars\\* and \\<tags\\>.");
}

TEST(markdown, heading_is_one_level_below_the_title) {
  EXPECT_EQ(piece_of(heading{"Next steps"}), "#### Next steps");
  EXPECT_EQ(piece_of(heading{"a_b"}), "#### a\\_b");
}

TEST(markdown, bullet_list_bolds_labels) {
  bullet_list list;
  list.items = {{"Practitioner instructors.", "They teach from experience."},
                {"", "No label here"},
                {"Only a label", ""}};
  EXPECT_EQ(piece_of(list),
            "- **Practitioner instructors.** They teach from experience.\n"
            "- No label here\n"
            "- **Only a label**");
}

TEST(markdown, numbered_list_counts_from_one) {
  bullet_list list;
  list.numbered = true;
  list.items = {{"", "first"}, {"Second", "item"}, {"", "third"}};
  EXPECT_EQ(piece_of(list), "1. first\n2. **Second** item\n3. third");
}

TEST(markdown, numbered_list_keeps_counting_past_nine) {
  bullet_list list;
  list.numbered = true;
  for (int i = 0; i < 11; ++i) list.items.push_back({"", "x"});
  const auto out = piece_of(list);
  EXPECT_NE(out.find("\n10. x\n11. x"), std::string::npos) << out;
}

TEST(markdown, code_labels_are_shown_as_inline_code_unescaped) {
  bullet_list list;
  list.code_labels = true;
  list.items = {{"/playbook search <terms>", "finds passages"}, {"a`b", "backtick dropped"}};
  EXPECT_EQ(piece_of(list),
            "- `/playbook search <terms>` finds passages\n"
            "- `ab` backtick dropped");
}

TEST(markdown, code_labels_drop_newlines) {
  bullet_list list;
  list.code_labels = true;
  list.items = {{"two\nlines", ""}};
  EXPECT_EQ(piece_of(list), "- `twolines`");
}

TEST(markdown, item_text_is_escaped) {
  bullet_list list;
  list.items = {{"Label_1", "a*b"}};
  EXPECT_EQ(piece_of(list), "- **Label\\_1** a\\*b");
}

TEST(markdown, empty_bullet_list_renders_empty) { EXPECT_EQ(piece_of(bullet_list{}), ""); }

TEST(markdown, field_list_is_a_list_of_bold_labels) {
  field_list fields;
  fields.items = {{"Owner", "Alice"}, {"Due", "2026-01-31"}, {"Cost_centre", "R&D *7*"}};
  EXPECT_EQ(piece_of(fields),
            "- **Owner:** Alice\n- **Due:** 2026-01-31\n- **Cost\\_centre:** R&D \\*7\\*");
}

TEST(markdown, table_has_a_header_separator_row) {
  table t;
  t.header = {"Week", "Topic"};
  t.rows = {{"1", "Intro"}, {"2", "Practice"}};
  EXPECT_EQ(piece_of(t),
            "| Week | Topic |\n"
            "| --- | --- |\n"
            "| 1 | Intro |\n"
            "| 2 | Practice |");
}

TEST(markdown, table_escapes_pipes_in_cells) {
  table t;
  t.header = {"a|b"};
  t.rows = {{"x|y"}};
  EXPECT_EQ(piece_of(t), "| a\\|b |\n| --- |\n| x\\|y |");
}

TEST(markdown, table_pads_short_rows_and_drops_extra_cells) {
  table t;
  t.header = {"A", "B"};
  t.rows = {{"1"}, {"1", "2", "3"}};
  EXPECT_EQ(piece_of(t), "| A | B |\n| --- | --- |\n| 1 |  |\n| 1 | 2 |");
}

TEST(markdown, table_without_rows_is_header_and_separator) {
  table t;
  t.header = {"Only"};
  EXPECT_EQ(piece_of(t), "| Only |\n| --- |");
}

TEST(markdown, quote_prefixes_every_line) {
  EXPECT_EQ(piece_of(quote{"first line\nsecond line", ""}), "> first line\n> second line");
}

TEST(markdown, quote_names_its_source) {
  EXPECT_EQ(piece_of(quote{"Teach from practice.", "Playbook, section 2"}),
            "> Teach from practice.\n> \xE2\x80\x94 _Playbook, section 2_");
}

TEST(markdown, quote_escapes_text_and_source) {
  EXPECT_EQ(piece_of(quote{"a > b", "file_name.md"}), "> a \\> b\n> \xE2\x80\x94 _file\\_name.md_");
}

TEST(markdown, context_line_is_italic) {
  EXPECT_EQ(piece_of(context_line{"Source: playbook v3"}), "_Source: playbook v3_");
  EXPECT_EQ(piece_of(context_line{"a_b"}), "_a\\_b_");
}

TEST(markdown, button_row_links_urls_and_bolds_actions) {
  button_row row;
  row.items = {{"Open playbook", "open", "", "https://example.com/playbook?a=1"},
               {"Vote", "vote", "yes", ""}};
  EXPECT_EQ(piece_of(row), "[Open playbook](<https://example.com/playbook?a=1>) \xC2\xB7 **Vote**");
}

TEST(markdown, button_labels_are_escaped) {
  button_row row;
  row.items = {{"[x]", "a", "", ""}};
  EXPECT_EQ(piece_of(row), "**\\[x\\]**");
}

TEST(markdown, divider_is_a_thematic_break) { EXPECT_EQ(piece_of(divider{}), "---"); }

TEST(markdown, render_joins_pieces_with_blank_lines) {
  message m;
  m.title = "Answer";
  m.blocks = {paragraph{"One."}, divider{}, context_line{"small"}};
  const auto pieces = md::render_pieces(m);
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_EQ(md::render(m), "### Answer\n\nOne.\n\n---\n\n_small_");
}

TEST(markdown, render_pieces_gives_one_piece_per_block_plus_the_title) {
  message m;
  m.title = "T";
  bullet_list list;
  list.items = {{"", "a"}};
  field_list fields;
  fields.items = {{"k", "v"}};
  table t;
  t.header = {"h"};
  button_row row;
  row.items = {{"b", "", "", ""}};
  m.blocks = {paragraph{"p"}, heading{"h"},      list, fields,   t,
              quote{"q", ""}, context_line{"c"}, row,  divider{}};
  EXPECT_EQ(md::render_pieces(m).size(), 10u);
}

TEST(markdown, defused_render_leaves_no_mention_in_any_block) {
  message m;
  m.title = "@channel title";
  bullet_list list;
  list.items = {{"@here", "@channel"}};
  field_list fields;
  fields.items = {{"@channel", "@here"}};
  table t;
  t.header = {"@channel"};
  t.rows = {{"@here"}};
  button_row row;
  row.items = {{"@channel", "a", "", ""}};
  m.blocks = {paragraph{"ping @channel"}, heading{"@here"},         list, fields, t,
              quote{"@channel", "@here"}, context_line{"@channel"}, row};
  const auto out = md::render(m, defused());
  EXPECT_EQ(out.find("@channel"), std::string::npos) << out;
  EXPECT_EQ(out.find("@here"), std::string::npos) << out;
}

TEST(markdown, details_follow_the_blocks_under_their_summary) {
  message m;
  m.title = "T";
  m.blocks = {paragraph{"body"}};
  m.details = {paragraph{"more *here*"}, divider{}};
  m.details_summary = "Score breakdown";
  EXPECT_EQ(md::render(m), "### T\n\nbody\n\n#### Score breakdown\n\nmore \\*here\\*\n\n---");
  m.details_summary.clear();
  EXPECT_EQ(md::render_pieces(m)[2], "#### Details");
}

TEST(markdown, details_are_defused_like_the_blocks) {
  message m;
  m.details = {paragraph{"ping @channel"}};
  m.details_summary = "@here";
  const auto out = md::render(m, defused());
  EXPECT_EQ(out.find("@channel"), std::string::npos) << out;
  EXPECT_EQ(out.find("@here"), std::string::npos) << out;
}

TEST(plain, details_follow_the_blocks_under_their_summary) {
  message m;
  m.title = "T";
  m.blocks = {paragraph{"body"}};
  m.details = {paragraph{"more\x1b[31m"}};
  EXPECT_EQ(integrations::plain::render(m), "T\n=\n\nbody\n\nDetails\n-------\n\nmore?[31m");
}

}  // namespace
