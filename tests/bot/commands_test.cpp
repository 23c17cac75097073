// Parsing the text after /playbook: subcommands and their aliases, `public`, "did you mean", and
// the helpers behind them (edit distance, closest candidate, word splitting).

#include "bot/commands.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace {

using bot::parse_command_text;
using bot::topic;

std::vector<std::string> as_strings(const std::vector<std::string_view>& v) {
  return {v.begin(), v.end()};
}

}  // namespace

TEST(commands, empty_text_is_help) {
  for (std::string_view text : {"", " ", "\t\n  ", "\xC2\xA0"}) {
    const auto c = parse_command_text(text);
    if (text == "\xC2\xA0") {
      // A no-break space is not ASCII whitespace: it is a word, and not a subcommand.
      EXPECT_EQ(c.what, topic::unknown);
      continue;
    }
    EXPECT_EQ(c.what, topic::help) << '"' << text << '"';
    EXPECT_FALSE(c.is_public);
    EXPECT_EQ(c.argument, "");
  }
}

TEST(commands, every_subcommand_name_parses_to_its_topic) {
  for (const auto& s : bot::subcommands()) {
    const auto c = parse_command_text(s.name);
    EXPECT_EQ(c.what, s.what) << s.name;
    EXPECT_EQ(c.argument, "") << s.name;
    EXPECT_FALSE(c.is_public) << s.name;
  }
}

TEST(commands, every_alias_parses_to_its_topic) {
  for (const auto& s : bot::subcommands()) {
    for (auto alias : s.aliases) EXPECT_EQ(parse_command_text(alias).what, s.what) << alias;
  }
}

TEST(commands, names_and_aliases_are_unique_lowercase_and_single_words) {
  std::set<std::string_view> seen;
  for (const auto& s : bot::subcommands()) {
    EXPECT_FALSE(s.summary.empty()) << s.name;
    EXPECT_TRUE(seen.insert(s.name).second) << s.name;
    for (auto alias : s.aliases) EXPECT_TRUE(seen.insert(alias).second) << alias;
  }
  for (auto name : seen) {
    EXPECT_EQ(bot::lowercase(name), name);
    EXPECT_EQ(bot::words(name).size(), 1u) << name;
  }
}

TEST(commands, subcommands_cover_every_topic_but_unknown_once) {
  std::set<topic> topics;
  for (const auto& s : bot::subcommands()) EXPECT_TRUE(topics.insert(s.what).second) << s.name;
  EXPECT_EQ(topics.size(), static_cast<std::size_t>(topic::unknown));
  EXPECT_FALSE(topics.count(topic::unknown));
  EXPECT_EQ(bot::subcommands().front().name, "help");
}

TEST(commands, info_finds_each_subcommand_and_falls_back_to_help) {
  for (const auto& s : bot::subcommands()) EXPECT_EQ(bot::info(s.what).name, s.name);
  EXPECT_EQ(bot::info(topic::red_flags).name, "red-flags");
  EXPECT_EQ(bot::info(topic::unknown).name, "help");
}

TEST(commands, the_commonly_typed_forms_parse) {
  struct expectation {
    std::string_view text;
    topic what;
    std::string_view argument;
  };
  for (const auto& [text, what, argument] : std::initializer_list<expectation>{
           {"help", topic::help, ""},
           {"criteria", topic::criteria, ""},
           {"red-flags", topic::red_flags, ""},
           {"redflags", topic::red_flags, ""},
           {"red flags", topic::red_flags, ""},
           {"Red Flags", topic::red_flags, ""},
           {"RED FLAG", topic::red_flags, ""},
           {"flags", topic::red_flags, ""},
           {"q", topic::questions, ""},
           {"questions", topic::questions, ""},
           {"types", topic::types, ""},
           {"types mooc", topic::types, "mooc"},
           {"Types MOOC", topic::types, "MOOC"},
           {"tracks backend", topic::tracks, "backend"},
           {"invest", topic::invest, ""},
           {"failures", topic::failures, ""},
           {"failure modes", topic::failures, ""},
           {"Failure Modes", topic::failures, ""},
           {"failure", topic::failures, ""},
           {"search semantic caching", topic::search, "semantic caching"},
           {"search", topic::search, ""},
           {"takeaways", topic::takeaways, ""},
           {"about", topic::about, ""},
           {"CRITERIA", topic::criteria, ""},
           {"  criteria  ", topic::criteria, ""},
       }) {
    const auto c = parse_command_text(text);
    EXPECT_EQ(c.what, what) << text;
    EXPECT_EQ(c.argument, argument) << text;
    EXPECT_FALSE(c.is_public) << text;
  }
}

