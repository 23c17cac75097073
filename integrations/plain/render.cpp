#include "integrations/plain/render.hpp"

#include "integrations/text/utf8.hpp"

#include <algorithm>

namespace integrations::plain {
namespace {

std::string indent_lines(const std::string& text, const std::string& first, const std::string& rest) {
  std::string out = first;
  for (char c : text) {
    out += c;
    if (c == '\n') out += rest;
  }
  return out;
}

struct block_renderer {
  std::string operator()(const paragraph& p) const { return p.text; }
  std::string operator()(const heading& h) const {
    return h.text + "\n" + std::string(std::min<std::size_t>(utf8::length(h.text), 78), '-');
  }
  std::string operator()(const bullet_list& list) const {
    std::string out;
    int n = 0;
    for (const auto& item : list.items) {
      if (!out.empty()) out += '\n';
      const std::string marker = list.numbered ? std::to_string(++n) + ". " : "- ";
      std::string text = item.label;
      if (!item.label.empty() && !item.text.empty()) text += ' ';
      text += item.text;
      out += indent_lines(text, marker, std::string(marker.size(), ' '));
    }
    return out;
  }
  std::string operator()(const field_list& fields) const {
    std::string out;
    for (const auto& f : fields.items) {
      if (!out.empty()) out += '\n';
      if (f.value.find('\n') == std::string::npos) {
        out += f.label + ": " + f.value;
      } else {
        out += f.label + ":" + indent_lines(f.value, "\n  - ", "  - ");
      }
    }
    return out;
  }
  std::string operator()(const table& t) const {
    // Each row as "Column: value" lines: terminals are narrow and cells are sentences.
    std::string out;
    for (const auto& row : t.rows) {
      if (!out.empty()) out += '\n';
      for (std::size_t i = 0; i < t.header.size() && i < row.size(); ++i) {
        if (row[i].empty()) continue;
        out += (i == 0 ? "* " : "  ") + t.header[i] + ": " + row[i] + "\n";
      }
      if (!out.empty() && out.back() == '\n') out.pop_back();
    }
    return out;
  }
  std::string operator()(const quote& q) const {
    std::string out = indent_lines(q.text, "    \"", "     ") + "\"";
    if (!q.source.empty()) out += "\n      (" + q.source + ")";
    return out;
  }
  std::string operator()(const context_line& c) const { return c.text; }
  std::string operator()(const button_row& row) const {
    std::string out;
    for (const auto& b : row.items) {
      if (!out.empty()) out += "  ";
      out += "[" + b.label + (b.url.empty() ? "" : ": " + b.url) + "]";
    }
    return out;
  }
  std::string operator()(const divider&) const { return std::string(40, '-'); }
};

}  // namespace

std::string render(const message& msg) {
  std::string out;
  if (!msg.title.empty())
    out += msg.title + "\n" + std::string(std::min<std::size_t>(utf8::length(msg.title), 78), '=');
  for (const auto& b : msg.blocks) {
    if (!out.empty()) out += "\n\n";
    out += std::visit(block_renderer{}, b);
  }
  if (!msg.details.empty()) {
    if (!out.empty()) out += "\n\n";
    out += block_renderer{}(heading{std::string(details_title(msg))});
    for (const auto& b : msg.details) out += "\n\n" + std::visit(block_renderer{}, b);
  }
  // Text from documents reaches a terminal: control characters (escape sequences that could
  // move the cursor or change colours) are shown as '?', line breaks kept.
  for (auto& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7F) c = '?';
  }
  return out;
}

}  // namespace integrations::plain
