#include "integrations/jira/wiki.hpp"

#include "integrations/tickets/text.hpp"

#include <cctype>

namespace integrations::jira {
namespace {

using tickets::inert_text;
using tickets::word_joiner;

// How a proposal's text is kept from acting. Inline, Jira's renderer reads * _ ? - + ^ ~ as
// text effects, {...} as macros ({panel}, {color}, {html} where enabled), [...] as links and
// [~user] as mentions, !x! as images, | as table cells and (y) :) as emoticon images; a
// backslash before any of these shows it as written, so inline text is backslash-escaped. A
// backslash itself cannot be escaped (two make a line break), so it is shown as the look-alike
// U+29F5. Line starts that open a block (h1. bq. * # - | ----) are escaped or split with a word
// joiner, and bare addresses are split by inert_text. Quotes go in {noformat}: the one place
// where Jira reads no markup at all, so a sentence of a proposal shows exactly as written,
// backslashes and all, and only the macro's own end tag has to be defused.
bool needs_backslash(char c) {
  switch (c) {
    case '*': case '_': case '-': case '+': case '^': case '~': case '{': case '}': case '[':
    case ']': case '|': case '!':
      return true;
    default:
      return false;
  }
}

// Whether rest (the text after a '(') is the inside of an emoticon and its ')': "y)", "on)", "*r)".
bool emoticon_in_parentheses(std::string_view rest) {
  std::size_t n = 0;
  while (n < rest.size() && n < 8 &&
         (std::islower(static_cast<unsigned char>(rest[n])) ||
          std::string_view("*!?/+-").find(rest[n]) != std::string_view::npos))
    ++n;
  return n > 0 && n < rest.size() && rest[n] == ')';
}

constexpr std::string_view backslash_lookalike = "\xE2\xA7\xB5";  // U+29F5 REVERSE SOLIDUS OPERATOR

void escape_line(std::string& out, std::string_view line, bool at_line_start) {
  if (at_line_start) {
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    const bool heading = line.size() >= 3 && (line[0] == 'h' || line[0] == 'H') && line[1] >= '1' &&
                         line[1] <= '6' && line[2] == '.';
    const bool bq = line.size() >= 3 && (line[0] == 'b' || line[0] == 'B') &&
                    (line[1] == 'q' || line[1] == 'Q') && line[2] == '.';
    if (heading || bq) out += word_joiner;
    if (!line.empty() && line.front() == '#') {
      out += "\\#";
      line.remove_prefix(1);
    }
  }
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\\') {
      out += backslash_lookalike;
      continue;
    }
    if (needs_backslash(c) || (c == '?' && i + 1 < line.size() && line[i + 1] == '?')) out += '\\';
    out += c;
    // Emoticons are images: (y) (!) (on) (flagoff) (*r), and :) :( :P :D ;).
    if (c == '(' && emoticon_in_parentheses(line.substr(i + 1))) out += word_joiner;
    if ((c == ':' || c == ';') && i + 1 < line.size() &&
        std::string_view(")(PpDd").find(line[i + 1]) != std::string_view::npos &&
        (i + 2 == line.size() || !std::isalnum(static_cast<unsigned char>(line[i + 2]))))
      out += word_joiner;
  }
}

