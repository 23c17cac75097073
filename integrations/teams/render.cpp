#include "integrations/teams/render.hpp"

#include "integrations/text/ascii.hpp"
#include "integrations/text/utf8.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <limits>

namespace integrations::teams {
namespace json = boost::json;
namespace {

// Escaping. Teams reads a reply's `text` as Markdown mixed with a little HTML, and a TextBlock's
// `text` as the Adaptive Card Markdown subset (bold, italic, lists, [links](url)); neither is
// documented to the character, and clients differ (desktop and web use a CommonMark-like parser
// that honours backslash escapes, the mobile clients' shared C++ parser only stops emphasis after
// a backslash and shows the backslash). So each rule below is chosen to hold in both:
//  - '<' '>' '&' in `text` become entities: Teams renders HTML tags there (and <at> is how a
//    mention is written), so a literal '<' must never reach it. TextBlocks render no HTML; there
//    '<' is followed by U+200B ZERO WIDTH SPACE, which stops "<https://...>" autolinks.
//  - Emphasis and code characters (* _ ` ~) and '\' get a backslash: the one escape that stops
//    emphasis in every client.
//  - ']' is followed by U+200B: a link needs "](" with nothing between, and the mobile parser
//    starts a link at '[' whatever precedes it, so a backslash alone would not stop one there.
//    The same breaks "[x]: url" reference definitions.
//  - '#' and '>' at the start of a line get a backslash (headings, block quotes).
//  - "{{" becomes "{" U+200B "{": Adaptive Cards expand {{DATE(...)}} and {{TIME(...)}} in
//    TextBlocks (and `text` gets the same, so one rule holds everywhere).
// '@' needs nothing: a Teams mention is an <at> tag plus an entry in the reply's `entities`, and
// the renderer writes neither. Bare URLs stay: clients may link them, but the reader sees the
// address itself, as on Slack and Mattermost (the same rule as text::echo_problem's allow_urls).
constexpr std::string_view zwsp = "\xE2\x80\x8B";

enum class dialect { text, card };

std::string escape(std::string_view s, dialect d) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  bool line_start = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '\\': case '*': case '_': case '`': case '~':
        out += '\\';
        out += c;
        break;
      case '[':
      case '|':
        // '[' opens a link only with a ']' that is always defused; in `text` '|' would start a
        // table and '[' is escaped as well, since that costs nothing there.
        if (d == dialect::text) out += '\\';
        out += c;
        break;
      case ']':
        if (d == dialect::text) out += '\\';
        out += c;
        out += zwsp;
        break;
      case '&':
        if (d == dialect::text) out += "&amp;";
        else out += c;
        break;
      case '<':
        if (d == dialect::text) {
          out += "&lt;";
        } else {
          out += c;
          out += zwsp;
        }
        break;
      case '>':
        if (d == dialect::text) {
          out += "&gt;";
        } else {
          if (line_start) out += '\\';
          out += c;
        }
        break;
      case '#':
        if (line_start) out += '\\';
        out += c;
        break;
      case '{':
        out += c;
        if (i + 1 < s.size() && s[i + 1] == '{') out += zwsp;
        break;
      case '\n':
        // A single line break in `text` is not shown by every client; <br> is.
        if (d == dialect::text) out += "<br>";
        else out += c;
        break;
      case '\r':
        break;
      default:
        out += c;
    }
    line_start = c == '\n' || (line_start && c == ' ');
  }
  return out;
}

// Message text is meant to be UTF-8; bytes that are not would make the JSON invalid.
std::string clean(std::string_view s) {
  return utf8::valid(s) ? std::string(s) : utf8::sanitize(s);
}

// A plain text cut to at most max_bytes (plus an ellipsis) before escaping, so the cut never
// splits an escape, a character or a piece of our own markup.
std::string clipped(std::string_view s, std::size_t max_bytes) {
  std::string text = clean(s);
  if (text.size() <= max_bytes) return text;
  std::string out(utf8::prefix_bytes(text, max_bytes));
  return out + "\xE2\x80\xA6";  // …
}

std::string bold(std::string_view escaped) { return "**" + std::string(escaped) + "**"; }

// Emphasis must hug its text ("** x**" is not bold), so surrounding spaces stay outside it.
std::string bold_piece(std::string_view plain, dialect d) {
  std::size_t b = 0, e = plain.size();
  while (b < e && (plain[b] == ' ' || plain[b] == '\n')) ++b;
  while (e > b && (plain[e - 1] == ' ' || plain[e - 1] == '\n')) --e;
  if (b == e) return escape(plain, d);
  return escape(plain.substr(0, b), d) + bold(escape(plain.substr(b, e - b), d)) +
         escape(plain.substr(e), d);
}

