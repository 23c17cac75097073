#include "integrations/tickets/markdown.hpp"

#include "integrations/tickets/text.hpp"

#include <cctype>

namespace integrations::tickets {
namespace {

// What a proposal could use, and how each is defused. GitHub renders comments with cmark-gfm and
// then links @user, @org/team, #123, GH-123 and owner/repo#123 in the resulting text; GitLab
// (GLFM) does the same for @user, @group, #123, !123 (merge requests), ~label, %milestone,
// $snippet, &epic and more. Both filters run after Markdown, on the text the reader sees, so a
// backslash alone does not stop them: a word joiner after the sigil does ("@\u2060user" is not a
// mention and reads the same). HTML (<!--, <details>, <img>, <script>) cannot start without '<',
// so < > & become entities (& too: "&#64;" would otherwise turn back into '@'). Links and images
// need [ ] or <...>, which are escaped; bare addresses are split by inert_text. Everything else
// that Markdown reads as structure (emphasis, code, tables, strike-through, GitLab's {+ +} diffs
// and $ math) is backslash-escaped, and line starts cannot open a heading, list, quote, code block
// or thematic break. Commit SHAs are still linked by GitHub when they name a commit of the same
// repository: that link goes nowhere a proposal chooses, so it is left alone.
bool is_sigil(char c) {
  return c == '@' || c == '#' || c == '!' || c == '~' || c == '%' || c == '$' || c == '&' || c == '^';
}

// Whether a sigil followed by c would start a reference: "@bob", "#12", ~"two words", "&3".
bool starts_reference(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '"' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool needs_backslash(char c) {
  switch (c) {
    case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~': case '{':
    case '}': case '$': case '#': case '!':
      return true;
    default:
      return false;
  }
}

bool starts_with_icase(std::string_view s, std::size_t at, std::string_view word) {
  if (s.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[at + i])) != word[i]) return false;
  return true;
}

// After line[i] has been written to out: a word joiner when line[i] starts a mention or a
// reference ("@bob", "#12", "!3", ~"label"), or ends the "GH-" of GitHub's "GH-123".
void defuse_reference(std::string& out, std::string_view line, std::size_t i) {
  const char c = line[i];
  if (is_sigil(c) && i + 1 < line.size() && starts_reference(line[i + 1])) out += word_joiner;
  if (c == '-' && i >= 2 && starts_with_icase(line, i - 2, "GH-") &&
      (i < 3 || !std::isalnum(static_cast<unsigned char>(line[i - 3]))))
    out += word_joiner;
}

// One line of already inert text, escaped; at_line_start when it begins a Markdown line.
void escape_line(std::string& out, std::string_view line, bool at_line_start) {
  if (at_line_start) {
    // Four spaces would open a code block; a leading space is not worth keeping.
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty() && (line.front() == '-' || line.front() == '+' || line.front() == '=' ||
                          line.front() == '>' || line.front() == '<')) {
      // "- x", "+ x" lists, "===" setext underlines; > and < are entities below anyway.
      if (line.front() == '-' || line.front() == '+' || line.front() == '=') {
        out += '\\';
        out += line.front();
        line.remove_prefix(1);
      }
    } else {
      // "1. x" and "1) x" start ordered lists.
      std::size_t d = 0;
      while (d < line.size() && d < 10 && std::isdigit(static_cast<unsigned char>(line[d]))) ++d;
      if (d > 0 && d < line.size() && (line[d] == '.' || line[d] == ')')) {
        out.append(line.substr(0, d));
        out += '\\';
        out += line[d];
        line.remove_prefix(d + 1);
      }
    }
  }
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else {
      if (needs_backslash(c)) out += '\\';
      out += c;
    }
    defuse_reference(out, line, i);
  }
}

// Inert, escaped text whose lines are joined with `joiner` (which the caller chose so the lines
// stay inside their block: "\n" in a paragraph, "\n> " in a quote, " " in a table cell).
std::string md(std::string_view text, std::string_view joiner = "\n", bool first_at_line_start = true) {
  const std::string inert = inert_text(text);
  std::string out;
  out.reserve(inert.size() + inert.size() / 8);
  std::string_view rest = inert;
  bool first = true;
  while (true) {
    const auto nl = rest.find('\n');
    const auto line = rest.substr(0, nl);
    if (!first) out += joiner;
    escape_line(out, line, first ? first_at_line_start : joiner.find('\n') != std::string_view::npos);
    first = false;
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return out;
}

// Text inside raw HTML (the <summary>): a backslash would show there, so everything that could
// be markup becomes an entity (which reads as the character whether or not a renderer looks for
// Markdown inside), plus the word joiners that keep mentions and references from being linked.
std::string html(std::string_view text) {
  const std::string inert = inert_text(text);
  std::string out;
  for (std::size_t i = 0; i < inert.size(); ++i) {
    const char c = inert[i];
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += ' '; break;
      default:
        if (needs_backslash(c) || c == '(' || c == ')') {
          constexpr std::string_view hex = "0123456789ABCDEF";
          const auto u = static_cast<unsigned char>(c);
          out += "&#x";
          out += hex[u >> 4];
          out += hex[u & 0xF];
          out += ';';
        } else {
          out += c;
        }
    }
    defuse_reference(out, inert, i);
  }
  return out;
}

struct block_renderer {
  std::string operator()(const paragraph& p) const { return md(p.text, "\n"); }

  std::string operator()(const heading& h) const { return "#### " + md(h.text, " ", false); }

