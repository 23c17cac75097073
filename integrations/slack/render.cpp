#include "integrations/slack/render.hpp"

#include "integrations/text/utf8.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <limits>

namespace integrations::slack {
namespace json = boost::json;
namespace {

// A prefix of escaped text must not end inside "&amp;", "&lt;" or "&gt;": Slack would show the
// broken entity literally. Entities are at most 5 bytes, so only the last '&' can be cut.
std::string_view without_cut_entity(std::string_view prefix) {
  const auto amp = prefix.rfind('&');
  if (amp != std::string_view::npos && prefix.size() - amp < 5 &&
      prefix.find(';', amp) == std::string_view::npos)
    return prefix.substr(0, amp);
  return prefix;
}

// Slack counts characters; cutting by code points keeps us under every limit whatever the script.
std::string clip(std::string_view s, std::size_t max_chars) {
  if (utf8::length(s) <= max_chars) return std::string(s);
  std::string out(without_cut_entity(utf8::prefix_chars(s, max_chars - 1)));
  out += "\xE2\x80\xA6";  // …
  return out;
}

// Splits mrkdwn into chunks of at most max_chars, preferring line breaks, then spaces.
std::vector<std::string> split_text(std::string_view text, std::size_t max_chars) {
  std::vector<std::string> chunks;
  while (utf8::length(text) > max_chars) {
    const std::string_view window = utf8::prefix_chars(text, max_chars);
    std::size_t cut = window.rfind('\n');
    if (cut == std::string_view::npos || cut < window.size() / 2) cut = window.rfind(' ');
    if (cut == std::string_view::npos || cut == 0) {
      cut = without_cut_entity(window).size();
      if (cut == 0) cut = window.size();
    }
    chunks.emplace_back(text.substr(0, cut));
    text = text.substr(cut);
    while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  }
  if (!text.empty()) chunks.emplace_back(text);
  return chunks;
}

// Inline code: Slack shows it literally, but a backtick inside would end it, so it is dropped.
std::string code(std::string_view s) {
  std::string out = "`";
  for (char c : escape(s))
    if (c != '`' && c != '\n') out += c;
  return out + "`";
}

// A field value: one line as it is, several lines as a bulleted list.
std::string as_lines(std::string_view value) {
  const std::string escaped = escape(value);
  if (escaped.find('\n') == std::string::npos) return escaped;
  std::string out = "\xE2\x80\xA2 ";  // •
  for (char c : escaped) {
    out += c;
    if (c == '\n') out += "\xE2\x80\xA2 ";
  }
  return out;
}

json::object mrkdwn(std::string text) {
  return {{"type", "mrkdwn"}, {"text", std::move(text)}};
}

json::object section(std::string text) {
  return {{"type", "section"}, {"text", mrkdwn(std::move(text))}};
}

std::string shortened_note(std::size_t dropped) {
  return "Answer shortened to fit a Slack message: " + std::to_string(dropped) +
         " more part(s) not shown.";
}

// Collects Slack blocks while keeping count of blocks and characters, so the answer is cut
// cleanly (with a note) instead of being refused by Slack.
class block_builder {
 public:
  explicit block_builder(const limits& lim)
      : lim_(lim),
        note_chars_(shortened_note(std::numeric_limits<std::size_t>::max()).size()) {}

  // Adds a block carrying `chars` characters of text; false once the message is full.
  bool add(json::object block, std::size_t chars) {
    // Room for the note is kept, in blocks and in characters, in case it is needed.
    if (full_ || blocks_.size() + 1 >= lim_.max_blocks ||
        chars_ + chars + note_chars_ > lim_.total_text) {
      full_ = true;
      ++dropped_;
      return false;
    }
    chars_ += chars;
    blocks_.emplace_back(std::move(block));
    return true;
  }

  void add_sections(std::string_view text) {
    for (auto& chunk : split_text(text, lim_.section_text)) {
      const auto n = utf8::length(chunk);
      add(section(std::move(chunk)), n);
    }
  }

  json::array finish() {
    if (dropped_ > 0) {
      json::object note{{"type", "context"},
                        {"elements", json::array{mrkdwn(shortened_note(dropped_))}}};
      blocks_.emplace_back(std::move(note));
    }
    return std::move(blocks_);
  }

 private:
  const limits& lim_;
  const std::size_t note_chars_;
  json::array blocks_;
  std::size_t chars_ = 0;
  std::size_t dropped_ = 0;
  bool full_ = false;
};

struct block_renderer {
  const limits& lim;
  block_builder& out;
  std::string& fallback;

  void note_fallback(std::string_view text) {
    if (!fallback.empty()) fallback += '\n';
    fallback += text;
  }

