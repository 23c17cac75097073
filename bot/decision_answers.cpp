#include "bot/decision_answers.hpp"

#include "bot/utc_time.hpp"
#include "integrations/text/utf8.hpp"


namespace bot {

namespace im = integrations;

namespace {

// Who decided: the display name when the platform sent one, else the user id.
std::string who(const storage::decision& d) {
  return d.decided_by_name.empty() ? d.decided_by : d.decided_by_name;
}

std::string where(const storage::decision& d) {
  if (d.place.empty()) return d.source;
  return d.source + " · " + d.place;
}

std::string shorten(std::string_view s, std::size_t max_chars) {
  if (im::utf8::length(s) <= max_chars) return std::string(s);
  return std::string(im::utf8::prefix_chars(s, max_chars - 1)) + "\xE2\x80\xA6";  // …
}

std::string date_only(std::int64_t t) { return format_utc(t).substr(0, 10); }

// One line per decision for lists: "2026-11-28 · rejected by dana · PROC-1 — reason".
std::string summary_line(const storage::decision& d) {
  std::string out = date_only(d.decided_at) + " \xC2\xB7 " + std::string(outcome_label(d.what)) +
                    " by " + who(d);
  if (!d.ticket.empty()) out += " \xC2\xB7 ticket " + d.ticket;
  if (!d.rationale.empty()) out += " \xE2\x80\x94 " + shorten(d.rationale, 160);
  return out;
}

std::string command(std::string_view prefix, std::string_view rest) {
  return std::string(prefix) + " " + std::string(rest);
}

// Marked text (storage::mark_begin/mark_end around matches) as a quote with highlight spans.
im::quote marked_quote(std::string_view marked, std::string source) {
  im::quote q;
  q.source = std::move(source);
  std::size_t open = 0;
  for (const char c : marked) {
    if (c == storage::mark_begin) {
      open = q.text.size();
    } else if (c == storage::mark_end) {
      q.marks.push_back({open, q.text.size()});
    } else {
      q.text += c;
    }
  }
  return q;
}

std::string without_marks(std::string_view marked) {
  std::string out;
  for (const char c : marked)
    if (c != storage::mark_begin && c != storage::mark_end) out += c;
  return out;
}

}  // namespace

std::string format_utc(std::int64_t unix_seconds) { return utc_text(unix_seconds, "%Y-%m-%d %H:%M UTC"); }

std::string_view outcome_label(storage::outcome o) {
  switch (o) {
    case storage::outcome::approve:
      return "approved";
    case storage::outcome::reject:
      return "rejected";
    case storage::outcome::defer:
      return "deferred";
    case storage::outcome::conditional:
      return "approved with conditions";
  }
  return "decided";
}

im::message recorded_answer(const storage::decision& d, std::string_view prefix) {
  im::message m;
  m.title = "Decision recorded: " + d.vendor + " " + std::string(outcome_label(d.what));
  im::field_list fields;
  fields.items.push_back({"Vendor", d.vendor});
  fields.items.push_back({"Outcome", std::string(outcome_label(d.what))});
  fields.items.push_back({"Decided by", who(d)});
  fields.items.push_back({"When", format_utc(d.decided_at)});
  fields.items.push_back({"Where", where(d)});
  if (!d.ticket.empty()) fields.items.push_back({"Ticket", d.ticket});
  if (!d.revisit_on.empty()) fields.items.push_back({"Revisit on", d.revisit_on});
  m.blocks.emplace_back(std::move(fields));
  if (!d.rationale.empty()) m.blocks.emplace_back(im::quote{d.rationale, "Reason", {}});
  if (!d.conditions.empty()) m.blocks.emplace_back(im::quote{d.conditions, "Conditions", {}});
  m.blocks.emplace_back(im::context_line{
      "Decision #" + std::to_string(d.id) + ", stored and audited. It supersedes earlier decisions "
      "on this vendor; the history keeps them. See " + command(prefix, "vendor " + d.vendor) + "."});
  return m;
}

im::message vendor_answer(const storage::vendor_status& v, std::string_view prefix) {
  im::message m;
  m.title = v.vendor.name;
  im::field_list status;
  if (v.history.empty()) {
    status.items.push_back({"Current status", "no decision recorded"});
  } else {
    const auto& now = v.history.front();
    status.items.push_back({"Current status", std::string(outcome_label(now.what)) + " on " +
                                                  date_only(now.decided_at) + " by " + who(now)});
    if (!now.ticket.empty()) status.items.push_back({"Ticket", now.ticket});
    if (!now.revisit_on.empty()) status.items.push_back({"Revisit on", now.revisit_on});
    if (!now.conditions.empty()) status.items.push_back({"Conditions", now.conditions});
  }
  if (v.latest_review) {
    const auto& r = *v.latest_review;
    status.items.push_back({"Latest review", r.verdict + " (score " + std::to_string(r.score) +
                                                 "/100) on " + date_only(r.reviewed_at) + " from " +
                                                 r.source});
  }
  m.blocks.emplace_back(std::move(status));
  if (!v.history.empty() && !v.history.front().rationale.empty())
    m.blocks.emplace_back(im::quote{v.history.front().rationale, "Reason", {}});
  if (v.latest_review && !v.latest_review->summary.empty())
    m.blocks.emplace_back(im::paragraph{"Review summary: " + v.latest_review->summary});
  if (!v.history.empty()) {
    m.blocks.emplace_back(im::heading{v.decision_count == 1 ? "History" : "History, newest first"});
    im::bullet_list list;
    for (const auto& d : v.history) list.items.push_back({"", summary_line(d)});
    m.blocks.emplace_back(std::move(list));
    if (v.decision_count > v.history.size())
      m.blocks.emplace_back(im::context_line{
          std::to_string(v.decision_count - v.history.size()) + " older decisions are not shown; " +
          "playbook-bot decisions show on the server lists them all."});
  }
  std::string hint;
  if (!v.aliases.empty()) {
    hint = "Also known as: ";
    for (std::size_t i = 0; i < v.aliases.size(); ++i) hint += (i ? ", " : "") + v.aliases[i];
    hint += ". ";
  }
  hint += "Record a decision with " + command(prefix, "decide " + v.vendor.name + " approve|reject|defer|conditional — reason") + ".";
  m.blocks.emplace_back(im::context_line{hint});
  return m;
}

im::message unknown_vendor_answer(std::string_view name, const std::vector<storage::vendor_ref>& similar,
                                  std::string_view prefix) {
  im::message m;
  m.title = "No decisions recorded for " + std::string(name);
  if (!similar.empty()) {
    std::string text = "Did you mean ";
    for (std::size_t i = 0; i < similar.size(); ++i) {
      if (i > 0) text += i + 1 == similar.size() ? " or " : ", ";
      text += similar[i].name;
    }
    m.blocks.emplace_back(im::paragraph{text + "?"});
  } else {
    m.blocks.emplace_back(im::paragraph{"Nobody has recorded a decision or a review for this vendor yet."});
  }
  m.blocks.emplace_back(im::context_line{
      "Record one with " + command(prefix, "decide <vendor> approve|reject|defer|conditional — reason") +
      ", or search rationales with " + command(prefix, "decisions search <words>") + "."});
  return m;
}

im::message decision_list_answer(std::string title, const std::vector<storage::decision>& list,
                                 std::string_view prefix) {
  im::message m;
  m.title = std::move(title);
  if (list.empty()) {
    m.blocks.emplace_back(im::paragraph{"No decisions recorded yet."});
  } else {
    im::bullet_list items;
    for (const auto& d : list) items.items.push_back({d.vendor, "\xE2\x80\x94 " + summary_line(d)});
    m.blocks.emplace_back(std::move(items));
  }
  m.blocks.emplace_back(im::context_line{"Details of one vendor: " + command(prefix, "vendor <name>") +
                                         " \xC2\xB7 search: " + command(prefix, "decisions search <words>")});
  return m;
}

im::message search_answer(std::string_view words, const std::vector<storage::search_hit>& hits,
                          std::string_view prefix) {
  im::message m;
  m.title = "Decisions and reviews matching \xE2\x80\x9C" + shorten(words, 80) + "\xE2\x80\x9D";  // “ ”
  if (hits.empty()) {
    m.blocks.emplace_back(im::paragraph{"Nothing recorded matches these words."});
  }
  for (const auto& hit : hits) {
    std::string source = without_marks(hit.vendor);
    if (hit.found_decision) {
      const auto& d = *hit.found_decision;
      source += " \xC2\xB7 " + std::string(outcome_label(d.what)) + " on " + date_only(d.decided_at) +
                " by " + who(d);
      if (!d.ticket.empty()) source += " \xC2\xB7 ticket " + d.ticket;
    } else if (hit.found_review) {
      const auto& r = *hit.found_review;
      source += " \xC2\xB7 review on " + date_only(r.reviewed_at) + ": " + r.verdict;
    }
    // A decision without a reason matched by its vendor's name: the name is the quote.
    m.blocks.emplace_back(marked_quote(hit.snippet.empty() ? hit.vendor : hit.snippet, std::move(source)));
  }
  m.blocks.emplace_back(im::context_line{"Best matches first. A vendor's full history: " +
                                         command(prefix, "vendor <name>")});
  return m;
}

im::message problem_answer(std::string title, std::string text) {
  im::message m;
  m.title = std::move(title);
  m.blocks.emplace_back(im::paragraph{std::move(text)});
  return m;
}

}  // namespace bot