  std::string operator()(const bullet_list& list) const {
    std::string out;
    int n = 0;
    for (const auto& item : list.items) {
      if (!out.empty()) out += '\n';
      out += list.numbered ? std::to_string(++n) + ". " : std::string("- ");
      if (!item.label.empty()) {
        // Code labels are bold too: inside a code span escapes would show, and the text must
        // be escaped like any other.
        out += "**" + md(item.label, " ", false) + "**";
        if (!item.text.empty()) out += ' ';
      }
      // Continuation lines indented under the item so they stay in it.
      out += md(item.text, list.numbered ? "\n   " : "\n  ", false);
    }
    return out;
  }

  std::string operator()(const field_list& fields) const {
    std::string out;
    for (const auto& f : fields.items) {
      if (!out.empty()) out += '\n';
      out += "- **" + md(f.label, " ", false) + ":**";
      if (f.value.find('\n') == std::string::npos) {
        out += " " + md(f.value, " ", false);
        continue;
      }
      std::string_view rest = f.value;
      while (true) {
        const auto nl = rest.find('\n');
        out += "\n  - " + md(rest.substr(0, nl), " ", false);
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
    }
    return out;
  }

  std::string operator()(const table& t) const {
    if (t.header.empty()) return {};
    std::string out = "|";
    for (const auto& h : t.header) out += " " + md(h, " ", false) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < t.header.size(); ++i) out += " --- |";
    for (const auto& row : t.rows) {
      out += "\n|";
      for (std::size_t i = 0; i < t.header.size(); ++i)
        out += " " + (i < row.size() ? md(row[i], " ", false) : std::string()) + " |";
    }
    return out;
  }

  std::string operator()(const quote& q) const {
    std::string out = "> ";
    for (const auto& piece : pieces(q)) {
      const std::string text = md(piece.text, "\n> ", out.ends_with("> "));
      if (piece.marked && !text.empty()) out += "**" + text + "**";
      else out += text;
    }
    if (!q.source.empty()) out += "\n> \xE2\x80\x94 _" + md(q.source, " ", false) + "_";  // —
    return out;
  }

  std::string operator()(const context_line& c) const { return "_" + md(c.text, " ", false) + "_"; }

  // Buttons cannot act in a comment, and their addresses would be links: labels only.
  std::string operator()(const button_row& row) const {
    std::string out;
    for (const auto& b : row.items) {
      if (!out.empty()) out += " \xC2\xB7 ";  // ·
      out += "**" + md(b.label, " ", false) + "**";
    }
    return out;
  }

  std::string operator()(const divider&) const { return "---"; }
};

// A prefix of rendered Markdown of at most max bytes: at a line break when one is in the second
// half, else at a character boundary that does not split an entity or leave an escaping backslash
// (or a word joiner's sigil) at the end.
std::string cut_markdown(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  constexpr std::string_view ellipsis = "\xE2\x80\xA6";
  if (max < ellipsis.size()) return {};
  std::string_view window = utf8_prefix(s, max);
  const auto nl = window.rfind('\n');
  if (nl != std::string_view::npos && nl >= max / 2) return std::string(window.substr(0, nl));
  window = utf8_prefix(s, max - ellipsis.size());
  const auto amp = window.rfind('&');
  if (amp != std::string_view::npos && window.find(';', amp) == std::string_view::npos)
    window = window.substr(0, amp);
  std::size_t slashes = 0;
  while (slashes < window.size() && window[window.size() - 1 - slashes] == '\\') ++slashes;
  if (slashes % 2 == 1) window.remove_suffix(1);
  return std::string(window) + std::string(ellipsis);
}

}  // namespace

std::string escape_markdown(std::string_view text) { return md(text); }

std::string render_markdown(const message& m, std::size_t limit) {
  const block_renderer r;
  std::string head(review_marker);
  if (!m.title.empty()) head += "\n### " + md(std::string(utf8_prefix(m.title, 300)), " ", false);

  std::vector<std::string> pieces;
  pieces.reserve(m.blocks.size() + m.details.size());
  for (const auto& b : m.blocks) pieces.push_back(std::visit(r, b));
  for (const auto& b : m.details) pieces.push_back(std::visit(r, b));

  // The blank lines around the details' content let GitHub and GitLab read Markdown inside it.
  const std::string open = "\n\n<details>\n<summary>" + html(details_title(m)) + "</summary>";
  const std::string close = "\n\n</details>";

  fit_input in;
  in.fixed = head.size();
  for (const auto& p : pieces) in.pieces.push_back(2 + p.size());
  in.body_count = m.blocks.size();
  in.details_frame = open.size() + close.size();
  const std::string longest = "_" + md(longest_note(pieces.size()), " ", false) + "_";
  in.note = 2 + longest.size();
  const fit_plan plan = plan_fit(in, limit);
  if (!plan.fits)
    return review_marker.size() <= limit ? std::string(review_marker) : std::string();

  std::string out = std::move(head);
  const std::size_t shown = plan.kept + (plan.cut_budget > 0 ? 1 : 0);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i == m.blocks.size()) out += open;
    out += "\n\n";
    out += i < plan.kept ? pieces[i] : cut_markdown(pieces[i], plan.cut_budget - 2);
  }
  if (shown > m.blocks.size()) out += close;
  if (plan.shortened()) out += "\n\n_" + md(shortened_note(plan, pieces.size()), " ", false) + "_";
  return out;
}

}  // namespace integrations::tickets
