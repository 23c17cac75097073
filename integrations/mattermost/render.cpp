#include "integrations/mattermost/render.hpp"

#include "integrations/markdown/render.hpp"
#include "integrations/text/utf8.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace integrations::mattermost {
namespace json = boost::json;

json::object render_reply(const reply& r, const limits& lim) {
  const markdown::options opts{.defuse_mentions = true, .title_level = 3};
  const std::string_view type = r.audience == visibility::in_channel ? "in_channel" : "ephemeral";
  constexpr std::string_view ellipsis = "\xE2\x80\xA6";
  constexpr std::string_view more_note = "\n\n_Answer shortened to fit Mattermost._";

  // Every post keeps room for the note, and one piece (with its separator) must fit in a post on
  // its own: a longer piece is cut to that size, so a new post is never opened for nothing and the
  // note never pushes a post over the limit.
  const std::size_t budget = lim.post_chars - more_note.size();
  std::vector<std::string> posts(1);
  std::size_t chars = 0;
  bool truncated = false;
  for (auto& piece : markdown::render_pieces(r.body, opts)) {
    if (utf8::length(piece) + 2 > budget) {
      std::string cut(utf8::prefix_chars(piece, budget - 3));
      piece = cut + std::string(ellipsis);
    }
    const std::size_t n = utf8::length(piece) + 2;
    if (chars + n > budget && !posts.back().empty()) {
      if (posts.size() == lim.max_posts) {
        truncated = true;
        break;
      }
      posts.emplace_back();
      chars = 0;
    }
    if (!posts.back().empty()) posts.back() += "\n\n";
    posts.back() += piece;
    chars += n;
  }
  if (truncated) posts.back() += more_note;

  json::object out{{"response_type", type}, {"text", posts.front()}};
  if (posts.size() > 1) {
    json::array extra;
    for (std::size_t i = 1; i < posts.size(); ++i)
      extra.emplace_back(json::object{{"response_type", type}, {"text", posts[i]}});
    out["extra_responses"] = std::move(extra);
  }
  return out;
}

std::string render_reply_body(const reply& r, const limits& lim) {
  return json::serialize(render_reply(r, lim));
}

}  // namespace integrations::mattermost
