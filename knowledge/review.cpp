#include "knowledge/review.hpp"

#include "knowledge/review_text.hpp"
#include "knowledge/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace knowledge {
namespace {

constexpr std::size_t max_quote_chars = 300;

// What a condition found: whether it holds, the units that show it, a measured share.
struct outcome {
  bool holds = false;
  std::vector<std::size_t> units;  // evidence, in document order
  std::optional<double> share;
  std::string detail;
};

void add_units(std::vector<std::size_t>& into, const std::vector<std::size_t>& more) {
  into.insert(into.end(), more.begin(), more.end());
  std::sort(into.begin(), into.end());
  into.erase(std::unique(into.begin(), into.end()), into.end());
}

// Everything a review needs about one document, computed once.
class evaluator {
 public:
  evaluator(const document& doc, const review_rules& rules)
      : rules_(rules), text_(doc, rules.settings), schedule_(read_schedule(text_, rules.settings)) {}

  const prepared_text& text() const { return text_; }
  const schedule& times() const { return schedule_; }

  // The units that mention any phrase of set (negated mentions left out unless asked), and how
  // many mentions there are.
  std::vector<std::size_t> units_mentioning(const phrase_set& set, std::size_t* count = nullptr,
                                            bool with_negated = false) const {
    const auto& found = text_.occurrences(set, with_negated);
    std::vector<std::size_t> units;
    units.reserve(found.size());
    for (const std::size_t at : found) units.push_back(text_.tokens()[at].unit);
    units.erase(std::unique(units.begin(), units.end()), units.end());
    if (count != nullptr) *count = found.size();
    return units;
  }

  outcome evaluate(const condition& c) const {
    switch (c.kind) {
      case condition_kind::phrases: {
        std::size_t count = 0;
        outcome o;
        o.units = units_mentioning(c.phrases, &count, c.ignore_negation);
        o.holds = count >= c.min_count;
        if (!o.holds) o.units.clear();
        return o;
      }
      case condition_kind::near:
        return near(c);
      case condition_kind::in_section:
        return in_section(c);
      case condition_kind::all: {
        outcome o;
        o.holds = true;
        for (const auto& child : c.children) {
          auto r = evaluate(child);
          if (!r.holds) return outcome{};
          add_units(o.units, r.units);
          if (r.share) o.share = r.share;
          if (!r.detail.empty()) o.detail = r.detail;
        }
        return o;
      }
      case condition_kind::any: {
        outcome o;
        for (const auto& child : c.children) {
          auto r = evaluate(child);
          // A measured share is kept even below its threshold: the review reports it.
          if (r.share && !o.share) o.share = r.share;
          if (!r.holds) continue;
          if (!o.holds) o.detail = r.detail;
          o.holds = true;
          add_units(o.units, r.units);
        }
        return o;
      }
      case condition_kind::absent: {
        outcome o;
        o.holds = !evaluate(c.children.front()).holds;
        return o;
      }
      case condition_kind::schedule_share:
        return from_share(schedule_share(text_, schedule_, c.phrases), c.min_share);
      case condition_kind::leading_share:
        return from_share(leading_share(text_, schedule_, c.phrases, c.other), c.min_share);
      case condition_kind::stated_share:
        return from_share(stated_share(text_, c.phrases), c.min_share);
      case condition_kind::vendors:
        return vendors(c);
      case condition_kind::groups: {
        std::size_t found = 0;
        for (const auto& [name, set] : c.named)
          if (!units_mentioning(set).empty()) ++found;
        outcome o;
        o.holds = found <= c.max_groups;
        return o;
      }
    }
    return {};
  }

 private:
  static outcome from_share(const std::optional<share>& s, double min_share) {
    outcome o;
    if (!s) return o;
    o.share = s->value;
    o.detail = s->explanation;
    // A share is compared with a little tolerance: "3 of 6 days" is exactly the 50 % threshold.
    o.holds = s->value + 1e-9 >= min_share;
    if (o.holds) o.units = s->units;
    return o;
  }

