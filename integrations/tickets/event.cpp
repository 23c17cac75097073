#include "integrations/tickets/event.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace integrations::tickets {

std::string_view name_of(tracker t) {
  switch (t) {
    case tracker::jira:
      return "jira";
    case tracker::github:
      return "github";
    case tracker::gitlab:
      return "gitlab";
  }
  return "unknown";
}

std::optional<tracker> tracker_from_name(std::string_view name) {
  for (const auto t : {tracker::jira, tracker::github, tracker::gitlab})
    if (name == name_of(t)) return t;
  return std::nullopt;
}

std::string ticket::key() const {
  // A Jira issue key already names its project ("PROC-12"); GitHub and GitLab numbers are only
  // unique within a project, so the project path goes in front, as both write cross-references.
  if (system == tracker::jira) return number;
  return project + "#" + number;
}

std::string to_json(const ticket& t) {
  boost::json::object o;
  o["system"] = name_of(t.system);
  o["project"] = t.project;
  o["project_id"] = t.project_id;
  o["number"] = t.number;
  o["url"] = t.url;
  return boost::json::serialize(o);
}

namespace {

// A string member, nullptr when absent; sets *bad when present but not a string.
const boost::json::string* string_field(const boost::json::object& o, std::string_view name, bool* bad) {
  const auto* v = o.if_contains(name);
  if (v == nullptr) return nullptr;
  if (!v->is_string()) {
    *bad = true;
    return nullptr;
  }
  return &v->get_string();
}

}  // namespace

result<ticket> ticket_from_json(std::string_view text) {
  boost::system::error_code ec;
  const auto doc = boost::json::parse(text, ec);
  if (ec || !doc.is_object()) return error{"ticket: not a JSON object"};
  const auto& o = doc.get_object();
  ticket t;
  bool bad = false;

  const auto* system = string_field(o, "system", &bad);
  if (system == nullptr) return error{"ticket: missing or malformed field system"};
  const auto which = tracker_from_name(*system);
  if (!which) return error{"ticket: unknown system \"" + std::string(*system) + "\""};
  t.system = *which;

  const auto* project = string_field(o, "project", &bad);
  if (project == nullptr) return error{"ticket: missing or malformed field project"};
  t.project = *project;

  const auto* number = string_field(o, "number", &bad);
  if (number == nullptr || number->empty()) return error{"ticket: missing or malformed field number"};
  t.number = *number;

  if (const auto* id = string_field(o, "project_id", &bad)) t.project_id = *id;
  if (bad) return error{"ticket: malformed field project_id"};
  if (const auto* url = string_field(o, "url", &bad)) t.url = *url;
  if (bad) return error{"ticket: malformed field url"};
  return t;
}

}  // namespace integrations::tickets
