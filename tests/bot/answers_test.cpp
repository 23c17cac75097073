// Answers to /playbook subcommands: each holds what the playbook says (checked against the parsed
// playbook data), and the chat service renders every one within Slack's and Mattermost's limits.

#include "bot/answers.hpp"
#include "tests/bot/message_text.hpp"
#include "tests/bot/platform_limits.hpp"
#include "bot/chat_service.hpp"
#include "bot/commands.hpp"
#include "integrations/mattermost/render.hpp"
#include "integrations/slack/render.hpp"
#include "integrations/text/utf8.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cctype>
#include <string>
#include <variant>
#include <vector>

namespace {

namespace im = integrations;
namespace json = boost::json;

using test::book;

const knowledge::search_index& index() {
  static const knowledge::search_index i(book());
  return i;
}

const bot::answer_composer& composer() {
  static const bot::answer_composer c(book(), index(), "/playbook");
  return c;
}

const bot::chat_service& service() {
  static const bot::chat_service s(book(), "/playbook");
  return s;
}

im::message answer(std::string_view text) {
  return composer().compose(bot::parse_command_text(text));
}

using test::all_text;

template <class T>
std::vector<const T*> blocks_of(const im::message& m) {
  std::vector<const T*> out;
  for (const auto& b : m.blocks)
    if (const auto* x = std::get_if<T>(&b)) out.push_back(x);
  return out;
}

::testing::AssertionResult contains(const std::string& haystack, std::string_view needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing \"" << needle << "\"";
}

// The titled items of a section appear as bullets: "Title." in bold, then the text.
void expect_titled_items(const im::message& m, const knowledge::item_section& s) {
  const auto lists = blocks_of<im::bullet_list>(m);
  ASSERT_FALSE(lists.empty());
  const auto& items = lists.front()->items;
  ASSERT_EQ(items.size(), s.items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i].label.substr(0, s.items[i].title.size()), s.items[i].title);
    EXPECT_EQ(items[i].label.back(), '.') << items[i].label;
    EXPECT_EQ(items[i].text, s.items[i].text);
  }
}

std::vector<std::string> every_command_text() {
  std::vector<std::string> out;
  for (const auto& s : bot::subcommands()) {
    out.emplace_back(s.name);
    for (auto a : s.aliases) out.emplace_back(a);
  }
  for (const auto& t : book().types.items) {
    out.push_back("types " + t.id);
    for (const auto& a : t.aliases) out.push_back("types " + a);
  }
  for (const auto& t : book().role_tracks.items) {
    out.push_back("tracks " + t.id);
    for (const auto& a : t.aliases) out.push_back("tracks " + a);
  }
  for (const char* extra : {"", "red flags", "failure modes", "types nope", "tracks nope",
                            "search semantic caching", "search engineers training evaluation",
                            "search xylophone", "rdflags", "xyzzy"})
    out.emplace_back(extra);
  const std::size_t n = out.size();
  for (std::size_t i = 0; i < n; ++i) out.push_back(out[i] + " public");
  return out;
}

}  // namespace

// --- the composer ------------------------------------------------------------------------------

TEST(answers, criteria_has_every_criterion_title_and_text) {
  const auto m = answer("criteria");
  EXPECT_EQ(m.title, book().criteria.title);
  const auto text = all_text(m);
  EXPECT_TRUE(contains(text, book().criteria.intro));
  ASSERT_EQ(book().criteria.items.size(), 4u);
  for (const auto& i : book().criteria.items) {
    EXPECT_TRUE(contains(text, i.title));
    EXPECT_TRUE(contains(text, i.text));
  }
  expect_titled_items(m, book().criteria);
  EXPECT_TRUE(contains(text, "Practitioner instructors."));
}

TEST(answers, red_flags_has_every_flag_and_the_intro_and_outro) {
  const auto m = answer("red-flags");
  EXPECT_EQ(m.title, book().red_flags.title);
  const auto text = all_text(m);
  ASSERT_EQ(book().red_flags.items.size(), 5u);
  for (const auto& i : book().red_flags.items) {
    EXPECT_TRUE(contains(text, i.title));
    EXPECT_TRUE(contains(text, i.text));
  }
  EXPECT_TRUE(contains(text, book().red_flags.intro));
  EXPECT_TRUE(contains(text, book().red_flags.outro));
  expect_titled_items(m, book().red_flags);
  EXPECT_TRUE(blocks_of<im::bullet_list>(m).front()->numbered);
}

