#pragma once
// Renders a reply as a Mattermost slash-command response: JSON with `response_type` always set
// and Markdown `text`, each post within Mattermost's 16383-character limit.

#include "integrations/chat/message.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>

namespace integrations::mattermost {

struct limits {
  std::size_t post_chars = 16383;  // PostMessageMaxRunesV2
  std::size_t max_posts = 4;       // the first post plus up to three extra_responses
};

// {"response_type": ..., "text": ...} plus "extra_responses" when the answer needs more than one
// post; Markdown is split between blocks, and a block longer than a post is cut.
boost::json::object render_reply(const reply& r, const limits& lim = {});

std::string render_reply_body(const reply& r, const limits& lim = {});

}  // namespace integrations::mattermost
