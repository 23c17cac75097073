#include "bot/ticket_comment.hpp"

#include "bot/review_answer.hpp"
#include "bot/review_wording.hpp"

#include <cstdio>
#include <string_view>

namespace bot {
namespace im = integrations;
namespace {

std::string count_of(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += separator;
    out += i;
  }
  return out;
}

std::string points(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.0f", p);
  return buf;
}

// The title and the sentences behind one finding; a finding raised by an absence says what was
// looked for instead.
void add_finding(std::vector<im::block>& out, const knowledge::flag_finding& f,
                 const ticket_review_context& c) {
  std::string text = f.why;
  if (!f.detail.empty()) text += " (" + f.detail + ")";
  out.emplace_back(im::bullet_list{{{f.title + ".", text}}});
  if (f.evidence.empty()) {
    out.emplace_back(im::context_line{"Looked for and not found: " + f.looked_for + "."});
    return;
  }
  for (const auto& e : f.evidence) out.emplace_back(im::quote{e.quote, ticket_location(e, c), {}});
}

void add_findings(im::message& m, const knowledge::review& r, const ticket_review_context& c) {
  for (const std::string_view severity : {"red_flag", "warning"}) {
    std::size_t n = 0;
    for (const auto& f : r.red_flags) n += f.severity == severity ? 1 : 0;
    if (n == 0) continue;
    m.blocks.emplace_back(im::heading{(severity == "red_flag" ? "Red flags (" : "Warnings (") +
                                      std::to_string(n) + ")"});
    for (const auto& f : r.red_flags)
      if (f.severity == severity) add_finding(m.blocks, f, c);
  }
  if (r.red_flags.empty())
    m.blocks.emplace_back(im::paragraph{"No red flag or warning from the playbook was found."});
}

void add_gaps(im::message& m, const knowledge::review& r) {
  m.blocks.emplace_back(im::heading{"Coverage gaps"});
  im::bullet_list gaps;
  for (const auto& cov : r.coverage) {
    if (cov.status == "covered") continue;
    std::string text = cov.status == "missing" ? "missing" : "partly covered";
    if (cov.kind == "criterion") text += " (criterion)";
    if (!cov.found.empty()) text += "; found: " + joined(cov.found, ", ");
    if (!cov.missing.empty()) text += "; not found: " + joined(cov.missing, ", ");
    if (cov.share && !cov.detail.empty()) text += "; " + cov.detail;
    gaps.items.push_back({cov.title + ".", text});
  }
  if (gaps.items.empty())
    m.blocks.emplace_back(
        im::paragraph{"The proposal covers every capability and criterion the playbook looks for."});
  else
    m.blocks.emplace_back(std::move(gaps));
}

void add_avoid_signals(im::message& m, const knowledge::review& r, const ticket_review_context& c) {
  if (r.avoid_signals.empty()) return;
  m.blocks.emplace_back(im::heading{"Signs to avoid external training"});
  for (const auto& a : r.avoid_signals) {
    m.blocks.emplace_back(im::bullet_list{{{"", a.text + "."}}});
    for (const auto& e : a.evidence) m.blocks.emplace_back(im::quote{e.quote, ticket_location(e, c), {}});
  }
}

void add_details(im::message& m, const knowledge::review& r, const ticket_review_context& c) {
  m.details_summary = "Score breakdown, provider type, what is covered and what was read";
  auto& d = m.details;

  d.emplace_back(im::heading{"Score breakdown"});
  im::table steps;
  steps.header = {"Step", "Points"};
  for (const auto& s : r.score_steps) steps.rows.push_back({s.reason, points(s.points)});
  steps.rows.push_back({"Score", std::to_string(r.score) + "/100"});
  d.emplace_back(std::move(steps));
  d.emplace_back(im::context_line{r.score_explanation});

  d.emplace_back(im::heading{"Provider type: " + r.category.name +
                             (r.category.assumed ? " (assumed: no clear signal)" : "")});
  if (!r.category.signals.empty())
    d.emplace_back(im::paragraph{"Decided by: " + joined(r.category.signals, "; ") + "."});
  // The shares before the list of shortcomings: two lists in a row would run together in Markdown.
  std::vector<im::field> shares;
  if (r.basics_share) shares.push_back({"Time on basics", percent(*r.basics_share)});
  if (r.hands_on_share) shares.push_back({"Hands-on time", percent(*r.hands_on_share)});
  if (!shares.empty()) d.emplace_back(im::field_list{std::move(shares)});
  if (!r.category.falls_short.empty()) {
    d.emplace_back(im::paragraph{"Where this kind of provider falls short:"});
    im::bullet_list list;
    for (const auto& s : r.category.falls_short) list.items.push_back({"", s});
    d.emplace_back(std::move(list));
  }

  d.emplace_back(im::heading{"Covered"});
  im::bullet_list covered;
  for (const auto& cov : r.coverage) {
    if (cov.status != "covered") continue;
    std::string text = cov.found.empty() ? "" : "found: " + joined(cov.found, ", ");
    if (cov.share && !cov.detail.empty()) text += (text.empty() ? "" : "; ") + cov.detail;
    covered.items.push_back({cov.title + ".", text});
  }
  if (covered.items.empty())
    d.emplace_back(im::paragraph{"None of the capabilities and criteria the playbook looks for."});
  else
    d.emplace_back(std::move(covered));

  d.emplace_back(im::heading{"What was read"});
  std::vector<im::field> read;
  if (!c.sources.empty()) read.push_back({"Read", joined(c.sources, "\n")});
  read.push_back({"Could not be read", c.unreadable.empty() ? "nothing" : joined(c.unreadable, "\n")});
  d.emplace_back(im::field_list{std::move(read)});
  std::string size = "Reviewed as one " + r.document_kind + " document of " +
                     count_of(r.lines, "line", "lines");
  if (r.pages > 0) size += " and " + count_of(r.pages, "page", "pages");
  d.emplace_back(im::context_line{size + "."});
}

}  // namespace