// Inert, escaped text; lines joined with `joiner` ("\n" in a paragraph, " " where a line break
// would end the block: list items, table cells, headings).
std::string wiki(std::string_view text, std::string_view joiner = "\n", bool at_line_start = false) {
  const std::string inert = inert_text(text);
  std::string out;
  out.reserve(inert.size() + inert.size() / 8);
  std::string_view rest = inert;
  bool first = true;
  while (true) {
    const auto nl = rest.find('\n');
    if (!first) out += joiner;
    escape_line(out, rest.substr(0, nl), first ? at_line_start : joiner == "\n");
    first = false;
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return out;
}

// Text inside {noformat}: shown as written; only "{noformat}" would end the block, so every '{'
// that starts a word is split from it.
std::string noformat(std::string_view text) {
  const std::string inert = inert_text(text);
  std::string out = "{noformat}\n";
  for (std::size_t i = 0; i < inert.size(); ++i) {
    out += inert[i];
    if (inert[i] == '{' && i + 1 < inert.size() && inert[i + 1] != ' ') out += word_joiner;
  }
  return out + "\n{noformat}";
}

// A table cell may not be empty ("||" would start a header cell).
std::string cell(std::string_view text) {
  std::string out = wiki(text, " ");
  return out.empty() ? " " : out;
}

std::string strong(std::string_view text) {
  const std::string inner = wiki(text, " ");
  return inner.empty() ? std::string() : "*" + inner + "*";
}

struct block_renderer {
  std::string operator()(const paragraph& p) const { return wiki(p.text, "\n", true); }

  std::string operator()(const heading& h) const { return "h4. " + wiki(h.text, " "); }

  std::string operator()(const bullet_list& list) const {
    std::string out;
    for (const auto& item : list.items) {
      if (!out.empty()) out += '\n';
      out += list.numbered ? "# " : "* ";
      // {{code}} would not show escapes as written: code labels are bold like the others.
      const std::string label = strong(item.label);
      out += label;
      if (!label.empty() && !item.text.empty()) out += ' ';
      out += wiki(item.text, " ");
    }
    return out;
  }

  std::string operator()(const field_list& fields) const {
    std::string out;
    for (const auto& f : fields.items) {
      if (!out.empty()) out += '\n';
      out += "* " + strong(f.label + ":");
      if (f.value.find('\n') == std::string::npos) {
        out += " " + wiki(f.value, " ");
        continue;
      }
      std::string_view rest = f.value;
      while (true) {
        const auto nl = rest.find('\n');
        out += "\n** " + wiki(rest.substr(0, nl), " ");
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
    }
    return out;
  }

  std::string operator()(const table& t) const {
    if (t.header.empty()) return {};
    std::string out = "||";
    for (const auto& h : t.header) out += cell(h) + "||";
    for (const auto& row : t.rows) {
      out += "\n|";
      for (std::size_t i = 0; i < t.header.size(); ++i)
        out += cell(i < row.size() ? std::string_view(row[i]) : std::string_view()) + "|";
    }
    return out;
  }

  // Marks (search highlights) cannot be shown inside {noformat}; quotes in tickets have none.
  std::string operator()(const quote& q) const {
    std::string out = noformat(q.text);
    if (!q.source.empty()) out += "\n_\xE2\x80\x94 " + wiki(q.source, " ") + "_";  // —
    return out;
  }

  std::string operator()(const context_line& c) const {
    const std::string text = wiki(c.text, " ");
    return text.empty() ? std::string() : "_" + text + "_";
  }

  // Buttons cannot act in a comment, and their addresses would be links: labels only.
  std::string operator()(const button_row& row) const {
    std::string out;
    for (const auto& b : row.items) {
      if (!out.empty()) out += " \xC2\xB7 ";  // ·
      out += strong(b.label);
    }
    return out;
  }

  std::string operator()(const divider&) const { return "----"; }
};

std::size_t count(std::string_view s, std::string_view what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string_view::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

// A prefix of rendered wiki markup of at most max bytes: at a line break when one is in the
// second half, else at a character boundary that leaves no escaping backslash or half a macro
// tag at the end; a {noformat} left open is closed (its 11 bytes are kept free for that).
std::string cut_wiki(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  constexpr std::string_view close = "\n{noformat}";
  constexpr std::string_view ellipsis = "\xE2\x80\xA6";
  if (max < close.size() + ellipsis.size()) return {};
  const std::size_t room = max - close.size();
  std::string_view window = tickets::utf8_prefix(s, room);
  std::string out;
  const auto nl = window.rfind('\n');
  if (nl != std::string_view::npos && nl >= room / 2) {
    out = std::string(window.substr(0, nl));
  } else {
    window = tickets::utf8_prefix(s, room - ellipsis.size());
    const auto brace = window.rfind('{');
    if (brace != std::string_view::npos && window.find('}', brace) == std::string_view::npos &&
        (brace == 0 || window[brace - 1] != '\\'))
      window = window.substr(0, brace);
    if (!window.empty() && window.back() == '\\') window.remove_suffix(1);
    out = std::string(window) + std::string(ellipsis);
  }
  if (count(out, "{noformat}") % 2 == 1) out += close;
  return out;
}

std::string panel_title(std::string_view text) {
  // Macro parameters end at | or }, and { would open another macro: none of them in a title.
  std::string out;
  for (char c : inert_text(tickets::utf8_prefix(text, 200))) {
    if (c == '|' || c == '{' || c == '}' || c == '[' || c == ']' || c == '\n') c = ' ';
    out += c;
  }
  return out;
}

}  // namespace

std::string escape_wiki(std::string_view text) { return wiki(text, "\n", true); }

std::string render_wiki(const message& m, std::size_t limit) {
  const block_renderer r;
  std::string head;
  if (!m.title.empty()) head = "h3. " + wiki(tickets::utf8_prefix(m.title, 300), " ");

  std::vector<std::string> pieces;
  pieces.reserve(m.blocks.size() + m.details.size());
  for (const auto& b : m.blocks) pieces.push_back(std::visit(r, b));
  for (const auto& b : m.details) pieces.push_back(std::visit(r, b));

  const std::string open = "\n\n{panel:title=" + panel_title(details_title(m)) + "}";
  const std::string close = "\n{panel}";

  // Every piece is counted with the blank line before it (one too many for the first when there
  // is no title or inside the panel): never over.
  tickets::fit_input in;
  in.fixed = head.size();
  for (const auto& p : pieces) in.pieces.push_back(2 + p.size());
  in.body_count = m.blocks.size();
  in.details_frame = open.size() + close.size();
  in.note = 2 + 2 + wiki(tickets::longest_note(pieces.size()), " ").size();
  const auto plan = tickets::plan_fit(in, limit);
  if (!plan.fits) return {};

  std::string out = std::move(head);
  const auto add = [](std::string& to, std::string_view piece) {
    if (piece.empty()) return;
    if (!to.empty()) to += "\n\n";
    to += piece;
  };
  std::string details;
  for (std::size_t i = 0; i < plan.kept + (plan.cut_budget > 0 ? 1 : 0); ++i) {
    std::string piece = i < plan.kept ? std::move(pieces[i]) : cut_wiki(pieces[i], plan.cut_budget - 2);
    if (i < m.blocks.size()) add(out, piece);
    else add(details, piece);
  }
  if (!details.empty()) {
    out += open.substr(out.empty() ? 2 : 0);
    out += '\n' + details + close;
  }
  if (plan.shortened()) add(out, "_" + wiki(tickets::shortened_note(plan, pieces.size()), " ") + "_");
  return out;
}

}  // namespace integrations::jira
