#include "bot/answers.hpp"

#include "bot/metrics.hpp"
#include "bot/review_answer.hpp"
#include "integrations/text/utf8.hpp"
#include "knowledge/review.hpp"

namespace bot {
namespace im = integrations;
namespace {

// "Practitioner instructors" → "Practitioner instructors." as the bold lead-in of its paragraph,
// the way the playbook writes it.
std::string lead_in(const std::string& title) {
  if (title.empty()) return title;
  const char last = title.back();
  return last == '.' || last == '?' || last == '!' ? title : title + ".";
}

// A section of titled items as the playbook writes it: intro, the items, outro.
im::message section_answer(const knowledge::item_section& s, bool numbered = false) {
  im::message m;
  m.title = s.title;
  if (!s.intro.empty()) m.blocks.emplace_back(im::paragraph{s.intro});
  im::bullet_list list;
  list.numbered = numbered;
  for (const auto& i : s.items) list.items.push_back({lead_in(i.title), i.text});
  m.blocks.emplace_back(std::move(list));
  if (!s.outro.empty()) m.blocks.emplace_back(im::paragraph{s.outro});
  return m;
}

im::bullet_list plain_items(const std::vector<std::string>& texts, bool numbered = false) {
  im::bullet_list list;
  list.numbered = numbered;
  for (const auto& t : texts) list.items.push_back({"", t});
  return list;
}

// User text echoed back in an answer, cut short so a pasted essay cannot flood the reply.
std::string echo(std::string_view s, std::size_t max_chars = 60) {
  const auto cut = integrations::utf8::prefix_chars(s, max_chars);
  return cut.size() == s.size() ? std::string(s) : std::string(cut) + "\xE2\x80\xA6";
}

// Several values of one field, one per line (renderers list them).
std::string lines(const std::vector<std::string>& texts) {
  std::string out;
  for (const auto& t : texts) {
    if (!out.empty()) out += '\n';
    out += t;
  }
  return out;
}

void add_paragraph(im::message& m, const std::string& text) {
  if (!text.empty()) m.blocks.emplace_back(im::paragraph{text});
}

template <class T>
std::string ids_of(const std::vector<T>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ", ";
    out += i.id;
  }
  return out;
}

template <class T>
std::vector<std::string_view> names_of(const std::vector<T>& items) {
  std::vector<std::string_view> out;
  for (const auto& i : items) {
    out.push_back(i.id);
    for (const auto& a : i.aliases) out.push_back(a);
  }
  return out;
}

// The item a near-miss name most likely meant, as a "did you mean" clause (or "").
template <class T>
std::string did_you_mean(const std::vector<T>& items, const std::string& name) {
  std::vector<std::string_view> names;
  std::vector<const T*> owners;
  for (const auto& i : items) {
    names.push_back(i.id);
    owners.push_back(&i);
    for (const auto& a : i.aliases) {
      names.push_back(a);
      owners.push_back(&i);
    }
  }
  if (auto best = closest(lowercase(name), names)) return " Did you mean " + owners[*best]->id + "?";
  return {};
}

}  // namespace

answer_composer::answer_composer(const knowledge::playbook& book,
                                 const knowledge::search_index& index, std::string prefix,
                                 surface where, knowledge::extract_limits limits)
    : book_(book), index_(index), prefix_(std::move(prefix)), where_(where), limits_(limits) {}

bool answer_composer::is_static(const parsed_command& cmd) {
  return cmd.what != topic::search && cmd.what != topic::review && cmd.what != topic::unknown &&
         !is_decision_topic(cmd.what);
}

std::string answer_composer::command(std::string_view sub) const {
  return sub.empty() ? prefix_ : prefix_ + " " + std::string(sub);
}

im::context_line answer_composer::related(std::initializer_list<std::string_view> subs) const {
  std::string text = "Related:";
  bool first = true;
  for (auto s : subs) {
    text += first ? " " : " \xC2\xB7 ";  // ·
    text += command(s);
    first = false;
  }
  if (where_ == surface::chat) text += "  \xC2\xB7  Add public to post an answer to the channel.";
  return {text};
}

im::message answer_composer::compose(const parsed_command& cmd, bool* failed) const {
  switch (cmd.what) {
    case topic::help:
      return help();
    case topic::criteria:
      return criteria();
    case topic::red_flags:
      return red_flags();
    case topic::questions:
      return questions();
    case topic::types:
      return types(cmd.argument);
    case topic::capabilities:
      return capabilities();
    case topic::formats:
      return formats();
    case topic::tracks:
      return tracks(cmd.argument);
    case topic::invest:
      return invest();
    case topic::failures:
      return failures();
    case topic::takeaways:
      return takeaways();
    case topic::about:
      return about();
    case topic::search:
      return search(cmd.argument);
    case topic::review:
      return review(cmd.argument, failed);
    case topic::decide:
    case topic::vendor:
    case topic::decisions:
      // Answered by the decision service where there is a database (bot/decision_service.hpp).
      if (failed != nullptr) *failed = true;
      return no_decisions_here(cmd);
    case topic::unknown:
      return unknown(cmd);
  }
  return help();
}