std::string ticket_summary(const knowledge::review& r) {
  std::size_t red = 0, warnings = 0;
  for (const auto& f : r.red_flags) (f.severity == "red_flag" ? red : warnings) += 1;
  std::string out = "Proposal review: " + verdict_label(r.verdict) + " \xE2\x80\x94 score " +  // —
                    std::to_string(r.score) + "/100 \xC2\xB7 ";                                // ·
  if (red == 0 && warnings == 0) return out + "no red flags or warnings";
  if (red > 0) out += count_of(red, "red flag", "red flags");
  if (red > 0 && warnings > 0) out += ", ";
  if (warnings > 0) out += count_of(warnings, "warning", "warnings");
  return out;
}

std::string ticket_location(const knowledge::evidence_entry& e, const ticket_review_context& c) {
  knowledge::evidence_entry within = e;
  std::string source;
  if (!c.sources.empty() && c.source_lines.size() == c.sources.size()) {
    // The last source that starts at or before the quote's line holds it.
    for (std::size_t i = 0; i < c.sources.size(); ++i) {
      if (c.source_lines[i] > e.line) break;
      source = c.sources[i];
      within.line = e.line - c.source_lines[i] + 1;
    }
  } else if (c.sources.size() == 1) {
    source = c.sources.front();
  }
  return source.empty() ? location(within) : source + ", " + location(within);
}

im::message ticket_comment(const knowledge::review& r, const ticket_review_context& c) {
  im::message m;
  m.title = ticket_summary(r);
  add_findings(m, r, c);
  add_gaps(m, r);
  add_avoid_signals(m, r, c);
  if (!r.questions.empty()) {
    m.blocks.emplace_back(im::heading{"Questions to ask before signing"});
    im::bullet_list list;
    list.numbered = true;
    for (const auto& q : r.questions) list.items.push_back({"", q});
    m.blocks.emplace_back(std::move(list));
  }
  std::string footer =
      "Automatic review by playbook-bot \xC2\xB7 updated on every edit of the ticket";  // ·
  if (!c.vendor.empty()) footer += " \xC2\xB7 vendor: " + c.vendor;
  m.blocks.emplace_back(im::context_line{footer});
  add_details(m, r, c);
  return m;
}

}  // namespace bot
