#pragma once
// A platform-neutral answer: bot/ composes one, each platform's renderer turns it into its own
// format (Block Kit, Markdown, ...). All strings are plain text: renderers escape and format them.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace integrations {

// A paragraph of prose.
struct paragraph {
  std::string text;
};

// A sub-heading inside the answer.
struct heading {
  std::string text;
};

// One bullet: an optional bold lead-in ("Practitioner instructors.") and the text after it.
struct bullet {
  std::string label;
  std::string text;
};

struct bullet_list {
  std::vector<bullet> items;
  bool numbered = false;
  bool code_labels = false;  // labels are commands or identifiers: shown as `code`, not bold
};

// Label/value pairs shown side by side where the platform can (Slack section fields). A value of
// several lines is several values: renderers show it as a list under its label.
struct field {
  std::string label;
  std::string value;
};

struct field_list {
  std::vector<field> items;
};

// A table with a header row; every row has as many cells as the header.
struct table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A byte range [begin, end) of a text.
struct text_span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Quoted text (a passage from the playbook, a sentence from a proposal) and where it came from.
// marks are parts of the text to highlight (search matches), in order and not overlapping.
struct quote {
  std::string text;
  std::string source;
  std::vector<text_span> marks = {};
};

// A piece of a quote's text and whether it is highlighted.
struct text_piece {
  std::string_view text;
  bool marked = false;
};

// The quote's text cut at its marks, in order; marks that are empty, out of range, overlapping or
// out of order are ignored, and a mark is widened so it never splits a UTF-8 sequence.
std::vector<text_piece> pieces(const quote& q);

// Small print under the answer: hints, provenance.
struct context_line {
  std::string text;
};

// A button: opens url when set; otherwise carries value back to the bot as an action.
struct button {
  std::string label;
  std::string action_id;
  std::string value;
  std::string url;
};

struct button_row {
  std::vector<button> items;
};

struct divider {};

using block = std::variant<paragraph, heading, bullet_list, field_list, table, quote, context_line,
                           button_row, divider>;

struct message {
  std::string title;
  std::vector<block> blocks;
  // More, for readers who want it: shown collapsed where the platform can (GitHub/GitLab
  // <details>, a Jira expand or panel); chat renderers show it after the blocks under a heading.
  std::vector<block> details;
  std::string details_summary;  // the collapsed section's title; "Details" when empty
};

// The title of the message's details section: details_summary, or "Details" when it is empty.
std::string_view details_title(const message& m);

enum class visibility { ephemeral, in_channel };

// What the bot answers to a chat command.
struct reply {
  message body;
  visibility audience = visibility::ephemeral;
};

}  // namespace integrations