  outcome near(const condition& c) const {
    outcome o;
    const auto& a = text_.occurrences(c.phrases, c.ignore_negation);
    if (a.empty()) return o;
    const auto& b = text_.occurrences(c.other, c.ignore_negation);
    const auto& tokens = text_.tokens();
    // Both lists are sorted: for each x, only the b within the window around it.
    for (auto x : a) {
      auto it = std::lower_bound(b.begin(), b.end(), x > c.window ? x - c.window : 0);
      for (; it != b.end() && *it <= x + c.window; ++it) {
        if (tokens[x].unit != tokens[*it].unit) continue;
        o.units.push_back(tokens[x].unit);
        break;
      }
    }
    add_units(o.units, {});
    o.holds = !o.units.empty();
    return o;
  }

  outcome in_section(const condition& c) const {
    outcome o;
    const auto& units = text_.units();
    std::set<std::size_t> headings;
    for (auto u : units_mentioning(c.other)) headings.insert(units[u].kind == unit_kind::heading ? u : units[u].heading);
    if (headings.empty()) return o;
    for (auto u : units_mentioning(c.phrases)) {
      if (units[u].kind == unit_kind::heading) {
        if (headings.count(u)) o.units.push_back(u);
      } else if (units[u].heading != text_unit::npos && headings.count(units[u].heading)) {
        o.units.push_back(u);
      }
    }
    o.holds = !o.units.empty();
    return o;
  }

  outcome vendors(const condition& c) const {
    outcome o;
    std::size_t families = 0;
    std::size_t mentions = 0;
    std::vector<std::size_t> units;
    for (const auto& [name, set] : c.named) {
      std::size_t n = 0;
      auto u = units_mentioning(set, &n);
      if (n == 0) continue;
      ++families;
      mentions = n;
      units = std::move(u);
    }
    if (families != 1 || mentions < c.min_count) return o;
    if (!units_mentioning(c.other).empty()) return o;
    o.holds = true;
    o.units = std::move(units);
    o.detail = std::to_string(mentions) + " mentions of one proprietary vendor, no open-source "
               "or open-weight alternative";
    return o;
  }

  const review_rules& rules_;
  prepared_text text_;
  schedule schedule_;
};

evidence_entry evidence_of(const prepared_text& text, const text_unit& u) {
  evidence_entry e;
  e.quote = std::string(u.text);
  if (e.quote.size() > max_quote_chars) {
    std::size_t cut = max_quote_chars;
    while (cut > 0 && (static_cast<unsigned char>(e.quote[cut]) & 0xC0) == 0x80) --cut;
    const auto space = e.quote.rfind(' ', cut);
    if (space != std::string::npos && space > max_quote_chars / 2) cut = space;
    e.quote = e.quote.substr(0, cut) + "\xE2\x80\xA6";
  }
  e.line = u.line;
  e.page = u.page;
  e.section = std::string(text.section_of(u));
  return e;
}

std::vector<evidence_entry> evidence_for(const prepared_text& text, const std::vector<std::size_t>& units,
                                   std::size_t limit) {
  std::vector<evidence_entry> out;
  for (auto u : units) {
    if (out.size() == limit) break;
    out.push_back(evidence_of(text, text.units()[u]));
  }
  return out;
}

coverage_finding judge_coverage(const evaluator& ev, const coverage_rule& rule,
                                const review_settings& settings) {
  coverage_finding f;
  f.id = rule.id;
  f.kind = rule.kind;
  f.title = rule.title;
  std::vector<std::size_t> units;
  for (const auto& [name, set] : rule.groups) {
    auto u = ev.units_mentioning(set);
    if (u.empty()) {
      f.missing.push_back(name);
      continue;
    }
    f.found.push_back(name);
    units.push_back(u.front());
  }
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());  // one quote per sentence
  const std::size_t n = f.found.size();
  f.status = n >= rule.covered_at ? "covered" : n >= rule.partial_at ? "partial" : "missing";