im::message answer_composer::help() const {
  im::message m;
  m.title = book_.title;
  add_paragraph(m, book_.subtitle.empty() ? book_.intro.paragraphs.front() : book_.subtitle + ".");
  im::bullet_list list;
  list.code_labels = true;
  for (const auto& s : subcommands()) {
    // In the terminal the decision log is `playbook-bot decisions`, named below instead.
    if (where_ == surface::terminal && is_decision_topic(s.what)) continue;
    std::string label = command(s.name);
    if (!s.argument.empty()) label += " " + std::string(s.argument);
    list.items.push_back({label, std::string(s.summary)});
  }
  m.blocks.emplace_back(std::move(list));
  if (where_ == surface::chat)
    m.blocks.emplace_back(im::context_line{
        "Answers are shown only to you; add public to post one to the channel, e.g. " +
        command("criteria public") + "."});
  else if (where_ == surface::channel)
    m.blocks.emplace_back(im::context_line{"Answers are posted in the conversation's thread."});
  else
    m.blocks.emplace_back(im::context_line{
        "Vendor decisions: playbook-bot decisions list|show|search|export|import (--help)."});
  return m;
}

im::message answer_composer::criteria() const {
  auto m = section_answer(book_.criteria);
  m.blocks.emplace_back(related({"red-flags", "questions", "capabilities"}));
  return m;
}

im::message answer_composer::red_flags() const {
  auto m = section_answer(book_.red_flags, true);
  m.blocks.emplace_back(related({"questions", "criteria"}));
  return m;
}

im::message answer_composer::questions() const {
  im::message m;
  m.title = book_.questions.title;
  m.blocks.emplace_back(plain_items(book_.questions.items, true));
  add_paragraph(m, book_.questions.outro);
  m.blocks.emplace_back(related({"red-flags", "criteria"}));
  return m;
}

im::message answer_composer::types(const std::string& which) const {
  im::message m;
  const auto& types = book_.types;
  if (which.empty()) {
    m.title = types.title;
    add_paragraph(m, types.intro);
    for (std::size_t i = 0; i < types.items.size(); ++i) {
      const auto& t = types.items[i];
      m.blocks.emplace_back(im::heading{std::to_string(i + 1) + ". " + t.name});
      m.blocks.emplace_back(im::field_list{{
          {"What they're good at", lines(t.good_at)},
          {"Where they fall short", lines(t.falls_short)},
          {"Typical engagement", lines(t.typical_engagement)},
      }});
      add_paragraph(m, t.summary);
    }
    m.blocks.emplace_back(im::context_line{"One type in detail: " + command("types") + " " +
                                           ids_of(types.items) + "."});
    return m;
  }
  const auto* t = book_.find_type(which);
  if (t == nullptr) {
    m.title = "Unknown provider type";
    add_paragraph(m, "There is no provider type called \"" + echo(which) + "\"." +
                         did_you_mean(types.items, which) + " Try " + command("types") + " with one of: " +
                         ids_of(types.items) + ".");
    return m;
  }
  m.title = t->name;
  im::table tbl;
  tbl.header = {"What they're good at", "Where they fall short", "Typical engagement"};
  const std::size_t rows =
      std::max({t->good_at.size(), t->falls_short.size(), t->typical_engagement.size()});
  for (std::size_t r = 0; r < rows; ++r) {
    const auto cell = [r](const std::vector<std::string>& col) {
      return r < col.size() ? col[r] : std::string();
    };
    tbl.rows.push_back({cell(t->good_at), cell(t->falls_short), cell(t->typical_engagement)});
  }
  m.blocks.emplace_back(std::move(tbl));
  add_paragraph(m, t->summary);
  m.blocks.emplace_back(related({"types", "criteria", "formats"}));
  return m;
}

im::message answer_composer::capabilities() const {
  auto m = section_answer(book_.capabilities);
  m.blocks.emplace_back(related({"criteria", "formats"}));
  return m;
}

im::message answer_composer::formats() const {
  auto m = section_answer(book_.formats);
  m.blocks.emplace_back(im::context_line{"Per role: " + command("tracks") + " " +
                                         ids_of(book_.role_tracks.items) + "."});
  return m;
}

im::message answer_composer::tracks(const std::string& which) const {
  im::message m;
  const auto& tracks = book_.role_tracks;
  if (which.empty()) {
    m.title = tracks.title;
    add_paragraph(m, tracks.intro);
    im::bullet_list list;
    for (const auto& t : tracks.items) list.items.push_back({lead_in(t.title), t.focus});
    m.blocks.emplace_back(std::move(list));
    m.blocks.emplace_back(related({"formats", "capabilities"}));
    return m;
  }
  const auto* t = book_.find_track(which);
  if (t == nullptr) {
    m.title = "Unknown track";
    add_paragraph(m, "There is no role-specific track called \"" + echo(which) + "\"." +
                         did_you_mean(tracks.items, which) + " Try " + command("tracks") +
                         " with one of: " + ids_of(tracks.items) + ".");
    return m;
  }
  m.title = tracks.title + ": " + t->title;
  m.blocks.emplace_back(im::field_list{{{"Focus", t->focus}}});
  add_paragraph(m, tracks.intro);
  im::bullet_list others;
  for (const auto& other : tracks.items)
    if (&other != t) others.items.push_back({lead_in(other.title), other.focus});
  if (!others.items.empty()) {
    m.blocks.emplace_back(im::heading{"The other tracks"});
    m.blocks.emplace_back(std::move(others));
  }
  m.blocks.emplace_back(related({"formats", "capabilities"}));
  return m;
}

