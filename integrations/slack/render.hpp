#pragma once
// Renders a reply as a Slack message: Block Kit blocks plus a plain-text fallback, within Slack's
// limits (50 blocks, 3000 characters per section text, 2000 per field, 10 fields per section).

#include "integrations/chat/message.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace integrations::slack {

struct limits {
  std::size_t max_blocks = 50;
  std::size_t section_text = 3000;
  std::size_t field_text = 2000;
  std::size_t fields_per_section = 10;
  std::size_t header_text = 150;
  std::size_t button_text = 75;
  std::size_t buttons_per_row = 25;
  std::size_t context_elements = 10;
  // Slack refuses messages whose blocks add up to much more than about 13,000 characters
  // (msg_blocks_too_long) even when each block is within its own limit; stay below that.
  std::size_t total_text = 12000;
  std::size_t fallback_text = 3000;
};

// Escapes Slack's three control characters (&, <, >) so text shows as written.
std::string escape(std::string_view text);

// {"response_type": ..., "text": fallback, "blocks": [...]} for a slash-command response.
boost::json::object render_reply(const reply& r, const limits& lim = {});

// render_reply serialised.
std::string render_reply_body(const reply& r, const limits& lim = {});

}  // namespace integrations::slack
