#include "integrations/markdown/render.hpp"

#include <cctype>

namespace integrations::markdown {
namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Inline code shows its text literally; a backtick inside would end it, so it is dropped.
std::string code(std::string_view s) {
  std::string out = "`";
  for (char c : s)
    if (c != '`' && c != '\n') out += c;
  return out + "`";
}

struct block_renderer {
  const options& opts;

  std::string esc(std::string_view s) const { return escape(s, opts); }

  std::string operator()(const paragraph& p) const { return esc(p.text); }

  std::string operator()(const heading& h) const {
    return std::string(static_cast<std::size_t>(opts.title_level + 1), '#') + " " + esc(h.text);
  }

  std::string operator()(const bullet_list& list) const {
    std::string out;
    int n = 0;
    for (const auto& item : list.items) {
      if (!out.empty()) out += '\n';
      out += list.numbered ? std::to_string(++n) + ". " : std::string("- ");
      if (!item.label.empty()) {
        out += list.code_labels ? code(item.label) : "**" + esc(item.label) + "**";
        if (!item.text.empty()) out += ' ';
      }
      out += esc(item.text);
    }
    return out;
  }

  std::string operator()(const field_list& fields) const {
    std::string out;
    for (const auto& f : fields.items) {
      if (!out.empty()) out += '\n';
      out += "- **" + esc(f.label) + ":**";
      if (f.value.find('\n') == std::string::npos) {
        out += " " + esc(f.value);
        continue;
      }
      std::size_t start = 0;
      while (start <= f.value.size()) {
        auto end = f.value.find('\n', start);
        if (end == std::string::npos) end = f.value.size();
        out += "\n  - " + esc(std::string_view(f.value).substr(start, end - start));
        start = end + 1;
      }
    }
    return out;
  }

  std::string operator()(const table& t) const {
    std::string out = "|";
    // A line break would end the row, so cells keep to one line.
    const auto cell = [this](std::string_view text) {
      std::string one_line = esc(text);
      for (auto& c : one_line)
        if (c == '\n' || c == '\r') c = ' ';
      return one_line;
    };
    for (const auto& h : t.header) out += " " + cell(h) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < t.header.size(); ++i) out += " --- |";
    for (const auto& row : t.rows) {
      out += "\n|";
      for (std::size_t i = 0; i < t.header.size(); ++i)
        out += " " + (i < row.size() ? cell(row[i]) : std::string()) + " |";
    }
    return out;
  }

  std::string operator()(const quote& q) const {
    std::string out = "> ";
    for (const auto& piece : pieces(q)) {
      if (piece.marked) out += "**";
      for (char c : esc(piece.text)) {
        out += c;
        if (c == '\n') out += "> ";
      }
      if (piece.marked) out += "**";
    }
    if (!q.source.empty()) out += "\n> — _" + esc(q.source) + "_";
    return out;
  }

  std::string operator()(const context_line& c) const { return "_" + esc(c.text) + "_"; }

  std::string operator()(const button_row& row) const {
    std::string out;
    for (const auto& b : row.items) {
      if (!out.empty()) out += " · ";
      if (!b.url.empty())
        out += "[" + esc(b.label) + "](<" + b.url + ">)";
      else
        out += "**" + esc(b.label) + "**";
    }
    return out;
  }

  std::string operator()(const divider&) const { return "---"; }
};

}  // namespace

std::string escape(std::string_view text, const options& opts) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '~':
        out += '\\';
        out += c;
        break;
      case '#':
        if (line_start) out += '\\';
        out += c;
        break;
      case '@':
        out += c;
        // U+200B ZERO WIDTH SPACE: the mention no longer parses, the text still reads the same.
        if (opts.defuse_mentions && i + 1 < text.size() && is_word_char(text[i + 1]))
          out += "\xE2\x80\x8B";
        break;
      default:
        out += c;
    }
    line_start = c == '\n' || (line_start && c == ' ');
  }
  return out;
}

std::vector<std::string> render_pieces(const message& msg, const options& opts) {
  std::vector<std::string> pieces;
  pieces.reserve(msg.blocks.size() + 1);
  if (!msg.title.empty())
    pieces.push_back(std::string(static_cast<std::size_t>(opts.title_level), '#') + " " +
                     escape(msg.title, opts));
  const block_renderer r{opts};
  for (const auto& b : msg.blocks) pieces.push_back(std::visit(r, b));
  // Chat Markdown has no collapsible section: the details follow under their own heading.
  if (!msg.details.empty()) {
    pieces.push_back(r(heading{std::string(details_title(msg))}));
    for (const auto& b : msg.details) pieces.push_back(std::visit(r, b));
  }
  return pieces;
}

std::string render(const message& msg, const options& opts) {
  std::string out;
  for (const auto& piece : render_pieces(msg, opts)) {
    if (!out.empty()) out += "\n\n";
    out += piece;
  }
  return out;
}

}  // namespace integrations::markdown
