#include "bot/review_record.hpp"

#include "integrations/http/crypto.hpp"
#include "knowledge/review_json.hpp"

#include <algorithm>

namespace bot {

storage::review_input review_record(const knowledge::review& r, std::string vendor,
                                    std::string_view content, std::string source,
                                    storage::actor by, std::int64_t at) {
  storage::review_input in;
  in.vendor = std::move(vendor);
  in.source = std::move(source);
  in.content_hash = integrations::crypto::to_hex(integrations::crypto::sha256(content));
  in.score = r.score;
  in.verdict = r.verdict;
  std::replace(in.verdict.begin(), in.verdict.end(), '_', ' ');
  const auto red = std::count_if(r.red_flags.begin(), r.red_flags.end(),
                                 [](const auto& f) { return f.severity == "red_flag"; });
  const auto warnings = static_cast<long>(r.red_flags.size()) - red;
  in.summary = std::to_string(red) + (red == 1 ? " red flag, " : " red flags, ") +
               std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
  if (!r.category.name.empty()) in.summary += "; looks like " + r.category.name;
  in.findings_json = knowledge::review_json_text(r, false);
  // What search should find a review by: its findings' titles and the sentences quoted.
  for (const auto& f : r.red_flags) {
    in.findings_text += f.title + ". ";
    for (const auto& e : f.evidence) in.findings_text += e.quote + " ";
  }
  for (const auto& c : r.coverage)
    if (c.status == "missing") in.findings_text += "Missing: " + c.title + ". ";
  in.by = std::move(by);
  in.at = at;
  return in;
}

}  // namespace bot
