// Mattermost slash commands: the command-token check, reading the request fields (POST body or GET
// query string) and the JSON reply split into posts within Mattermost's limits.

#include "integrations/mattermost/auth.hpp"
#include "integrations/mattermost/command.hpp"
#include "integrations/mattermost/render.hpp"
#include "integrations/text/utf8.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = boost::json;
namespace mm = integrations::mattermost;
using integrations::chat_command;
using integrations::form;
using integrations::paragraph;
using integrations::parse_form;
using integrations::reply;
using integrations::visibility;

// The token of the Mattermost documentation's example request (reference section 7).
constexpr std::string_view doc_token = "okwexkjpe7ygb8eq1ww58t483w";
constexpr std::string_view shortened_note = "Answer shortened to fit Mattermost.";

::testing::AssertionResult contains(std::string_view haystack, std::string_view needle) {
  if (haystack.find(needle) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << '"' << haystack.substr(0, 300) << "\" does not contain \"" << needle << '"';
}

std::string_view sv(const json::value& v) {
  const auto& s = v.as_string();
  return {s.data(), s.size()};
}

// --- token_checker -----------------------------------------------------------------------------

mm::token_checker doc_checker() { return mm::token_checker({std::string(doc_token)}); }

TEST(mattermost, accepts_the_documented_header_and_form_token) {
  const auto c = doc_checker();
  EXPECT_TRUE(c.accepts("Token okwexkjpe7ygb8eq1ww58t483w", doc_token));
}

TEST(mattermost, accepts_the_header_token_alone) {
  EXPECT_TRUE(doc_checker().accepts("Token okwexkjpe7ygb8eq1ww58t483w", std::nullopt));
}

TEST(mattermost, accepts_the_form_token_alone) {
  EXPECT_TRUE(doc_checker().accepts(std::nullopt, doc_token));
}

TEST(mattermost, header_scheme_is_case_insensitive) {
  const auto c = doc_checker();
  EXPECT_TRUE(c.accepts("token okwexkjpe7ygb8eq1ww58t483w", std::nullopt));
  EXPECT_TRUE(c.accepts("TOKEN okwexkjpe7ygb8eq1ww58t483w", std::nullopt));
  EXPECT_TRUE(c.accepts("tOkEn okwexkjpe7ygb8eq1ww58t483w", std::nullopt));
}

TEST(mattermost, the_token_itself_is_case_sensitive) {
  const auto c = doc_checker();
  EXPECT_FALSE(c.accepts("Token OKWEXKJPE7YGB8EQ1WW58T483W", std::nullopt));
  EXPECT_FALSE(c.accepts(std::nullopt, "OKWEXKJPE7YGB8EQ1WW58T483W"));
}

TEST(mattermost, rejects_a_wrong_header_token) {
  EXPECT_FALSE(doc_checker().accepts("Token okwexkjpe7ygb8eq1ww58t483x", std::nullopt));
}

TEST(mattermost, rejects_a_wrong_form_token) {
  EXPECT_FALSE(doc_checker().accepts(std::nullopt, "okwexkjpe7ygb8eq1ww58t483x"));
}

TEST(mattermost, rejects_when_either_presented_token_is_wrong) {
  const auto c = doc_checker();
  EXPECT_FALSE(c.accepts("Token okwexkjpe7ygb8eq1ww58t483w", "wrong"));
  EXPECT_FALSE(c.accepts("Token wrong", doc_token));
}

TEST(mattermost, rejects_when_no_token_is_presented) {
  EXPECT_FALSE(doc_checker().accepts(std::nullopt, std::nullopt));
}

TEST(mattermost, rejects_tokens_that_differ_only_in_length) {
  const auto c = doc_checker();
  EXPECT_FALSE(c.accepts(std::nullopt, doc_token.substr(0, doc_token.size() - 1)));
  EXPECT_FALSE(c.accepts(std::nullopt, std::string(doc_token) + "w"));
  EXPECT_FALSE(c.accepts("Token okwexkjpe7ygb8eq1ww58t483w ", std::nullopt));
  EXPECT_FALSE(c.accepts("Token  okwexkjpe7ygb8eq1ww58t483w", std::nullopt));
}

TEST(mattermost, ignores_a_bearer_header_and_lets_the_form_token_decide) {
  const auto c = doc_checker();
  EXPECT_TRUE(c.accepts("Bearer some-oauth-access-token", doc_token));
  EXPECT_FALSE(c.accepts("Bearer some-oauth-access-token", "wrong"));
  EXPECT_FALSE(c.accepts("Bearer okwexkjpe7ygb8eq1ww58t483w", std::nullopt));
}

TEST(mattermost, ignores_other_header_shapes) {
  const auto c = doc_checker();
  EXPECT_FALSE(c.accepts("okwexkjpe7ygb8eq1ww58t483w", std::nullopt));
  EXPECT_FALSE(c.accepts("Tokenokwexkjpe7ygb8eq1ww58t483w", std::nullopt));
  EXPECT_FALSE(c.accepts("Token", std::nullopt));
  EXPECT_FALSE(c.accepts("", std::nullopt));
  EXPECT_TRUE(c.accepts("", doc_token));
}

TEST(mattermost, rejects_an_empty_presented_token) {
  const auto c = doc_checker();
  EXPECT_FALSE(c.accepts("Token ", std::nullopt));
  EXPECT_FALSE(c.accepts(std::nullopt, ""));
  EXPECT_FALSE(c.accepts("Token ", doc_token));
  EXPECT_FALSE(c.accepts("Token okwexkjpe7ygb8eq1ww58t483w", ""));
}

TEST(mattermost, an_empty_configured_token_matches_nothing) {
  const mm::token_checker c({""});
  EXPECT_FALSE(c.accepts("Token ", std::nullopt));
  EXPECT_FALSE(c.accepts(std::nullopt, ""));
  EXPECT_FALSE(c.accepts("Token ", ""));
}

TEST(mattermost, no_configured_tokens_rejects_everything) {
  const mm::token_checker c({});
  EXPECT_FALSE(c.accepts("Token okwexkjpe7ygb8eq1ww58t483w", doc_token));
  EXPECT_FALSE(c.accepts(std::nullopt, ""));
}

TEST(mattermost, accepts_any_of_several_configured_tokens) {
  const mm::token_checker c({"first-token", std::string(doc_token), "third-token"});
  EXPECT_TRUE(c.accepts("Token first-token", std::nullopt));
  EXPECT_TRUE(c.accepts(std::nullopt, doc_token));
  EXPECT_TRUE(c.accepts("Token third-token", "third-token"));
  EXPECT_FALSE(c.accepts("Token fourth-token", std::nullopt));
  EXPECT_FALSE(c.accepts(std::nullopt, "first-token,third-token"));
}

TEST(mattermost, header_and_form_may_carry_different_configured_tokens) {
  // Each presented token must be a configured one; they need not be the same one.
  const mm::token_checker c({"first-token", "second-token"});
  EXPECT_TRUE(c.accepts("Token first-token", "second-token"));
}

// --- parse_command -----------------------------------------------------------------------------

form parsed(std::string_view body) {
  auto r = parse_form(body);
  if (!r) {
    ADD_FAILURE() << "parse_form failed: " << r.error().message;
    return form{};
  }
  return *r;
}

chat_command command_of(std::string_view body) {
  auto r = mm::parse_command(parsed(body));
  if (!r) {
    ADD_FAILURE() << "parse_command(\"" << body << "\") failed: " << r.error().message;
    return {};
  }
  return *r;
}

std::string command_error(std::string_view body) {
  auto r = mm::parse_command(parsed(body));
  if (r) {
    ADD_FAILURE() << "parse_command(\"" << body << "\") succeeded";
    return {};
  }
  return r.error().message;
}

// A request as Mattermost sends it: the documented example's token, command and text plus the
// other fields DoCommandRequest always fills in.
constexpr std::string_view full_request =
    "channel_id=cniah6qa73bjjjan6mzn11f4ie&channel_name=town-square&command=%2Ftest"
    "&response_url=https%3A%2F%2Fchat.example.com%2Fhooks%2Fcommands%2Fqbjtb6c5ppbbfkbnmnsijmhbto"
    "&team_domain=someteam&team_id=rdc9bgriktyx9p4kowh3dmgqyc&text=asd"
    "&token=okwexkjpe7ygb8eq1ww58t483w&trigger_id=OWZjamd5Y2E0&user_id=c3a4cqe3dfy6dgopqt8ai3hydh"
    "&user_name=somename";

void expect_full_request_fields(const chat_command& cmd) {
  EXPECT_EQ(cmd.from, integrations::platform::mattermost);
  EXPECT_EQ(cmd.command, "/test");
  EXPECT_EQ(cmd.text, "asd");
  EXPECT_EQ(cmd.user_id, "c3a4cqe3dfy6dgopqt8ai3hydh");
  EXPECT_EQ(cmd.user_name, "somename");
  EXPECT_EQ(cmd.team_id, "rdc9bgriktyx9p4kowh3dmgqyc");
  EXPECT_EQ(cmd.channel_id, "cniah6qa73bjjjan6mzn11f4ie");
  EXPECT_EQ(cmd.channel_name, "town-square");
  EXPECT_EQ(cmd.response_url, "https://chat.example.com/hooks/commands/qbjtb6c5ppbbfkbnmnsijmhbto");
}

TEST(mattermost, parses_a_post_body) { expect_full_request_fields(command_of(full_request)); }

TEST(mattermost, parses_a_get_query_string_the_same_way) {
  // For GET, Mattermost appends the same fields to the URL; the router hands parse_form the part
  // after '?', so the same parser and command reader apply.
  const std::string target = "/mattermost/commands?" + std::string(full_request);
  const auto query = std::string_view(target).substr(target.find('?') + 1);
  expect_full_request_fields(command_of(query));
}

TEST(mattermost, the_documented_token_field_is_readable_from_the_form) {
  const auto f = parsed(full_request);
  auto t = f.single("token");
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ(**t, doc_token);
  EXPECT_TRUE(doc_checker().accepts("Token okwexkjpe7ygb8eq1ww58t483w", **t));
}

TEST(mattermost, text_is_taken_as_written) {
  // Mattermost does not HTML-escape `text` the way Slack does.
  const auto cmd = command_of("command=%2Fplaybook&user_id=u1&text=a+%26amp%3B+%3Cb%3E+%40channel");
  EXPECT_EQ(cmd.text, "a &amp; <b> @channel");
}

TEST(mattermost, fails_naming_a_missing_command_or_user_id) {
  const auto no_command = command_error("user_id=u1&text=x");
  EXPECT_TRUE(contains(no_command, "missing"));
  EXPECT_TRUE(contains(no_command, "'command'"));
  const auto no_user = command_error("command=%2Ftest&text=asd&token=okwexkjpe7ygb8eq1ww58t483w");
  EXPECT_TRUE(contains(no_user, "missing"));
  EXPECT_TRUE(contains(no_user, "'user_id'"));
}

TEST(mattermost, fails_naming_a_repeated_field) {
  const auto e = command_error("command=%2Ftest&user_id=u1&text=a&text=b");
  EXPECT_TRUE(contains(e, "'text'"));
  EXPECT_TRUE(contains(e, "more than once"));
}

TEST(mattermost, fails_when_the_command_does_not_start_with_a_slash) {
  EXPECT_TRUE(contains(command_error("command=test&user_id=u1"), "'/'"));
}

// --- render_reply ------------------------------------------------------------------------------

// emplace_back with in_place_type: pushing a temporary variant in a loop trips GCC 12's false
// -Wmaybe-uninitialized at -O3.
void add_paragraph(reply& r, std::string text) {
  r.body.blocks.emplace_back(std::in_place_type<paragraph>, std::move(text));
}

std::vector<std::string> posts_of(const json::object& out) {
  std::vector<std::string> posts;
  posts.emplace_back(sv(out.at("text")));
  if (const auto* extra = out.if_contains("extra_responses"))
    for (const auto& e : extra->as_array()) posts.emplace_back(sv(e.at("text")));
  return posts;
}

// Checks the shape Mattermost accepts and the limits; returns the posts.
std::vector<std::string> checked_posts(const reply& r, const mm::limits& lim = {}) {
  const auto body = mm::render_reply_body(r, lim);
  json::error_code ec;
  const auto parsed_body = json::parse(body, ec);
  if (ec) {
    ADD_FAILURE() << "not JSON: " << ec.message();
    return {};
  }
  const auto& out = parsed_body.as_object();
  const std::string_view expected_type =
      r.audience == visibility::in_channel ? "in_channel" : "ephemeral";
  EXPECT_EQ(sv(out.at("response_type")), expected_type);
  if (const auto* extra = out.if_contains("extra_responses")) {
    EXPECT_FALSE(extra->as_array().empty());
    for (const auto& e : extra->as_array()) {
      EXPECT_EQ(sv(e.at("response_type")), expected_type);
      EXPECT_FALSE(e.as_object().contains("extra_responses"));
      EXPECT_FALSE(e.as_object().contains("goto_location"));
    }
  }
  const auto posts = posts_of(out);
  EXPECT_LE(posts.size(), lim.max_posts);
  for (std::size_t i = 0; i < posts.size(); ++i) {
    EXPECT_TRUE(integrations::utf8::valid(posts[i])) << "post " << i;
    EXPECT_LE(integrations::utf8::length(posts[i]), lim.post_chars) << "post " << i;
    EXPECT_FALSE(posts[i].empty()) << "post " << i << " of " << posts.size() << " is empty";
  }
  return posts;
}

reply simple_reply(visibility audience) {
  reply r;
  r.audience = audience;
  r.body.title = "Course design";
  r.body.blocks = {paragraph{"Start from **practice**."}};
  return r;
}

TEST(mattermost, render_sets_response_type_ephemeral) {
  const auto out = mm::render_reply(simple_reply(visibility::ephemeral));
  EXPECT_EQ(sv(out.at("response_type")), "ephemeral");
}

TEST(mattermost, render_sets_response_type_in_channel) {
  const auto out = mm::render_reply(simple_reply(visibility::in_channel));
  EXPECT_EQ(sv(out.at("response_type")), "in_channel");
}

TEST(mattermost, render_is_markdown_text_in_json) {
  const auto posts = checked_posts(simple_reply(visibility::ephemeral));
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0], "### Course design\n\nStart from \\*\\*practice\\*\\*.");
  const auto out = mm::render_reply(simple_reply(visibility::ephemeral));
  EXPECT_FALSE(out.contains("extra_responses"));
  EXPECT_EQ(out.size(), 2u);
}

