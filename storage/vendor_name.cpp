#include "storage/vendor_name.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace storage {

namespace {

// Company forms that do not tell vendors apart. Only dropped at the end of a name, so "Co-Learn"
// and "Limited Edition Labs" keep their words.
constexpr std::array<std::string_view, 22> company_forms = {
    "inc",  "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co",
    "company", "gmbh", "ag",  "plc", "sa",  "sas", "sarl", "bv",  "nv",  "pty",
    "llp",  "lp",  "oy",  "ab"};

bool is_company_form(std::string_view word) {
  return std::find(company_forms.begin(), company_forms.end(), word) != company_forms.end();
}

}  // namespace

std::string vendor_key(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      word += static_cast<char>(c);
    } else if (c == '&') {
      flush();
      words.emplace_back("and");
    } else if (c == '\'' ) {
      // "Acme's" and "Acmes" are one word, not "acme s".
    } else {
      flush();
    }
  }
  flush();
  while (words.size() > 1 && is_company_form(words.back())) words.pop_back();
  std::string key;
  for (const auto& w : words) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}

double key_similarity(std::string_view a, std::string_view b) {
  const auto grams = [](std::string_view s) {
    const std::string padded = "  " + std::string(s) + " ";
    std::vector<std::string> out;
    for (std::size_t i = 0; i + 3 <= padded.size(); ++i) out.push_back(padded.substr(i, 3));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  const auto ga = grams(a);
  const auto gb = grams(b);
  if (ga.empty() && gb.empty()) return 1.0;
  std::vector<std::string> common;
  std::set_intersection(ga.begin(), ga.end(), gb.begin(), gb.end(), std::back_inserter(common));
  const double inter = static_cast<double>(common.size());
  return inter / (static_cast<double>(ga.size() + gb.size()) - inter);
}

}  // namespace storage