  void operator()(const paragraph& p) {
    const auto text = escape(p.text);
    note_fallback(text);
    out.add_sections(text);
  }

  void operator()(const heading& h) {
    const auto text = escape(h.text);
    note_fallback("*" + text + "*");
    out.add_sections("*" + text + "*");
  }

  void operator()(const bullet_list& list) {
    std::string text;
    int n = 0;
    for (const auto& item : list.items) {
      if (!text.empty()) text += '\n';
      text += list.numbered ? std::to_string(++n) + ". " : std::string("\xE2\x80\xA2 ");  // •
      if (!item.label.empty()) {
        text += list.code_labels ? code(item.label) : "*" + escape(item.label) + "*";
        if (!item.text.empty()) text += ' ';
      }
      text += escape(item.text);
    }
    note_fallback(text);
    out.add_sections(text);
  }

  void add_fields(const std::vector<std::pair<std::string, std::string>>& pairs) {
    json::array fields;
    std::size_t chars = 0;
    auto flush = [&] {
      if (fields.empty()) return;
      out.add({{"type", "section"}, {"fields", std::move(fields)}}, chars);
      fields = json::array{};
      chars = 0;
    };
    for (const auto& [label, value] : pairs) {
      auto text = clip("*" + escape(label) + "*\n" + as_lines(value), lim.field_text);
      note_fallback(text);
      chars += utf8::length(text);
      fields.emplace_back(mrkdwn(std::move(text)));
      if (fields.size() == lim.fields_per_section) flush();
    }
    flush();
  }

  void operator()(const field_list& list) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& f : list.items) pairs.emplace_back(f.label, f.value);
    add_fields(pairs);
  }

  void operator()(const table& t) {
    // Block Kit has no table block that every client shows; each row becomes a section whose
    // fields pair the column names with the row's cells.
    for (const auto& row : t.rows) {
      std::vector<std::pair<std::string, std::string>> pairs;
      for (std::size_t i = 0; i < t.header.size() && i < row.size(); ++i)
        pairs.emplace_back(t.header[i], row[i]);
      add_fields(pairs);
    }
  }

  void operator()(const quote& q) {
    std::string text = "&gt; ";
    for (const auto& piece : pieces(q)) {
      if (piece.marked) text += '*';
      for (char c : escape(piece.text)) {
        text += c;
        if (c == '\n') text += "&gt; ";
      }
      if (piece.marked) text += '*';
    }
    if (!q.source.empty()) text += "\n\xE2\x80\x94 _" + escape(q.source) + "_";  // —
    note_fallback(text);
    out.add_sections(text);
  }

  void operator()(const context_line& c) {
    auto text = clip(escape(c.text), lim.section_text);
    const auto n = utf8::length(text);
    out.add({{"type", "context"}, {"elements", json::array{mrkdwn(std::move(text))}}}, n);
  }

  void operator()(const button_row& row) {
    json::array elements;
    std::size_t chars = 0;
    for (const auto& b : row.items) {
      if (elements.size() == lim.buttons_per_row) break;
      json::object button{
          {"type", "button"},
          {"text", {{"type", "plain_text"}, {"text", clip(b.label, lim.button_text)}}},
          {"action_id", b.action_id.empty() ? "button_" + std::to_string(elements.size())
                                            : b.action_id}};
      if (!b.value.empty()) button["value"] = clip(b.value, 2000);
      if (!b.url.empty()) button["url"] = b.url;
      chars += utf8::length(b.label);
      elements.emplace_back(std::move(button));
    }
    if (!elements.empty()) out.add({{"type", "actions"}, {"elements", std::move(elements)}}, chars);
  }

  void operator()(const divider&) { out.add({{"type", "divider"}}, 0); }
};

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

json::object render_reply(const reply& r, const limits& lim) {
  block_builder builder(lim);
  std::string fallback;
  if (!r.body.title.empty()) {
    const auto title = clip(r.body.title, lim.header_text);
    builder.add({{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", title}}}},
                utf8::length(title));
    fallback = "*" + escape(r.body.title) + "*";
  }
  block_renderer renderer{lim, builder, fallback};
  for (const auto& b : r.body.blocks) std::visit(renderer, b);
  // Block Kit has no collapsible block: the details follow under their own heading.
  if (!r.body.details.empty()) {
    renderer(heading{std::string(details_title(r.body))});
    for (const auto& b : r.body.details) std::visit(renderer, b);
  }
  return {
      {"response_type", r.audience == visibility::in_channel ? "in_channel" : "ephemeral"},
      {"text", clip(fallback, lim.fallback_text)},
      {"blocks", builder.finish()},
  };
}

std::string render_reply_body(const reply& r, const limits& lim) {
  return json::serialize(render_reply(r, lim));
}

}  // namespace integrations::slack
