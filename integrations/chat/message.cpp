#include "integrations/chat/message.hpp"

namespace integrations {

namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::vector<text_piece> pieces(const quote& q) {
  const std::string_view text = q.text;
  std::vector<text_piece> out;
  std::size_t at = 0;
  for (const auto& m : q.marks) {
    std::size_t b = m.begin;
    std::size_t e = m.end;
    if (b < at || e <= b || e > text.size()) continue;
    while (b > at && continuation(text[b])) --b;
    while (e < text.size() && continuation(text[e])) ++e;
    if (b > at) out.push_back({text.substr(at, b - at), false});
    out.push_back({text.substr(b, e - b), true});
    at = e;
  }
  if (at < text.size()) out.push_back({text.substr(at), false});
  return out;
}

std::string_view details_title(const message& m) {
  return m.details_summary.empty() ? std::string_view("Details") : std::string_view(m.details_summary);
}

}  // namespace integrations
