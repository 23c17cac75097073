#pragma once
// Test helper: every string of a chat message, one per line, for assertions on content.

#include "integrations/chat/message.hpp"

#include <string>
#include <variant>

namespace test {

struct text_collector {
  std::string& out;
  void add(const std::string& s) {
    out += s;
    out += '\n';
  }
  void operator()(const integrations::paragraph& p) { add(p.text); }
  void operator()(const integrations::heading& h) { add(h.text); }
  void operator()(const integrations::bullet_list& l) {
    for (const auto& b : l.items) {
      add(b.label);
      add(b.text);
    }
  }
  void operator()(const integrations::field_list& f) {
    for (const auto& i : f.items) {
      add(i.label);
      add(i.value);
    }
  }
  void operator()(const integrations::table& t) {
    for (const auto& h : t.header) add(h);
    for (const auto& row : t.rows)
      for (const auto& cell : row) add(cell);
  }
  void operator()(const integrations::quote& q) {
    add(q.text);
    add(q.source);
  }
  void operator()(const integrations::context_line& c) { add(c.text); }
  void operator()(const integrations::button_row& r) {
    for (const auto& b : r.items) {
      add(b.label);
      add(b.value);
      add(b.url);
    }
  }
  void operator()(const integrations::divider&) {}
};

// The title and every string of the message's blocks and details, one per line.
inline std::string all_text(const integrations::message& m) {
  std::string out = m.title + "\n";
  text_collector c{out};
  for (const auto& b : m.blocks) std::visit(c, b);
  if (!m.details.empty()) c.add(m.details_summary);
  for (const auto& b : m.details) std::visit(c, b);
  return out;
}

}  // namespace test
