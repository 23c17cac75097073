#include "bot/review_answer.hpp"

#include "bot/review_wording.hpp"

namespace bot {
namespace im = integrations;
namespace {

void add_flag(im::message& m, const knowledge::flag_finding& f, const review_layout& layout) {
  std::string text = f.why;
  if (!f.detail.empty()) text += " (" + f.detail + ")";
  if (layout.compact) {
    im::bullet_list list;
    list.items.push_back({f.title + ".", f.detail.empty() ? "" : f.detail});
    if (!f.evidence.empty())
      list.items.back().text += (list.items.back().text.empty() ? "" : " \xE2\x80\x94 ") +
                                std::string("\"") + shortened(f.evidence.front().quote, 200) + "\" (" +
                                location(f.evidence.front()) + ")";
    else
      list.items.back().text += (list.items.back().text.empty() ? "" : " \xE2\x80\x94 ") +
                                std::string("nothing found: ") + f.looked_for;
    m.blocks.emplace_back(std::move(list));
    return;
  }
  m.blocks.emplace_back(im::bullet_list{{{f.title + ".", text}}});
  if (f.evidence.empty()) {
    m.blocks.emplace_back(im::context_line{"Looked for and not found: " + f.looked_for + "."});
    return;
  }
  for (const auto& e : f.evidence) m.blocks.emplace_back(im::quote{e.quote, location(e), {}});
}

}  // namespace

std::string verdict_label(const std::string& verdict) {
  if (verdict == "proceed") return "Proceed";
  if (verdict == "proceed_with_conditions") return "Proceed with conditions";
  if (verdict == "do_not_proceed") return "Do not proceed";
  return verdict;
}

im::message review_message(const knowledge::review& r, const review_layout& layout) {
  im::message m;
  m.title = "Proposal review: " + verdict_label(r.verdict) + " (score " + std::to_string(r.score) +
            "/100)";

  std::vector<im::field> facts{
      {"Verdict", verdict_label(r.verdict)},
      {"Score", std::to_string(r.score) + "/100"},
      {"Provider type", r.category.name + (r.category.assumed ? " (assumed: no clear signal)" : "")}};
  if (r.basics_share) facts.push_back({"Time on basics", percent(*r.basics_share)});
  if (r.hands_on_share) facts.push_back({"Hands-on time", percent(*r.hands_on_share)});
  m.blocks.emplace_back(im::field_list{std::move(facts)});
  if (!layout.compact) m.blocks.emplace_back(im::context_line{"How the score was reached: " + r.score_explanation});

  std::size_t shown = 0, hidden = 0;
  for (const char* severity : {"red_flag", "warning"}) {
    std::size_t n = 0;
    for (const auto& f : r.red_flags) n += f.severity == severity ? 1 : 0;
    if (n == 0) continue;
    const bool red = std::string_view(severity) == "red_flag";
    m.blocks.emplace_back(im::heading{(red ? "Red flags (" : "Warnings (") + std::to_string(n) + ")"});
    for (const auto& f : r.red_flags) {
      if (f.severity != severity) continue;
      if (shown == layout.max_flags) {
        ++hidden;
        continue;
      }
      add_flag(m, f, layout);
      ++shown;
    }
  }
  if (r.red_flags.empty())
    m.blocks.emplace_back(im::paragraph{"No red flag or warning from the playbook was found."});

  m.blocks.emplace_back(im::heading{"Coverage"});
  if (layout.compact) {
    std::string missing, partial;
    for (const auto& c : r.coverage) {
      std::string& into = c.status == "missing" ? missing : partial;
      if (c.status == "covered") continue;
      if (!into.empty()) into += ", ";
      into += c.title;
    }
    im::field_list gaps;
    gaps.items.push_back({"Missing", missing.empty() ? "none" : missing});
    gaps.items.push_back({"Partly covered", partial.empty() ? "none" : partial});
    m.blocks.emplace_back(std::move(gaps));
  } else {
    im::table t;
    t.header = {"Area", "Status", "Found", "Not found"};
    for (const auto& c : r.coverage) {
      std::string found, missing;
      for (const auto& f : c.found) found += (found.empty() ? "" : ", ") + f;
      for (const auto& f : c.missing) missing += (missing.empty() ? "" : ", ") + f;
      if (c.share) found += (found.empty() ? "" : "; ") + c.detail;
      t.rows.push_back({c.title, c.status, found, missing});
    }
    m.blocks.emplace_back(std::move(t));
    for (const auto& c : r.coverage) {
      if (c.evidence.empty()) continue;
      m.blocks.emplace_back(im::quote{c.evidence.front().quote, c.title + " \xC2\xB7 " + location(c.evidence.front()), {}});
    }
  }

  m.blocks.emplace_back(im::heading{"Provider type: " + r.category.name});
  if (!r.category.signals.empty()) {
    std::string signals;
    for (const auto& s : r.category.signals) signals += (signals.empty() ? "" : "; ") + s;
    m.blocks.emplace_back(im::paragraph{"Decided by: " + signals + "."});
  }
  if (!layout.compact && !r.category.falls_short.empty()) {
    im::bullet_list list;
    for (const auto& s : r.category.falls_short) list.items.push_back({"", s});
    m.blocks.emplace_back(im::paragraph{"Where this kind of provider falls short:"});
    m.blocks.emplace_back(std::move(list));
  }

  if (!r.avoid_signals.empty()) {
    m.blocks.emplace_back(im::heading{"Signs to avoid external training"});
    im::bullet_list list;
    for (const auto& a : r.avoid_signals)
      list.items.push_back({a.text + ".", a.evidence.empty() ? "" : "\"" + shortened(a.evidence.front().quote, 200) + "\" (" + location(a.evidence.front()) + ")"});
    m.blocks.emplace_back(std::move(list));
  }

  if (!r.questions.empty()) {
    m.blocks.emplace_back(im::heading{"Questions to ask the vendor"});
    im::bullet_list list;
    list.numbered = true;
    for (std::size_t i = 0; i < r.questions.size() && i < layout.max_questions; ++i)
      list.items.push_back({"", r.questions[i]});
    m.blocks.emplace_back(std::move(list));
  }

  std::string footer = "Reviewed a " + r.document_kind + " document of " + std::to_string(r.lines) + " lines";
  if (r.pages > 0) footer += " and " + std::to_string(r.pages) + " pages";
  footer += ".";
  if (hidden > 0)
    footer += " " + std::to_string(hidden) + " more finding(s) not shown" +
              (layout.full_review_hint.empty() ? "." : ": " + layout.full_review_hint + ".");
  else if (layout.compact && !layout.full_review_hint.empty())
    footer += " Evidence for every finding: " + layout.full_review_hint + ".";
  m.blocks.emplace_back(im::context_line{footer});
  return m;
}

}  // namespace bot
