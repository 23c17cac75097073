#include "bot/ticket_scope.hpp"

#include "bot/commands.hpp"
#include "bot/decision_command.hpp"

#include <algorithm>

namespace bot {
namespace tk = integrations::tickets;

namespace {

bool same_text(std::string_view a, std::string_view b) { return lowercase(a) == lowercase(b); }

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& x) { return same_text(x, value); });
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view blank = " \t\r*_`>|";
  const auto b = s.find_first_not_of(blank);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(blank) - b + 1);
}

// A usable vendor name, or "" (the same checks as `/playbook vendor NAME`).
std::string usable(std::string_view name) {
  name = trim(name);
  if (name.empty()) return {};
  auto parsed = parse_vendor_name(name, "");
  return parsed ? *parsed : std::string();
}

// "Vendor: Acme", "**Vendor:** Acme", "- Provider name: Acme", "| Supplier | Acme |".
std::string vendor_line(std::string_view body) {
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    line = line.substr(std::min(line.size(), line.find_first_not_of(" \t-*#>|_")));
    const std::string lower = lowercase(line.substr(0, 32));
    for (std::string_view key : {"vendor", "provider", "supplier"}) {
      if (!lower.starts_with(key)) continue;
      std::string_view rest = line.substr(key.size());
      if (lowercase(rest.substr(0, 5)) == " name") rest.remove_prefix(5);
      rest = rest.substr(std::min(rest.size(), rest.find_first_not_of(" *_")));
      if (rest.empty() || (rest.front() != ':' && rest.front() != '|')) continue;
      if (auto name = usable(rest.substr(1)); !name.empty()) return name;
    }
  }
  return {};
}

}  // namespace

ticket_scope scope_of(const settings& s, tk::tracker system) {
  switch (system) {
    case tk::tracker::jira:
      return {s.jira_projects, s.jira_issue_types, s.jira_labels};
    case tk::tracker::github:
      return {s.github_repositories, {}, s.github_labels};
    case tk::tracker::gitlab:
      return {s.gitlab_projects, {}, s.gitlab_labels};
  }
  return {};
}

bool project_in_scope(const ticket_scope& scope, const tk::ticket_event& e) {
  if (!scope.projects.empty() && !listed(scope.projects, e.where.project)) return false;
  if (!scope.issue_types.empty() && !listed(scope.issue_types, e.issue_type)) return false;
  return true;
}

bool in_scope(const ticket_scope& scope, const tk::ticket_event& e) {
  if (!project_in_scope(scope, e)) return false;
  if (listed(scope.labels, "*")) return true;
  return std::any_of(e.labels.begin(), e.labels.end(),
                     [&](const std::string& l) { return listed(scope.labels, l); });
}

std::optional<storage::outcome> ticket_decision(const settings& s, const tk::ticket_event& e) {
  if (e.where.system == tk::tracker::jira) {
    for (const std::string_view name : {std::string_view(e.resolution), std::string_view(e.status)}) {
      if (name.empty()) continue;
      if (listed(s.jira_approved, name)) return storage::outcome::approve;
      if (listed(s.jira_rejected, name)) return storage::outcome::reject;
    }
    return std::nullopt;
  }
  std::optional<storage::outcome> found;
  for (const auto& label : e.labels) {
    const std::string l = lowercase(label);
    if (!l.starts_with("decision:")) continue;
    const std::string_view what = std::string_view(l).substr(9);
    std::optional<storage::outcome> o;
    if (what == "approved") o = storage::outcome::approve;
    else if (what == "rejected") o = storage::outcome::reject;
    else if (what == "deferred") o = storage::outcome::defer;
    else if (what == "conditional") o = storage::outcome::conditional;
    if (!o) continue;
    if (found && *found != *o) return std::nullopt;
    found = o;
  }
  return found;
}

std::string ticket_vendor(const tk::ticket_event& e) {
  if (e.body) {
    if (auto v = vendor_line(*e.body); !v.empty()) return v;
  }
  for (const auto& label : e.labels)
    if (lowercase(label).starts_with("vendor:"))
      if (auto v = usable(std::string_view(label).substr(7)); !v.empty()) return v;
  std::string_view title = e.title;
  if (const auto colon = title.rfind(':'); colon != std::string_view::npos && colon + 1 < title.size())
    title = title.substr(colon + 1);
  return usable(title);
}

}  // namespace bot
