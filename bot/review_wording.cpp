#include "bot/review_wording.hpp"

#include <cmath>

namespace bot {

std::string percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + " %";
}

std::string location(const knowledge::evidence_entry& e) {
  std::string out = "line " + std::to_string(e.line);
  if (e.page > 0) out += ", page " + std::to_string(e.page);
  if (!e.section.empty()) out += ", under \"" + e.section + "\"";
  return out;
}

std::string shortened(const std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t at = max_bytes;
  while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return s.substr(0, at) + "\xE2\x80\xA6";
}

}  // namespace bot