im::message answer_composer::invest() const {
  im::message m;
  const auto& inv = book_.invest;
  m.title = inv.title;
  add_paragraph(m, inv.intro);
  m.blocks.emplace_back(im::heading{inv.invest_when_title});
  m.blocks.emplace_back(plain_items(inv.invest_when));
  m.blocks.emplace_back(im::heading{inv.avoid_when_title});
  m.blocks.emplace_back(plain_items(inv.avoid_when));
  m.blocks.emplace_back(related({"failures", "types"}));
  return m;
}

im::message answer_composer::failures() const {
  auto m = section_answer(book_.failure_modes);
  m.blocks.emplace_back(related({"red-flags", "formats"}));
  return m;
}

im::message answer_composer::takeaways() const {
  im::message m;
  m.title = book_.closing.title;
  for (const auto& p : book_.closing.paragraphs) add_paragraph(m, p);
  m.blocks.emplace_back(related({"criteria", "red-flags", "questions"}));
  return m;
}

im::message answer_composer::about() const {
  im::message m;
  const auto& intro = book_.intro;
  m.title = book_.title;
  for (const auto& p : intro.paragraphs) add_paragraph(m, p);
  m.blocks.emplace_back(im::heading{intro.covers_title});
  m.blocks.emplace_back(plain_items(intro.covers));
  m.blocks.emplace_back(im::heading{intro.does_not_cover_title});
  m.blocks.emplace_back(plain_items(intro.does_not_cover));
  m.blocks.emplace_back(related({"help"}));
  return m;
}

im::message answer_composer::search(const std::string& words) const {
  im::message m;
  if (words.empty()) {
    m.title = "Search the playbook";
    add_paragraph(m, "Usage: " + command("search") + " <words>, for example " +
                         command("search evaluation frameworks") + ".");
    return m;
  }
  m.title = "Playbook passages for \"" + echo(words) + "\"";
  const auto hits = index_.search(words, search_results);
  if (hits.empty()) {
    add_paragraph(m, "Nothing in the playbook matches those words. Try other words, or " +
                         command("help") + " for the subcommands.");
    return m;
  }
  for (const auto& hit : hits) {
    const auto& p = *hit.match;
    std::string text = p.label.empty() ? p.text : lead_in(p.label) + " " + p.text;
    m.blocks.emplace_back(im::quote{std::move(text), p.section + " \xC2\xB7 " + command(p.topic), {}});
  }
  return m;
}

im::message answer_composer::review(const std::string& proposal, bool* failed) const {
  if (proposal.empty()) {
    im::message m;
    m.title = "Review a proposal";
    add_paragraph(m, "Usage: " + command("review") +
                         " followed by the proposal's text (paste it whole; line breaks help).");
    m.blocks.emplace_back(im::context_line{
        "For PDF or DOCX proposals: playbook-bot review FILE on any machine with the bot."});
    return m;
  }
  auto r = knowledge::review_text(proposal, book_, limits_);
  if (!r) {
    if (failed != nullptr) *failed = true;
    im::message m;
    m.title = "Could not review this text";
    add_paragraph(m, r.error().message);
    return m;
  }
  if (where_ != surface::terminal) metrics::review("chat", r->verdict);
  review_layout layout;
  if (where_ != surface::terminal) {
    layout.compact = true;
    layout.max_flags = 9;
    layout.max_questions = 6;
    layout.full_review_hint = "playbook-bot review FILE --format markdown";
  }
  return review_message(*r, layout);
}

im::message answer_composer::no_decisions_here(const parsed_command& cmd) const {
  im::message m;
  m.title = "Decisions are answered in chat";
  add_paragraph(m, command(info(cmd.what).name) +
                       " reads and records vendor decisions, which live in the service's database; "
                       "it is answered in chat, or on the server with playbook-bot decisions.");
  return m;
}

im::message answer_composer::unknown(const parsed_command& cmd) const {
  im::message m;
  std::string text = "\"" + echo(cmd.unknown_word) + "\" is not a subcommand.";
  if (cmd.suggestion) text += " Did you mean " + command(info(*cmd.suggestion).name) + "?";
  add_paragraph(m, text);
  m.blocks.emplace_back(im::context_line{"All subcommands: " + command("help") +
                                         "  \xC2\xB7  Search the playbook: " +
                                         command("search " + echo(cmd.argument))});
  return m;
}

}  // namespace bot