TEST(mattermost, render_reply_body_is_render_reply_serialised) {
  const auto r = simple_reply(visibility::in_channel);
  EXPECT_EQ(mm::render_reply_body(r), json::serialize(mm::render_reply(r)));
}

TEST(mattermost, render_defuses_mentions) {
  reply r;
  r.body.title = "@channel update";
  r.body.blocks = {paragraph{"Hey @channel and @here, ask @all."}, integrations::heading{"@here"},
                   integrations::quote{"@channel", "@here"}};
  const auto posts = checked_posts(r);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].find("@channel"), std::string::npos) << posts[0];
  EXPECT_EQ(posts[0].find("@here"), std::string::npos) << posts[0];
  EXPECT_EQ(posts[0].find("@all"), std::string::npos) << posts[0];
  EXPECT_TRUE(contains(posts[0], "channel and"));
}

TEST(mattermost, render_keeps_short_messages_in_one_post) {
  reply r;
  for (int i = 0; i < 10; ++i) add_paragraph(r, std::string(1000, 'x'));
  const auto posts = checked_posts(r);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_FALSE(contains(posts[0], shortened_note));
}

TEST(mattermost, render_splits_a_long_message_into_extra_responses) {
  reply r;
  r.body.title = "Long answer";
  for (int i = 0; i < 100; ++i)
    add_paragraph(r, "@channel " + std::to_string(i) + " " + std::string(990, 'p'));
  const mm::limits lim;
  const auto posts = checked_posts(r, lim);
  EXPECT_EQ(posts.size(), lim.max_posts);
  EXPECT_TRUE(posts.front().starts_with("### Long answer"));
  // 100,000 characters do not fit in four posts: the last one says so.
  EXPECT_TRUE(contains(posts.back(), shortened_note));
  for (std::size_t i = 0; i + 1 < posts.size(); ++i)
    EXPECT_FALSE(contains(posts[i], shortened_note)) << "post " << i;
  for (const auto& p : posts) EXPECT_EQ(p.find("@channel"), std::string::npos);
}