TEST(answers, questions_has_all_five_numbered_and_the_outro) {
  const auto m = answer("questions");
  EXPECT_EQ(m.title, book().questions.title);
  const auto lists = blocks_of<im::bullet_list>(m);
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_TRUE(lists[0]->numbered);
  ASSERT_EQ(lists[0]->items.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(lists[0]->items[i].text, book().questions.items[i]);
  EXPECT_TRUE(contains(all_text(m), book().questions.outro));
}

TEST(answers, types_without_argument_has_every_name_cell_and_summary) {
  const auto m = answer("types");
  EXPECT_EQ(m.title, book().types.title);
  const auto text = all_text(m);
  EXPECT_TRUE(contains(text, book().types.intro));
  for (const auto& t : book().types.items) {
    EXPECT_TRUE(contains(text, t.name));
    EXPECT_TRUE(contains(text, t.summary));
    for (const auto* column : {&t.good_at, &t.falls_short, &t.typical_engagement})
      for (const auto& cell : *column) EXPECT_TRUE(contains(text, cell)) << t.id;
  }
  EXPECT_TRUE(contains(text, "1. Broad-Scale E-Learning (MOOCs)"));
  EXPECT_TRUE(contains(text, "4. Immersive Engineering Bootcamps"));
  EXPECT_TRUE(contains(text, "/playbook types mooc, cert, workshop, bootcamp"));
  const auto fields = blocks_of<im::field_list>(m);
  ASSERT_EQ(fields.size(), 4u);
  for (const auto* f : fields) {
    ASSERT_EQ(f->items.size(), 3u);
    EXPECT_EQ(f->items[0].label, "What they're good at");
    EXPECT_EQ(f->items[1].label, "Where they fall short");
    EXPECT_EQ(f->items[2].label, "Typical engagement");
  }
}

TEST(answers, types_with_an_id_or_alias_shows_its_table_and_summary) {
  for (const auto& t : book().types.items) {
    std::vector<std::string> names{t.id};
    names.insert(names.end(), t.aliases.begin(), t.aliases.end());
    std::string upper = t.id;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    names.push_back(upper);
    for (const auto& name : names) {
      const auto m = answer("types " + name);
      EXPECT_EQ(m.title, t.name) << name;
      const auto tables = blocks_of<im::table>(m);
      ASSERT_EQ(tables.size(), 1u) << name;
      const auto& tbl = *tables[0];
      EXPECT_EQ(tbl.header, (std::vector<std::string>{"What they're good at", "Where they fall short",
                                                      "Typical engagement"}));
      ASSERT_EQ(tbl.rows.size(), 3u) << name;
      for (std::size_t r = 0; r < 3; ++r) {
        EXPECT_EQ(tbl.rows[r], (std::vector<std::string>{t.good_at[r], t.falls_short[r],
                                                         t.typical_engagement[r]}))
            << name << " row " << r;
      }
      EXPECT_TRUE(contains(all_text(m), t.summary)) << name;
    }
  }
}

TEST(answers, types_argument_is_matched_ignoring_case) {
  EXPECT_EQ(answer("types MOOC").title, book().find_type("mooc")->name);
  EXPECT_EQ(answer("TYPES Bootcamps").title, book().find_type("bootcamp")->name);
}

TEST(answers, unknown_type_lists_the_ids_and_suggests_a_near_one) {
  const auto m = answer("types foo");
  EXPECT_EQ(m.title, "Unknown provider type");
  const auto text = all_text(m);
  EXPECT_TRUE(contains(text, "\"foo\""));
  EXPECT_TRUE(contains(text, "mooc, cert, workshop, bootcamp"));
  EXPECT_TRUE(contains(text, "/playbook types"));
  EXPECT_EQ(text.find("Did you mean"), std::string::npos);

  const auto near = all_text(answer("types bootcmp"));
  EXPECT_TRUE(contains(near, "Did you mean bootcamp?"));
}

TEST(answers, capabilities_has_all_four) {
  const auto m = answer("capabilities");
  EXPECT_EQ(m.title, book().capabilities.title);
  const auto text = all_text(m);
  EXPECT_TRUE(contains(text, book().capabilities.intro));
  ASSERT_EQ(book().capabilities.items.size(), 4u);
  expect_titled_items(m, book().capabilities);
}

TEST(answers, formats_has_all_three_and_points_to_the_tracks) {
  const auto m = answer("formats");
  EXPECT_EQ(m.title, book().formats.title);
  ASSERT_EQ(book().formats.items.size(), 3u);
  expect_titled_items(m, book().formats);
  EXPECT_TRUE(contains(all_text(m), "/playbook tracks frontend, backend, devops"));
}

TEST(answers, tracks_without_argument_has_all_three) {
  const auto m = answer("tracks");
  EXPECT_EQ(m.title, book().role_tracks.title);
  const auto text = all_text(m);
  EXPECT_TRUE(contains(text, book().role_tracks.intro));
  for (const auto& t : book().role_tracks.items) {
    EXPECT_TRUE(contains(text, t.title));
    EXPECT_TRUE(contains(text, t.focus));
  }
}

TEST(answers, tracks_with_an_id_or_alias_shows_its_focus_and_the_others) {
  for (const auto& t : book().role_tracks.items) {
    std::vector<std::string> names{t.id};
    names.insert(names.end(), t.aliases.begin(), t.aliases.end());
    for (const auto& name : names) {
      const auto m = answer("tracks " + name);
      EXPECT_TRUE(contains(m.title, t.title)) << name;
      const auto fields = blocks_of<im::field_list>(m);
      ASSERT_EQ(fields.size(), 1u) << name;
      ASSERT_EQ(fields[0]->items.size(), 1u);
      EXPECT_EQ(fields[0]->items[0].label, "Focus");
      EXPECT_EQ(fields[0]->items[0].value, t.focus);
      const auto text = all_text(m);
      for (const auto& other : book().role_tracks.items) {
        EXPECT_TRUE(contains(text, other.title)) << name;
        EXPECT_TRUE(contains(text, other.focus)) << name;
      }
    }
  }
}

TEST(answers, unknown_track_lists_the_ids) {
  const auto m = answer("tracks fullstack");
  EXPECT_EQ(m.title, "Unknown track");
  EXPECT_TRUE(contains(all_text(m), "frontend, backend, devops"));
  EXPECT_TRUE(contains(all_text(answer("tracks backnd")), "Did you mean backend?"));
}

TEST(answers, invest_has_both_lists) {
  const auto m = answer("invest");
  const auto& inv = book().invest;
  EXPECT_EQ(m.title, inv.title);
  const auto text = all_text(m);
  EXPECT_TRUE(contains(text, inv.intro));
  EXPECT_TRUE(contains(text, inv.invest_when_title));
  EXPECT_TRUE(contains(text, inv.avoid_when_title));
  ASSERT_EQ(inv.invest_when.size(), 4u);
  ASSERT_EQ(inv.avoid_when.size(), 4u);
  const auto lists = blocks_of<im::bullet_list>(m);
  ASSERT_EQ(lists.size(), 2u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(lists[0]->items[i].text, inv.invest_when[i]);
    EXPECT_EQ(lists[1]->items[i].text, inv.avoid_when[i]);
  }
}

TEST(answers, failures_has_all_four) {
  const auto m = answer("failures");
  EXPECT_EQ(m.title, book().failure_modes.title);
  EXPECT_TRUE(contains(all_text(m), book().failure_modes.intro));
  ASSERT_EQ(book().failure_modes.items.size(), 4u);
  expect_titled_items(m, book().failure_modes);
}

TEST(answers, takeaways_has_the_three_paragraphs) {
  const auto m = answer("takeaways");
  EXPECT_EQ(m.title, book().closing.title);
  const auto paragraphs = blocks_of<im::paragraph>(m);
  ASSERT_EQ(paragraphs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(paragraphs[i]->text, book().closing.paragraphs[i]);
}

TEST(answers, about_covers_and_does_not_cover) {
  const auto m = answer("about");
  const auto& intro = book().intro;
  const auto text = all_text(m);
  for (const auto& p : intro.paragraphs) EXPECT_TRUE(contains(text, p));
  EXPECT_TRUE(contains(text, intro.covers_title));
  EXPECT_TRUE(contains(text, intro.does_not_cover_title));
  for (const auto& c : intro.covers) EXPECT_TRUE(contains(text, c));
  for (const auto& c : intro.does_not_cover) EXPECT_TRUE(contains(text, c));
}

TEST(answers, help_lists_every_subcommand) {
  const auto m = answer("help");
  EXPECT_EQ(m.title, book().title);
  const auto lists = blocks_of<im::bullet_list>(m);
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_TRUE(lists[0]->code_labels);
  ASSERT_EQ(lists[0]->items.size(), bot::subcommands().size());
  for (std::size_t i = 0; i < bot::subcommands().size(); ++i) {
    const auto& s = bot::subcommands()[i];
    EXPECT_TRUE(lists[0]->items[i].label.starts_with("/playbook " + std::string(s.name)))
        << lists[0]->items[i].label;
    EXPECT_EQ(lists[0]->items[i].text, s.summary);
  }
  const auto text = all_text(m);
  EXPECT_TRUE(contains(text, "/playbook types [mooc|cert|workshop|bootcamp]"));
  EXPECT_TRUE(contains(text, "/playbook search <words>"));
  EXPECT_TRUE(contains(text, "/playbook criteria public"));
  EXPECT_TRUE(contains(text, book().subtitle));
}

TEST(answers, search_quotes_matching_passages_with_their_source) {
  const auto m = answer("search semantic caching");
  EXPECT_TRUE(contains(m.title, "semantic caching"));
  const auto quotes = blocks_of<im::quote>(m);
  ASSERT_FALSE(quotes.empty());
  EXPECT_LE(quotes.size(), bot::answer_composer::search_results);
  EXPECT_TRUE(contains(quotes[0]->text, "semantic caching"));
  EXPECT_TRUE(contains(quotes[0]->text, "System reliability and latency."));
  EXPECT_TRUE(contains(quotes[0]->source, book().capabilities.title));
  EXPECT_TRUE(contains(quotes[0]->source, "/playbook capabilities"));
}

TEST(answers, search_shows_at_most_five_passages) {
  const auto quotes = blocks_of<im::quote>(answer("search engineers training"));
  EXPECT_EQ(quotes.size(), bot::answer_composer::search_results);
}

TEST(answers, search_points_to_the_type_a_cell_came_from) {
  const auto quotes = blocks_of<im::quote>(answer("search seat licenses"));
  ASSERT_FALSE(quotes.empty());
  EXPECT_TRUE(contains(quotes[0]->source, "/playbook types mooc"));
}

TEST(answers, search_without_match_or_words_says_so) {
  const auto none = answer("search xylophone");
  EXPECT_TRUE(blocks_of<im::quote>(none).empty());
  EXPECT_TRUE(contains(all_text(none), "Nothing in the playbook matches"));

  const auto empty = answer("search");
  EXPECT_EQ(empty.title, "Search the playbook");
  EXPECT_TRUE(contains(all_text(empty), "Usage: /playbook search <words>"));
}

TEST(answers, unknown_subcommand_suggests_the_close_one) {
  const auto text = all_text(answer("rdflags"));
  EXPECT_TRUE(contains(text, "\"rdflags\" is not a subcommand"));
  EXPECT_TRUE(contains(text, "Did you mean /playbook red-flags?"));
  EXPECT_TRUE(contains(text, "/playbook help"));
  EXPECT_TRUE(contains(text, "/playbook search rdflags"));
}

TEST(answers, nonsense_subcommand_has_no_suggestion) {
  const auto text = all_text(answer("xyzzy"));
  EXPECT_TRUE(contains(text, "\"xyzzy\" is not a subcommand"));
  EXPECT_EQ(text.find("Did you mean"), std::string::npos);
}

TEST(answers, echoed_user_text_is_cut_short) {
  const std::string word(10'000, 'a');
  const auto check = [&word](const im::message& m) {
    const auto text = all_text(m);
    EXPECT_EQ(text.find(std::string(61, 'a')), std::string::npos);
    EXPECT_TRUE(contains(text, std::string(60, 'a') + "\xE2\x80\xA6"));
    EXPECT_LT(text.size(), 2000u);
  };
  check(answer(word));
  check(answer("types " + word));
  check(answer("tracks " + word));
  check(answer("search " + word));
}

TEST(answers, echo_cuts_between_code_points) {
  std::string word;
  for (int i = 0; i < 100; ++i) word += "\xC3\xA9";  // é
  const auto text = all_text(answer("types " + word));
  EXPECT_TRUE(im::utf8::valid(text));
  std::string sixty;
  for (int i = 0; i < 60; ++i) sixty += "\xC3\xA9";
  EXPECT_TRUE(contains(text, "\"" + sixty + "\xE2\x80\xA6\""));
}

TEST(answers, the_prefix_is_used_in_every_hint) {
  const bot::answer_composer cli(book(), index(), "playbook-bot ask");
  const auto text = all_text(cli.compose(bot::parse_command_text("help")));
  EXPECT_TRUE(contains(text, "playbook-bot ask criteria"));
  EXPECT_EQ(text.find("/playbook"), std::string::npos);
}

TEST(answers, only_search_review_decision_and_unknown_answers_are_not_static) {
  for (const auto& s : bot::subcommands()) {
    bot::parsed_command c;
    c.what = s.what;
    EXPECT_EQ(bot::answer_composer::is_static(c), s.what != bot::topic::search &&
                                                      s.what != bot::topic::review &&
                                                      !bot::is_decision_topic(s.what))
        << s.name;
  }
  bot::parsed_command u;
  u.what = bot::topic::unknown;
  EXPECT_FALSE(bot::answer_composer::is_static(u));
}

TEST(answers, every_answer_has_content_and_all_but_unknown_a_title) {
  for (const auto& text : every_command_text()) {
    const auto cmd = bot::parse_command_text(text);
    const auto m = composer().compose(cmd);
    EXPECT_FALSE(m.blocks.empty()) << text;
    if (cmd.what != bot::topic::unknown) {
      EXPECT_FALSE(m.title.empty()) << text;
    }
  }
}

// --- the chat service --------------------------------------------------------------------------

TEST(chat_service, slack_answer_is_ephemeral_json_with_blocks) {
  const auto v = json::parse(service().respond(im::platform::slack, "criteria"));
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("response_type").as_string(), "ephemeral");
  ASSERT_TRUE(o.at("blocks").is_array());
  EXPECT_FALSE(o.at("blocks").as_array().empty());
  EXPECT_FALSE(o.at("text").as_string().empty());
  const auto& header = o.at("blocks").as_array()[0].as_object();
  EXPECT_EQ(header.at("type").as_string(), "header");
  EXPECT_EQ(header.at("text").at("text").as_string(), book().criteria.title);
}

TEST(chat_service, public_answers_go_to_the_channel) {
  for (std::string_view text : {"criteria public", "public criteria", "types mooc public",
                                "tracks sre public", "search caching public", "public"}) {
    const auto v = json::parse(service().respond(im::platform::slack, text));
    EXPECT_EQ(v.at("response_type").as_string(), "in_channel") << text;
    EXPECT_EQ(service().answer(text).audience, im::visibility::in_channel) << text;
  }
}

TEST(chat_service, errors_stay_ephemeral_even_when_public_is_asked) {
  for (std::string_view text : {"nonsense public", "rdflags public", "types foo public",
                                "tracks nope public", "search public"}) {
    const auto v = json::parse(service().respond(im::platform::slack, text));
    EXPECT_EQ(v.at("response_type").as_string(), "ephemeral") << text;
    const auto m = json::parse(service().respond(im::platform::mattermost, text));
    EXPECT_EQ(m.at("response_type").as_string(), "ephemeral") << text;
    EXPECT_EQ(service().answer(text).audience, im::visibility::ephemeral) << text;
  }
}

TEST(chat_service, mattermost_answer_has_response_type_and_markdown_text) {
  const auto v = json::parse(service().respond(im::platform::mattermost, "criteria"));
  EXPECT_EQ(v.at("response_type").as_string(), "ephemeral");
  const std::string text(v.at("text").as_string());
  EXPECT_TRUE(text.starts_with("### "));
  for (const auto& i : book().criteria.items) EXPECT_TRUE(contains(text, i.title));

  const auto p = json::parse(service().respond(im::platform::mattermost, "criteria public"));
  EXPECT_EQ(p.at("response_type").as_string(), "in_channel");
}

TEST(chat_service, cached_answers_equal_freshly_rendered_ones) {
  for (const auto& text : every_command_text()) {
    const auto r = service().answer(text);
    EXPECT_EQ(service().respond(im::platform::slack, text), im::slack::render_reply_body(r)) << text;
    EXPECT_EQ(service().respond(im::platform::mattermost, text),
              im::mattermost::render_reply_body(r))
        << text;
  }
}

TEST(chat_service, names_of_one_answer_give_the_same_response) {
  const auto& s = service();
  for (auto p : {im::platform::slack, im::platform::mattermost}) {
    EXPECT_EQ(s.respond(p, "types MOOC"), s.respond(p, "types mooc"));
    EXPECT_EQ(s.respond(p, "types moocs"), s.respond(p, "types mooc"));
    EXPECT_EQ(s.respond(p, "Red Flags"), s.respond(p, "red-flags"));
    EXPECT_EQ(s.respond(p, "flags"), s.respond(p, "red-flags"));
    EXPECT_EQ(s.respond(p, "public tracks SRE"), s.respond(p, "tracks devops public"));
    EXPECT_EQ(s.respond(p, "criteria with extra words"), s.respond(p, "criteria"));
    EXPECT_NE(s.respond(p, "types mooc"), s.respond(p, "types cert"));
    EXPECT_NE(s.respond(p, "criteria"), s.respond(p, "criteria public"));
  }
}

TEST(chat_service, every_answer_fits_slack_limits) {
  for (const auto& text : every_command_text())
    test::expect_slack_limits(service().respond(im::platform::slack, text), text);
}

TEST(chat_service, every_answer_fits_mattermost_limits) {
  for (const auto& text : every_command_text())
    test::expect_mattermost_limits(service().respond(im::platform::mattermost, text), text);
}

TEST(chat_service, huge_user_text_gives_a_small_valid_answer) {
  const std::string word(100'000, 'x');
  for (const auto& text : {word, "types " + word, "search " + word, word + " public"}) {
    for (auto p : {im::platform::slack, im::platform::mattermost}) {
      const auto body = service().respond(p, text);
      boost::system::error_code ec;
      json::parse(body, ec);
      EXPECT_FALSE(ec);
      EXPECT_LT(body.size(), 4000u);
    }
  }
}

TEST(chat_service, user_text_cannot_inject_slack_markup_or_mentions) {
  const auto body = service().respond(im::platform::slack, "<!channel> public");
  EXPECT_EQ(body.find("<!channel>"), std::string::npos);
  const auto v = json::parse(service().respond(im::platform::mattermost, "@channel"));
  EXPECT_EQ(std::string(v.at("text").as_string()).find("@channel"), std::string::npos);
}

TEST(chat_service, markdown_holds_the_answer) {
  const auto md = service().markdown("criteria");
  EXPECT_TRUE(md.starts_with("# " + book().criteria.title));
  for (const auto& i : book().criteria.items) EXPECT_TRUE(contains(md, i.title));
  EXPECT_TRUE(contains(md, "/playbook red-flags"));
}

TEST(chat_service, a_custom_prefix_appears_in_hints) {
  const bot::chat_service cli(book(), "playbook-bot ask");
  EXPECT_TRUE(contains(cli.markdown("help"), "playbook-bot ask criteria"));
}