TEST(commands, red_alone_is_not_red_flags_but_suggests_it) {
  const auto c = parse_command_text("red");
  EXPECT_EQ(c.what, topic::unknown);
  ASSERT_TRUE(c.suggestion);
  EXPECT_EQ(*c.suggestion, topic::red_flags);
}

TEST(commands, red_followed_by_another_word_is_unknown) {
  const auto c = parse_command_text("red alert");
  EXPECT_EQ(c.what, topic::unknown);
  EXPECT_EQ(c.unknown_word, "red");
}

TEST(commands, extra_words_become_the_argument_joined_by_single_spaces) {
  const auto c = parse_command_text("search  prompt\tinjection\n guardrails");
  EXPECT_EQ(c.what, topic::search);
  EXPECT_EQ(c.argument, "prompt injection guardrails");

  const auto r = parse_command_text("red flags extra words");
  EXPECT_EQ(r.what, topic::red_flags);
  EXPECT_EQ(r.argument, "extra words");
}

TEST(commands, public_as_the_last_word_makes_the_answer_public) {
  const auto c = parse_command_text("criteria public");
  EXPECT_EQ(c.what, topic::criteria);
  EXPECT_TRUE(c.is_public);
  EXPECT_EQ(c.argument, "");

  const auto t = parse_command_text("types mooc PUBLIC");
  EXPECT_EQ(t.what, topic::types);
  EXPECT_TRUE(t.is_public);
  EXPECT_EQ(t.argument, "mooc");

  const auto r = parse_command_text("red flags Public");
  EXPECT_EQ(r.what, topic::red_flags);
  EXPECT_TRUE(r.is_public);
}

TEST(commands, public_as_the_first_word_makes_the_answer_public) {
  const auto c = parse_command_text("public criteria");
  EXPECT_EQ(c.what, topic::criteria);
  EXPECT_TRUE(c.is_public);

  const auto s = parse_command_text("public search caching");
  EXPECT_EQ(s.what, topic::search);
  EXPECT_TRUE(s.is_public);
  EXPECT_EQ(s.argument, "caching");
}

TEST(commands, public_alone_is_public_help) {
  const auto c = parse_command_text("public");
  EXPECT_EQ(c.what, topic::help);
  EXPECT_TRUE(c.is_public);
}

TEST(commands, only_one_public_is_stripped) {
  // The last word is taken first; a second `public` at the front is then the subcommand word.
  const auto c = parse_command_text("public public");
  EXPECT_TRUE(c.is_public);
  EXPECT_EQ(c.what, topic::unknown);
  EXPECT_EQ(c.unknown_word, "public");

  const auto s = parse_command_text("public search cloud public");
  EXPECT_TRUE(s.is_public);
  EXPECT_EQ(s.what, topic::unknown);  // "public" is not a subcommand
}

TEST(commands, public_inside_search_words_is_kept) {
  // Only the first or last word of the whole text is the modifier: "public cloud" is searched.
  const auto c = parse_command_text("search public cloud");
  EXPECT_EQ(c.what, topic::search);
  EXPECT_FALSE(c.is_public);
  EXPECT_EQ(c.argument, "public cloud");
}

