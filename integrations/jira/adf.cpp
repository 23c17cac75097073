#include "integrations/jira/adf.hpp"

#include "integrations/tickets/text.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <string_view>

namespace integrations::jira {
namespace json = boost::json;
using tickets::inert_text;

namespace {

constexpr std::string_view ellipsis = "\xE2\x80\xA6";

json::object node(std::string_view type, json::array content) {
  return {{"type", type}, {"content", std::move(content)}};
}

// Text nodes for one run of text: ADF text may not be empty or hold a line break, so lines become
// text nodes separated by hardBreak nodes.
void add_text(json::array& into, std::string_view text, std::string_view mark = {}) {
  const std::string inert = inert_text(text);
  std::string_view rest = inert;
  bool first = true;
  while (true) {
    const auto nl = rest.find('\n');
    const auto line = rest.substr(0, nl);
    if (!first) into.emplace_back(json::object{{"type", "hardBreak"}});
    first = false;
    if (!line.empty()) {
      json::object t{{"type", "text"}, {"text", line}};
      if (!mark.empty()) t["marks"] = json::array{json::object{{"type", mark}}};
      into.emplace_back(std::move(t));
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
}

json::object para(std::string_view text, std::string_view mark = {}) {
  json::array content;
  add_text(content, text, mark);
  return node("paragraph", std::move(content));
}

json::object heading_node(std::string_view text, int level) {
  json::array content;
  std::string one_line = inert_text(text);
  for (auto& c : one_line)
    if (c == '\n') c = ' ';
  add_text(content, one_line);
  json::object h = node("heading", std::move(content));
  h["attrs"] = json::object{{"level", level}};
  return h;
}

json::object list_item(json::array paragraph_content) {
  return node("listItem", json::array{node("paragraph", std::move(paragraph_content))});
}

struct block_renderer {
  json::object operator()(const paragraph& p) const { return para(p.text); }

  json::object operator()(const heading& h) const { return heading_node(h.text, 4); }

  json::object operator()(const bullet_list& list) const {
    json::array items;
    for (const auto& item : list.items) {
      json::array content;
      if (!item.label.empty()) {
        add_text(content, item.label, list.code_labels ? "code" : "strong");
        if (!item.text.empty()) add_text(content, " ");
      }
      add_text(content, item.text);
      items.emplace_back(list_item(std::move(content)));
    }
    return node(list.numbered ? "orderedList" : "bulletList", std::move(items));
  }

  json::object operator()(const field_list& fields) const {
    json::array items;
    for (const auto& f : fields.items) {
      json::array content;
      add_text(content, f.label + ":", "strong");
      if (f.value.find('\n') == std::string::npos) {
        add_text(content, " " + f.value);
        items.emplace_back(list_item(std::move(content)));
        continue;
      }
      // Several lines are several values: a list under the label.
      json::array values;
      std::string_view rest = f.value;
      while (true) {
        const auto nl = rest.find('\n');
        json::array v;
        add_text(v, rest.substr(0, nl));
        values.emplace_back(list_item(std::move(v)));
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
      items.emplace_back(node("listItem", json::array{node("paragraph", std::move(content)),
                                                      node("bulletList", std::move(values))}));
    }
    return node("bulletList", std::move(items));
  }

  json::object operator()(const table& t) const {
    const auto row = [&](const std::vector<std::string>& cells, std::string_view cell_type) {
      json::array out;
      for (std::size_t i = 0; i < t.header.size(); ++i) {
        json::array text;
        if (i < cells.size()) add_text(text, cells[i]);
        out.emplace_back(node(cell_type, json::array{node("paragraph", std::move(text))}));
      }
      return node("tableRow", std::move(out));
    };
    json::array rows;
    rows.emplace_back(row(t.header, "tableHeader"));
    for (const auto& r : t.rows) rows.emplace_back(row(r, "tableCell"));
    json::object out = node("table", std::move(rows));
    out["attrs"] = json::object{{"isNumberColumnEnabled", false}, {"layout", "default"}};
    return out;
  }

  json::object operator()(const quote& q) const {
    json::array text;
    for (const auto& piece : pieces(q)) add_text(text, piece.text, piece.marked ? "strong" : "");
    json::array content{node("paragraph", std::move(text))};
    if (!q.source.empty()) content.emplace_back(para("\xE2\x80\x94 " + q.source, "em"));  // —
    return node("blockquote", std::move(content));
  }

  json::object operator()(const context_line& c) const { return para(c.text, "em"); }

  // Buttons cannot act in a comment, and their addresses would be links: labels only.
  json::object operator()(const button_row& row) const {
    json::array content;
    for (const auto& b : row.items) {
      if (!content.empty()) add_text(content, " \xC2\xB7 ");  // ·
      add_text(content, b.label, "strong");
    }
    return node("paragraph", std::move(content));
  }

  json::object operator()(const divider&) const { return {{"type", "rule"}}; }
};

std::size_t json_size(const json::value& v) { return json::serialize(v).size(); }

// Cuts a text node's text so the node serialises to at most budget bytes; false when nothing
// would be left. JSON doubles '"' and '\\'; control characters were dropped before.
bool cut_text(json::object& t, std::size_t budget) {
  const std::string_view text = t.at("text").as_string();
  const std::size_t overhead = json_size(t) - json_size(json::string(text));
  if (budget < overhead + 2 + ellipsis.size() + 1) return false;
  const std::size_t room = budget - overhead - 2 - ellipsis.size();
  std::size_t used = 0, at = 0;
  while (at < text.size()) {
    const char c = text[at];
    const std::size_t cost = c == '"' || c == '\\' ? 2 : 1;
    if (used + cost > room) break;
    used += cost;
    ++at;
  }
  const std::string_view kept = tickets::utf8_prefix(text, at);
  if (kept.empty()) return false;
  t["text"] = std::string(kept) + std::string(ellipsis);
  return true;
}

// Makes node serialise to at most budget bytes by removing content from its end (and cutting
// the last text); false when nothing meaningful would be left (the caller drops it). Table rows
// are removed whole: a row with fewer cells than its header would be invalid.
bool shrink(json::object& n, std::size_t budget) {
  std::size_t total = json_size(n);
  if (total <= budget) return true;
  const std::string_view type = n.at("type").as_string();
  if (type == "text") return cut_text(n, budget);
  auto* content = n.if_contains("content");
  if (content == nullptr || !content->is_array() || type == "tableRow" || type == "tableCell" ||
      type == "tableHeader")
    return false;
  auto& items = content->as_array();
  const bool table = type == "table";
  while (!items.empty()) {
    const std::size_t comma = items.size() > 1 ? 1 : 0;
    const std::size_t child = json_size(items.back()) + comma;
    const std::size_t rest = total - child;
    if (!table && rest + comma < budget && items.back().is_object() &&
        shrink(items.back().as_object(), budget - rest - comma))
      return true;
    items.pop_back();
    total = rest;
    if (total <= budget) return !items.empty();
  }
  return false;
}

}  // namespace

std::string render_adf(const message& m, std::size_t limit) {
  const block_renderer r;
  std::vector<json::object> nodes;
  nodes.reserve(m.blocks.size() + m.details.size());
  for (const auto& b : m.blocks) nodes.push_back(std::visit(r, b));
  for (const auto& b : m.details) nodes.push_back(std::visit(r, b));
  std::vector<std::string> pieces;
  pieces.reserve(nodes.size());
  for (const auto& n : nodes) pieces.push_back(json::serialize(n));

  constexpr std::string_view doc_open = R"({"type":"doc","version":1,"content":[)";
  constexpr std::string_view doc_close = "]}";
  std::string head(doc_open);
  if (!m.title.empty())
    head += json::serialize(heading_node(tickets::utf8_prefix(m.title, 300), 3));
  std::string title = inert_text(tickets::utf8_prefix(details_title(m), 200));
  for (auto& c : title)
    if (c == '\n') c = ' ';
  const std::string expand_open =
      R"(,{"type":"expand","attrs":{"title":)" + json::serialize(json::string(title)) + R"(},"content":[)";
  constexpr std::string_view expand_close = "]}";

  // Every piece is counted with a comma before it, one more than needed for the first piece of
  // the expand (and of the document when there is no title): never over, at most 2 bytes short.
  tickets::fit_input in;
  in.fixed = head.size() + doc_close.size();
  for (const auto& p : pieces) in.pieces.push_back(1 + p.size());
  in.body_count = m.blocks.size();
  in.details_frame = expand_open.size() + expand_close.size();
  in.note = 1 + json::serialize(para(tickets::longest_note(pieces.size()), "em")).size();
  const auto plan = tickets::plan_fit(in, limit);
  if (!plan.fits) return std::string(doc_open) + std::string(doc_close);

  auto shown_plan = plan;
  std::vector<std::string> body, details;
  for (std::size_t i = 0; i < plan.kept + (plan.cut_budget > 0 ? 1 : 0); ++i) {
    auto& into = i < m.blocks.size() ? body : details;
    if (i < plan.kept) {
      into.push_back(std::move(pieces[i]));
    } else if (shrink(nodes[i], plan.cut_budget - 1)) {
      into.push_back(json::serialize(nodes[i]));
    } else {
      shown_plan.cut_budget = 0;
      ++shown_plan.left_out;
    }
  }
  std::string out = std::move(head);
  const auto add = [](std::string& to, std::string_view piece) {
    if (to.back() != '[') to += ',';
    to += piece;
  };
  for (const auto& p : body) add(out, p);
  if (!details.empty()) {
    add(out, std::string_view(expand_open).substr(1));  // without its comma: add() puts one
    for (const auto& p : details) add(out, p);
    out += expand_close;
  }
  if (shown_plan.shortened())
    add(out, json::serialize(para(tickets::shortened_note(shown_plan, pieces.size()), "em")));
  out += doc_close;
  return out;
}

}  // namespace integrations::jira