bool safe_url(std::string_view url) {
  if (!text::starts_with_icase(url, 0, "https://") && !text::starts_with_icase(url, 0, "http://"))
    return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool has_url_button(const button_row& row) {
  return std::any_of(row.items.begin(), row.items.end(),
                     [](const button& b) { return safe_url(b.url); });
}

// True for blocks that only a card can show (or that need its Action.OpenUrl).
bool needs_card(const block& b) {
  if (std::holds_alternative<field_list>(b) || std::holds_alternative<table>(b) ||
      std::holds_alternative<quote>(b))
    return true;
  if (const auto* row = std::get_if<button_row>(&b)) return has_url_button(*row);
  return false;
}

// --- Markdown text ---------------------------------------------------------------------------

std::string list_markdown(const bullet_list& list, dialect d) {
  std::string out;
  int n = 0;
  for (const auto& item : list.items) {
    if (!out.empty()) out += '\n';
    out += list.numbered ? std::to_string(++n) + ". " : std::string("- ");
    if (!item.label.empty()) {
      out += bold(escape(clean(item.label), d));
      if (!item.text.empty()) out += ' ';
    }
    out += escape(clean(item.text), d);
  }
  return out;
}

struct text_renderer {
  std::string operator()(const paragraph& p) const { return escape(clean(p.text), dialect::text); }
  std::string operator()(const heading& h) const {
    return bold(escape(clean(h.text), dialect::text));
  }
  std::string operator()(const bullet_list& l) const { return list_markdown(l, dialect::text); }
  std::string operator()(const context_line& c) const {
    return "_" + escape(clean(c.text), dialect::text) + "_";
  }
  std::string operator()(const divider&) const { return "---"; }
  // Only buttons without a url reach here, and those are dropped.
  std::string operator()(const button_row&) const { return {}; }
  // needs_card sends these to the card.
  std::string operator()(const field_list&) const { return {}; }
  std::string operator()(const table&) const { return {}; }
  std::string operator()(const quote&) const { return {}; }
};

std::string markdown_text(const message& m) {
  std::string out;
  const auto add = [&out](std::string piece) {
    if (piece.empty()) return;
    if (!out.empty()) out += "\n\n";
    out += piece;
  };
  if (!m.title.empty()) add(bold(escape(clean(m.title), dialect::text)));
  for (const auto& b : m.blocks) add(std::visit(text_renderer{}, b));
  return out;
}

// --- Adaptive Card ---------------------------------------------------------------------------

json::object text_block(std::string text) {
  return {{"type", "TextBlock"}, {"text", std::move(text)}, {"wrap", true}};
}

std::string shortened_note(std::size_t dropped) {
  return "Answer shortened to fit a Teams message: " + std::to_string(dropped) +
         " more part(s) not shown.";
}

json::object note_block(std::size_t dropped) {
  auto b = text_block(shortened_note(dropped));
  b["isSubtle"] = true;
  b["size"] = "Small";
  return b;
}

json::object card_reply(json::array body) {
  json::object card{
      {"type", "AdaptiveCard"},
      {"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
      {"version", "1.4"},
      {"body", std::move(body)},
      // Tables and fact sets need the whole width of the conversation.
      {"msteams", {{"width", "Full"}}},
  };
  json::object attachment{{"contentType", "application/vnd.microsoft.card.adaptive"},
                          {"content", std::move(card)}};
  return {{"type", "message"}, {"attachments", json::array{std::move(attachment)}}};
}

// Collects card elements while counting the serialised bytes, so the reply stays under
// max_bytes with room kept for the note that says it was shortened.
class card_builder {
 public:
  explicit card_builder(const limits& lim) {
    // The envelope with the longest note is the fixed cost; the rest is for the elements. The
    // same for every card, so measured once.
    static const std::size_t fixed = [] {
      json::array with_note;
      with_note.emplace_back(note_block(std::numeric_limits<std::size_t>::max()));
      return json::serialize(card_reply(std::move(with_note))).size() + 1;
    }();
    budget_ = lim.max_bytes > fixed ? lim.max_bytes - fixed : 0;
  }

  void separate() { separator_ = !body_.empty(); }

  void add(json::object element) {
    if (separator_) {
      element["separator"] = true;
      separator_ = false;
    }
    const std::size_t size = json::serialize(element).size() + 1;  // and a comma
    if (full_ || used_ + size > budget_) {
      full_ = true;
      ++dropped_;
      return;
    }
    used_ += size;
    body_.emplace_back(std::move(element));
  }

  json::object finish() {
    if (dropped_ > 0) body_.emplace_back(note_block(dropped_));
    return card_reply(std::move(body_));
  }

 private:
  json::array body_;
  std::size_t budget_ = 0;
  std::size_t used_ = 0;
  std::size_t dropped_ = 0;
  bool full_ = false;
  bool separator_ = false;
};

struct card_renderer {
  card_builder& out;
  std::size_t text_bytes;  // the most of one text shown; a longer one is cut

  std::string esc(std::string_view plain) const {
    return escape(clipped(plain, text_bytes), dialect::card);
  }

  void operator()(const paragraph& p) const { out.add(text_block(esc(p.text))); }

  void operator()(const heading& h) const {
    auto b = text_block(esc(h.text));
    b["weight"] = "Bolder";
    out.add(std::move(b));
  }

  void operator()(const bullet_list& l) const {
    bullet_list cut;
    cut.numbered = l.numbered;
    for (const auto& item : l.items) cut.items.push_back({clipped(item.label, text_bytes),
                                                          clipped(item.text, text_bytes)});
    auto text = list_markdown(cut, dialect::card);
    if (!text.empty()) out.add(text_block(std::move(text)));
  }

  void operator()(const field_list& f) const {
    json::array facts;
    for (const auto& item : f.items)
      facts.emplace_back(json::object{{"title", esc(item.label)}, {"value", esc(item.value)}});
    if (!facts.empty()) out.add({{"type", "FactSet"}, {"facts", std::move(facts)}});
  }

  json::object row(const std::vector<std::string>& cells, std::size_t columns, bool header) const {
    json::array cols;
    for (std::size_t i = 0; i < columns; ++i) {
      auto b = text_block(i < cells.size() ? esc(cells[i]) : std::string());
      if (header) b["weight"] = "Bolder";
      cols.emplace_back(json::object{
          {"type", "Column"}, {"width", "stretch"}, {"items", json::array{std::move(b)}}});
    }
    return {{"type", "ColumnSet"}, {"columns", std::move(cols)}};
  }

  void operator()(const table& t) const {
    if (t.header.empty()) return;
    // Adaptive Cards 1.4 has no table: a ColumnSet per row keeps the cells in columns.
    out.add(row(t.header, t.header.size(), true));
    for (const auto& r : t.rows) out.add(row(r, t.header.size(), false));
  }

  void operator()(const quote& q) const {
    quote cut = q;
    cut.text = clipped(q.text, text_bytes);  // marks past the cut are ignored by pieces()
    std::string text;
    for (const auto& piece : pieces(cut))
      text += piece.marked ? bold_piece(piece.text, dialect::card) : escape(piece.text, dialect::card);
    json::array items{text_block(std::move(text))};
    if (!q.source.empty()) {
      auto source = text_block("\xE2\x80\x94 " + esc(q.source));  // —
      source["isSubtle"] = true;
      source["size"] = "Small";
      source["spacing"] = "Small";
      items.emplace_back(std::move(source));
    }
    out.add({{"type", "Container"}, {"style", "emphasis"}, {"items", std::move(items)}});
  }

  void operator()(const context_line& c) const {
    auto b = text_block(esc(c.text));
    b["isSubtle"] = true;
    b["size"] = "Small";
    out.add(std::move(b));
  }

  void operator()(const button_row& buttons) const {
    json::array actions;
    for (const auto& b : buttons.items) {
      // Outgoing webhooks allow only openUrl; a button that would post back has nowhere to go.
      if (!safe_url(b.url)) continue;
      // Action titles are plain text in every client: no escaping, only cleaning.
      actions.emplace_back(json::object{{"type", "Action.OpenUrl"},
                                        {"title", clipped(b.label, 200)},
                                        {"url", clean(b.url)}});
    }
    if (!actions.empty()) out.add({{"type", "ActionSet"}, {"actions", std::move(actions)}});
  }

  void operator()(const divider&) const { out.separate(); }
};

json::object render_card(const message& m, const limits& lim) {
  card_builder builder(lim);
  // One text may take a quarter of the reply: a very long quote shows its beginning and leaves
  // room for what follows it.
  const card_renderer renderer{builder, std::max<std::size_t>(lim.max_bytes / 4, 200)};
  if (!m.title.empty()) {
    auto title = text_block(renderer.esc(m.title));
    title["weight"] = "Bolder";
    title["size"] = "Medium";
    builder.add(std::move(title));
  }
  for (const auto& b : m.blocks) std::visit(renderer, b);
  // Collapsing needs Action.ToggleVisibility, which outgoing webhooks do not allow: the details
  // follow under their own heading.
  if (!m.details.empty()) {
    renderer(heading{std::string(details_title(m))});
    for (const auto& b : m.details) std::visit(renderer, b);
  }
  return builder.finish();
}

}  // namespace

json::object render_reply(const reply& r, const limits& lim) {
  const message& m = r.body;
  const bool structured = !m.details.empty() || std::any_of(m.blocks.begin(), m.blocks.end(),
                                                            needs_card);
  if (!structured) {
    auto text = markdown_text(m);
    if (utf8::length(text) <= lim.max_text_chars) {
      json::object out{{"type", "message"}, {"text", std::move(text)}};
      if (json::serialize(out).size() <= lim.max_bytes) return out;
    }
  }
  return render_card(m, lim);
}

std::string render_reply_body(const reply& r, const limits& lim) {
  return json::serialize(render_reply(r, lim));
}

}  // namespace integrations::teams