TEST(commands, public_as_the_last_search_word_is_the_modifier) {
  const auto c = parse_command_text("search cloud public");
  EXPECT_EQ(c.what, topic::search);
  EXPECT_TRUE(c.is_public);
  EXPECT_EQ(c.argument, "cloud");

  const auto only = parse_command_text("search public");
  EXPECT_EQ(only.what, topic::search);
  EXPECT_TRUE(only.is_public);
  EXPECT_EQ(only.argument, "");
}

TEST(commands, a_near_miss_is_unknown_with_a_suggestion) {
  struct expectation {
    std::string_view text;
    topic suggestion;
  };
  for (const auto& [text, suggestion] : std::initializer_list<expectation>{
           {"rdflags", topic::red_flags},
           {"critera", topic::criteria},
           {"criterai", topic::criteria},
           {"serch", topic::search},
           {"cap", topic::capabilities},
           {"ques", topic::questions},
           {"takeaway5", topic::takeaways},
           {"tyeps", topic::types},
           {"Critera", topic::criteria},
           {"formts", topic::formats},
       }) {
    const auto c = parse_command_text(text);
    EXPECT_EQ(c.what, topic::unknown) << text;
    EXPECT_EQ(c.unknown_word, text) << text;
    ASSERT_TRUE(c.suggestion) << text;
    EXPECT_EQ(*c.suggestion, suggestion) << text << " → " << bot::info(*c.suggestion).name;
  }
}

TEST(commands, nonsense_is_unknown_without_a_suggestion) {
  for (std::string_view text : {"xyzzy", "banana", "zz", "qqqqqqqq", "12345"}) {
    const auto c = parse_command_text(text);
    EXPECT_EQ(c.what, topic::unknown) << text;
    EXPECT_FALSE(c.suggestion) << text << " → " << bot::info(*c.suggestion).name;
  }
}

TEST(commands, unknown_keeps_the_typed_word_and_all_words_as_argument) {
  const auto c = parse_command_text("Rdflags for Acme public");
  EXPECT_EQ(c.what, topic::unknown);
  EXPECT_TRUE(c.is_public);
  EXPECT_EQ(c.unknown_word, "Rdflags");
  EXPECT_EQ(c.argument, "Rdflags for Acme");
}