  // Time on the topic: a share the proposal states decides; a share read from its schedule
  // can only raise the status (a schedule's item names rarely say "hands-on").
  if (!rule.share_topic.empty()) {
    auto s = stated_share(ev.text(), rule.share_topic);
    if (!s) s = column_share(ev.text(), ev.times(), rule.share_topic);
    const bool stated = s.has_value();
    if (!s) s = schedule_share(ev.text(), ev.times(), rule.share_topic);
    if (s) {
      f.share = s->value;
      f.detail = s->explanation;
      const std::string by_share = s->value + 1e-9 >= rule.covered_share   ? "covered"
                                   : s->value + 1e-9 >= rule.partial_share ? "partial"
                                                                           : "missing";
      const auto rank = [](const std::string& st) { return st == "covered" ? 2 : st == "partial" ? 1 : 0; };
      if (stated || rank(by_share) > rank(f.status)) f.status = by_share;
      add_units(units, s->units);
    }
  }
  f.evidence = evidence_for(ev.text(), units, settings.max_evidence);
  return f;
}

category_finding judge_category(const evaluator& ev, const playbook& book) {
  const auto& rules = book.review;
  const auto days = programme_days(ev.text(), ev.times(), rules.settings);
  const category_rule* best = nullptr;
  double best_score = 0;
  std::vector<std::string> best_signals;
  for (const auto& c : rules.categories) {
    double score = 0;
    std::vector<std::string> signals;
    for (const auto& sig : c.signals) {
      bool matched = false;
      if (!sig.phrases.empty()) {
        auto u = ev.units_mentioning(sig.phrases);
        if (!u.empty()) {
          matched = true;
          signals.push_back(sig.label + " (line " + std::to_string(ev.text().units()[u.front()].line) + ")");
        }
      } else if (days && *days >= sig.min_days && *days <= sig.max_days) {
        matched = true;
        char buf[64];
        std::snprintf(buf, sizeof buf, " (about %.1f days)", *days);
        signals.push_back(sig.label + buf);
      }
      if (matched) score += sig.weight;
    }
    if (score > best_score) {
      best = &c;
      best_score = score;
      best_signals = std::move(signals);
    }
  }
  category_finding f;
  if (best == nullptr) {
    best = &rules.categories.front();
    f.assumed = true;
  }
  f.id = best->id;
  f.type_id = best->type_id;
  f.signals = std::move(best_signals);
  if (const auto* type = book.find_type(best->type_id)) {
    f.name = type->name;
    f.falls_short = type->falls_short;
  }
  return f;
}

void score_and_verdict(review& r, const review_rules& rules) {
  const auto& s = rules.scoring;
  double score = s.start;
  std::size_t red = 0;
  for (const auto& f : r.red_flags) {
    const bool is_red = f.severity == "red_flag";
    red += is_red ? 1 : 0;
    const double points = is_red ? s.red_flag : s.warning;
    score -= points;
    r.score_steps.push_back({(is_red ? "red flag: " : "warning: ") + f.title, -points});
  }
  for (const auto& c : r.coverage) {
    if (c.status == "covered") continue;
    const double points = c.status == "missing" ? s.coverage_missing : s.coverage_partial;
    score -= points;
    r.score_steps.push_back({c.title + " " + c.status, -points});
  }
  for (const auto& a : r.avoid_signals) {
    score -= s.avoid_signal;
    r.score_steps.push_back({"avoid signal: " + a.text, -s.avoid_signal});
  }
  r.score = static_cast<int>(std::lround(std::clamp(score, 0.0, 100.0)));

  std::string why;
  if (red >= s.do_not_proceed_red_flags) {
    r.verdict = "do_not_proceed";
    why = std::to_string(red) + " red flags (" + std::to_string(s.do_not_proceed_red_flags) +
          " or more means do not proceed)";
  } else if (r.avoid_signals.size() >= s.do_not_proceed_avoid_signals) {
    r.verdict = "do_not_proceed";
    why = "the request shows " + std::to_string(r.avoid_signals.size()) +
          " sign(s) that external training should be avoided";
  } else if (r.score < s.do_not_proceed_below) {
    r.verdict = "do_not_proceed";
    why = "score below " + std::to_string(static_cast<int>(s.do_not_proceed_below));
  } else if (r.score >= s.proceed_at && red == 0) {
    r.verdict = "proceed";
    why = "score " + std::to_string(static_cast<int>(s.proceed_at)) + " or more and no red flag";
  } else {
    r.verdict = "proceed_with_conditions";
    why = red > 0 ? "a red flag to resolve before signing"
                  : "score below " + std::to_string(static_cast<int>(s.proceed_at));
  }
  char head[128];
  std::snprintf(head, sizeof head, "%.0f", s.start);
  r.score_explanation = std::string(head) + " to start";
  for (const auto& step : r.score_steps) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " %+.0f ", step.points);
    r.score_explanation += buf + step.reason;
  }
  r.score_explanation += " = " + std::to_string(r.score) + "; " + why + ".";
}