TEST(mattermost, render_splits_between_blocks_not_inside_them) {
  reply r;
  for (int i = 0; i < 30; ++i) add_paragraph(r, std::string(1000, 'a' + i % 26));
  const auto posts = checked_posts(r);
  ASSERT_GT(posts.size(), 1u);
  std::size_t blocks_seen = 0;
  for (const auto& p : posts) {
    std::size_t start = 0;
    while (start <= p.size()) {
      auto end = p.find("\n\n", start);
      if (end == std::string::npos) end = p.size();
      EXPECT_EQ(end - start, 1000u) << "a block was cut or merged";
      ++blocks_seen;
      start = end + 2;
    }
  }
  EXPECT_EQ(blocks_seen, 30u);
}

TEST(mattermost, render_splits_multibyte_text_by_code_points) {
  reply r;
  // 3-byte characters: 20,000 code points are 60,000 bytes; posts are counted in code points.
  for (int i = 0; i < 20; ++i) {
    std::string text;
    for (int j = 0; j < 1000; ++j) text += "\xE2\x82\xAC";
    add_paragraph(r, text);
  }
  const auto posts = checked_posts(r);
  EXPECT_EQ(posts.size(), 2u);
}

TEST(mattermost, render_cuts_a_block_longer_than_a_post) {
  reply r;
  r.body.title = "Title";
  r.body.blocks = {paragraph{std::string(40000, 'x')}, paragraph{"after"}};
  const auto posts = checked_posts(r);
  ASSERT_GE(posts.size(), 2u);
  EXPECT_EQ(posts[0], "### Title");
  EXPECT_TRUE(contains(posts[1], "\xE2\x80\xA6"));  // the cut block ends with an ellipsis
  EXPECT_TRUE(contains(posts.back(), "after"));
}