TEST(commands, huge_input_does_not_crash) {
  const std::string one_word(100'000, 'a');
  const auto c = parse_command_text(one_word);
  EXPECT_EQ(c.what, topic::unknown);
  EXPECT_EQ(c.unknown_word.size(), one_word.size());
  EXPECT_FALSE(c.suggestion);

  std::string many_words;
  for (int i = 0; i < 25'000; ++i) many_words += "abc ";
  const auto m = parse_command_text("search " + many_words);
  EXPECT_EQ(m.what, topic::search);
  EXPECT_EQ(bot::words(m.argument).size(), 25'000u);

  const std::string spaces(100'000, ' ');
  EXPECT_EQ(parse_command_text(spaces).what, topic::help);
}

TEST(commands, binary_junk_does_not_crash) {
  std::string junk;
  for (int i = 0; i < 1000; ++i) junk += static_cast<char>(i * 37);
  const auto c = parse_command_text(junk);
  EXPECT_NE(c.what, topic::help);
}

// --- helpers ---------------------------------------------------------------------------------

TEST(edit_distance, counts_insertions_deletions_and_substitutions) {
  EXPECT_EQ(bot::edit_distance("", ""), 0u);
  EXPECT_EQ(bot::edit_distance("abc", ""), 3u);
  EXPECT_EQ(bot::edit_distance("", "abc"), 3u);
  EXPECT_EQ(bot::edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(bot::edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(bot::edit_distance("criteria", "critera"), 1u);
  EXPECT_EQ(bot::edit_distance("search", "serch"), 1u);
  EXPECT_EQ(bot::edit_distance("flaw", "lawn"), 2u);
}

TEST(edit_distance, counts_an_adjacent_transposition_as_one_edit) {
  EXPECT_EQ(bot::edit_distance("ab", "ba"), 1u);
  EXPECT_EQ(bot::edit_distance("types", "tyeps"), 1u);
  EXPECT_EQ(bot::edit_distance("criteria", "critreia"), 1u);
  EXPECT_EQ(bot::edit_distance("abcdef", "badcfe"), 3u);
}

TEST(edit_distance, is_optimal_string_alignment_not_unrestricted_damerau) {
  // OSA may not edit a transposed pair again: "ca" → "abc" is 3 here (2 in full Damerau).
  EXPECT_EQ(bot::edit_distance("ca", "abc"), 3u);
}

TEST(edit_distance, is_symmetric) {
  for (auto [a, b] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"red-flags", "redflags"}, {"capabilities", "cap"}, {"x", "xyzzy"}, {"ab", "ba"}})
    EXPECT_EQ(bot::edit_distance(a, b), bot::edit_distance(b, a)) << a << " / " << b;
}

TEST(closest, finds_the_candidate_within_the_allowed_distance) {
  const std::vector<std::string_view> c = {"criteria", "questions", "types"};
  EXPECT_EQ(bot::closest("criteria", c), 0u);
  EXPECT_EQ(bot::closest("critera", c), 0u);
  EXPECT_EQ(bot::closest("questoins", c), 1u);
  EXPECT_EQ(bot::closest("typs", c), 2u);
}

TEST(closest, allows_one_edit_for_short_words_and_two_for_longer_ones) {
  const std::vector<std::string_view> c = {"types", "criteria"};
  EXPECT_EQ(bot::closest("tyqs", c), std::nullopt);   // 4 letters, 2 edits from "types"
  EXPECT_EQ(bot::closest("tipes", c), 0u);            // 5 letters, 1 edit
  EXPECT_EQ(bot::closest("critxrix", c), 1u);          // 8 letters, 2 edits
  EXPECT_EQ(bot::closest("crxtxrix", c), std::nullopt);  // 3 edits
}

TEST(closest, a_prefix_of_three_letters_counts_as_one_edit) {
  const std::vector<std::string_view> c = {"capabilities", "questions"};
  EXPECT_EQ(bot::closest("cap", c), 0u);
  EXPECT_EQ(bot::closest("ques", c), 1u);
  EXPECT_EQ(bot::closest("ca", c), std::nullopt);
}

TEST(closest, prefers_the_first_of_equally_close_candidates) {
  const std::vector<std::string_view> c = {"flag", "flat"};
  EXPECT_EQ(bot::closest("fla", c), 0u);
}

TEST(closest, gives_nothing_for_empty_or_very_long_words_or_no_candidates) {
  const std::vector<std::string_view> c = {"criteria"};
  EXPECT_EQ(bot::closest("", c), std::nullopt);
  EXPECT_EQ(bot::closest(std::string(65, 'c'), c), std::nullopt);
  EXPECT_EQ(bot::closest("criteria", {}), std::nullopt);
}

TEST(words, splits_on_every_ascii_whitespace_kind) {
  EXPECT_EQ(as_strings(bot::words("a b\tc\nd\re\ff\vg")),
            (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"}));
}

TEST(words, ignores_leading_trailing_and_repeated_whitespace) {
  EXPECT_EQ(as_strings(bot::words("  \t one \n\n  two  ")), (std::vector<std::string>{"one", "two"}));
  EXPECT_TRUE(bot::words("").empty());
  EXPECT_TRUE(bot::words(" \t\r\n\f\v").empty());
}

TEST(words, keeps_punctuation_and_non_ascii_inside_words) {
  EXPECT_EQ(as_strings(bot::words("red-flags caf\xC3\xA9 a\xC2\xA0" "b")),
            (std::vector<std::string>{"red-flags", "caf\xC3\xA9", "a\xC2\xA0" "b"}));
}

TEST(lowercase, lowers_ascii_only) {
  EXPECT_EQ(bot::lowercase("Red-FLAGS 42"), "red-flags 42");
  EXPECT_EQ(bot::lowercase("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // ÉTÉ: only the T changes
  EXPECT_EQ(bot::lowercase(""), "");
}