void choose_questions(review& r, const playbook& book) {
  std::set<std::string> seen;
  const auto add = [&](const std::string& q) {
    if (!q.empty() && seen.insert(q).second) r.questions.push_back(q);
  };
  for (const auto& f : r.red_flags) {
    for (const auto& rule : book.review.flags)
      if (rule.id == f.id) add(rule.question);
  }
  for (const auto& c : r.coverage) {
    if (c.status == "covered") continue;
    for (const auto& rule : book.review.coverage)
      if (rule.id == c.id && rule.question >= 0)
        add(book.questions.items[static_cast<std::size_t>(rule.question)]);
  }
  // A proposal with nothing to query still gets the playbook's questions: they are the ones
  // to ask before signing anything.
  if (r.questions.empty())
    for (const auto& q : book.questions.items) add(q);
}

}  // namespace

review review_document(const document& doc, const playbook& book) {
  const auto& rules = book.review;
  const evaluator ev(doc, rules);
  review r;
  r.document_kind = std::string(kind_name(doc.kind));
  r.pages = doc.pages;
  r.lines = doc.lines.empty() ? 0 : doc.lines.back().line;

  for (const char* severity : {"red_flag", "warning"}) {
    for (const auto& rule : rules.flags) {
      if (rule.severity != severity) continue;
      auto o = ev.evaluate(rule.when);
      if (rule.id == "basics_heavy" && o.share) r.basics_share = o.share;
      if (!o.holds) continue;
      flag_finding f;
      f.id = rule.id;
      f.severity = rule.severity;
      f.title = rule.title;
      f.why = rule.why;
      f.evidence = evidence_for(ev.text(), o.units, rules.settings.max_evidence);
      if (f.evidence.empty()) f.looked_for = rule.looked_for;
      f.detail = o.detail;
      f.share = o.share;
      r.red_flags.push_back(std::move(f));
    }
  }
  for (const auto& rule : rules.coverage) {
    r.coverage.push_back(judge_coverage(ev, rule, rules.settings));
    if (r.coverage.back().share && !rule.share_topic.empty()) r.hands_on_share = r.coverage.back().share;
  }
  r.category = judge_category(ev, book);
  for (const auto& rule : rules.avoid) {
    auto o = ev.evaluate(rule.when);
    if (!o.holds) continue;
    avoid_finding a;
    a.id = rule.id;
    a.text = book.invest.avoid_when[static_cast<std::size_t>(rule.avoid_item)];
    a.evidence = evidence_for(ev.text(), o.units, rules.settings.max_evidence);
    r.avoid_signals.push_back(std::move(a));
  }
  score_and_verdict(r, rules);
  choose_questions(r, book);
  return r;
}

result<review> review_text(std::string_view text, const playbook& book,
                           const extract_limits& limits) {
  auto doc = extract_document(text, limits);
  if (!doc) return doc.error();
  return review_document(*doc, book);
}

}  // namespace knowledge