TEST(mattermost, render_never_leaves_the_first_post_empty) {
  // No title and a first block longer than a post: the cut block must become the first post.
  reply r;
  r.body.blocks = {paragraph{std::string(40000, 'x')}};
  const auto posts = checked_posts(r);
  ASSERT_FALSE(posts.empty());
  EXPECT_TRUE(posts[0].starts_with("xxx"));
}

TEST(mattermost, render_respects_the_limits_for_blocks_of_any_size) {
  // Block sizes around every threshold in the splitter (a post is 16383 code points).
  const std::size_t sizes[] = {1,     1000,  8000,  16000, 16300, 16340, 16342, 16343, 16344,
                               16345, 16360, 16380, 16381, 16382, 16383, 16384, 16400, 40000};
  for (const auto size : sizes) {
    for (int count = 1; count <= 6; ++count) {
      for (const bool titled : {false, true}) {
        SCOPED_TRACE("block size " + std::to_string(size) + ", " + std::to_string(count) +
                     " blocks" + (titled ? ", titled" : ""));
        reply r;
        if (titled) r.body.title = "T";
        for (int i = 0; i < count; ++i) add_paragraph(r, std::string(size, 'x'));
        const auto posts = checked_posts(r);
        ASSERT_FALSE(posts.empty());
        // Blocks that did not make it are announced at the end; none go missing silently.
        int blocks_shown = 0;
        for (const auto& p : posts) {
          std::size_t start = 0;
          while (start < p.size()) {
            if (p[start] == 'x') ++blocks_shown;
            const auto end = p.find("\n\n", start);
            if (end == std::string::npos) break;
            start = end + 2;
          }
        }
        EXPECT_LE(blocks_shown, count);
        EXPECT_EQ(contains(posts.back(), shortened_note), blocks_shown < count);
      }
    }
  }
}

TEST(mattermost, render_honours_custom_limits) {
  mm::limits lim;
  lim.post_chars = 200;
  lim.max_posts = 2;
  reply r;
  for (int i = 0; i < 20; ++i) add_paragraph(r, std::string(50, 'a' + i));
  const auto posts = checked_posts(r, lim);
  EXPECT_EQ(posts.size(), 2u);
  EXPECT_TRUE(contains(posts.back(), shortened_note));
}

TEST(mattermost, render_of_an_empty_reply_is_still_valid_json) {
  const auto out = mm::render_reply(reply{});
  EXPECT_EQ(sv(out.at("response_type")), "ephemeral");
  EXPECT_EQ(sv(out.at("text")), "");
}

}  // namespace
