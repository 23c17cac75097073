#pragma once
// Renders a reply as the HTTP response body of a Microsoft Teams outgoing webhook: Markdown text
// for short, plain answers, an Adaptive Card 1.4 for structured or long ones. Teams posts the
// reply in the thread of the message that mentioned the webhook, visible to everyone there:
// reply::audience (ephemeral) cannot be honoured and is ignored.

#include "integrations/chat/message.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>

namespace integrations::teams {

struct limits {
  std::size_t max_bytes = 25'000;  // the whole JSON reply; Teams refuses replies of about 28 KB
  std::size_t max_text_chars = 2'000;  // longer Markdown goes into a card, which reads better
};

// {"type":"message","text": Markdown} when the message has only paragraphs, headings, bullet
// lists, context lines, dividers and buttons without a url, and its Markdown is at most
// max_text_chars long. Otherwise {"type":"message","attachments":[{"contentType":
// "application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.4",
// "body":[...]}}]}, built only from TextBlock, FactSet, Container, ColumnSet/Column and ActionSet
// with Action.OpenUrl (outgoing webhooks allow no other action); field lists become FactSets,
// tables ColumnSets, quotes emphasised Containers, buttons with an http(s) url Action.OpenUrl.
// Buttons without a url are dropped. Text from the message cannot become markup, a mention or a
// link. Over max_bytes, card elements are dropped from the end and a note says the answer was
// shortened. The result is always valid JSON of valid UTF-8.
boost::json::object render_reply(const reply& r, const limits& lim = {});

// render_reply serialised.
std::string render_reply_body(const reply& r, const limits& lim = {});

}  // namespace integrations::teams
