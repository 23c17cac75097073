#include "knowledge/review_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>

namespace knowledge {
namespace json = boost::json;
namespace {

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

json::value ratio(const std::optional<double>& v) {
  if (!v) return nullptr;
  return std::round(*v * 1000) / 1000;
}

json::array evidence_array(const std::vector<evidence_entry>& items) {
  json::array out;
  for (const auto& e : items) {
    json::object o{{"quote", e.quote}, {"line", e.line}};
    o["page"] = e.page == 0 ? json::value(nullptr) : json::value(e.page);
    o["section"] = e.section.empty() ? json::value(nullptr) : json::value(e.section);
    out.emplace_back(std::move(o));
  }
  return out;
}

void pretty_print(std::string& out, const json::value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (const auto* obj = v.if_object()) {
    if (obj->empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& kv : *obj) {
      if (!first) out += ",\n";
      first = false;
      out += inner + json::serialize(json::string(kv.key())) + ": ";
      pretty_print(out, kv.value(), indent + 1);
    }
    out += "\n" + pad + "}";
  } else if (const auto* arr = v.if_array()) {
    if (arr->empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < arr->size(); ++i) {
      if (i > 0) out += ",\n";
      out += inner;
      pretty_print(out, (*arr)[i], indent + 1);
    }
    out += "\n" + pad + "]";
  } else {
    out += json::serialize(v);
  }
}

}  // namespace

json::object review_to_json(const review& r) {
  json::object out;
  out["schema_version"] = 1;
  out["verdict"] = r.verdict;
  out["score"] = r.score;
  out["score_explanation"] = r.score_explanation;
  json::array steps;
  for (const auto& s : r.score_steps) steps.emplace_back(json::object{{"reason", s.reason}, {"points", s.points}});
  out["score_steps"] = std::move(steps);
  out["category"] = r.category.id;
  out["category_detail"] = json::object{{"type_id", r.category.type_id},
                                        {"name", r.category.name},
                                        {"signals", strings(r.category.signals)},
                                        {"falls_short", strings(r.category.falls_short)},
                                        {"assumed", r.category.assumed}};
  json::array flags;
  for (const auto& f : r.red_flags) {
    json::object o{{"id", f.id},
                   {"severity", f.severity},
                   {"title", f.title},
                   {"why", f.why},
                   {"evidence", evidence_array(f.evidence)}};
    if (!f.looked_for.empty()) o["looked_for"] = f.looked_for;
    if (!f.detail.empty()) o["detail"] = f.detail;
    if (f.share) o["share"] = ratio(f.share);
    flags.emplace_back(std::move(o));
  }
  out["red_flags"] = std::move(flags);
  json::array coverage;
  for (const auto& c : r.coverage) {
    json::object o{{"id", c.id},
                   {"kind", c.kind},
                   {"title", c.title},
                   {"status", c.status},
                   {"found", strings(c.found)},
                   {"missing", strings(c.missing)},
                   {"evidence", evidence_array(c.evidence)}};
    if (c.share) o["share"] = ratio(c.share);
    if (!c.detail.empty()) o["detail"] = c.detail;
    coverage.emplace_back(std::move(o));
  }
  out["coverage"] = std::move(coverage);
  json::array avoid;
  for (const auto& a : r.avoid_signals)
    avoid.emplace_back(json::object{{"id", a.id}, {"text", a.text}, {"evidence", evidence_array(a.evidence)}});
  out["avoid_signals"] = std::move(avoid);
  out["questions"] = strings(r.questions);
  out["basics_share"] = ratio(r.basics_share);
  out["hands_on_share"] = ratio(r.hands_on_share);
  out["document"] = json::object{{"kind", r.document_kind}, {"pages", r.pages}, {"lines", r.lines}};
  return out;
}

std::string review_json_text(const review& r, bool pretty) {
  const json::value v = review_to_json(r);
  if (!pretty) return json::serialize(v);
  std::string out;
  pretty_print(out, v, 0);
  out += '\n';
  return out;
}

}  // namespace knowledge
