#include "bot/ticket_scope.hpp"

#include "bot/commands.hpp"
#include "bot/decision_command.hpp"

#include <algorithm>
#include <cctype>

namespace bot {
namespace tk = integrations::tickets;

namespace {

// Names compared without regard to ASCII case, without allocating (every webhook asks).
bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool listed(std::span<const std::string> list, std::string_view value) {
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

bool is_vendor_word(std::string_view lower) {
  return lower.starts_with("vendor") || lower.starts_with("provider") || lower.starts_with("supplier");
}

// "Vendor: Acme", "**Vendor:** Acme", "- Provider name: Acme", "| Supplier | Acme |", or a
// heading "Vendor" ("## Vendor", Jira's "h2. Vendor") with the name on the next line (up to a
// comma: "Acme GmbH, Munich").
std::string vendor_line(std::string_view body) {
  bool after_heading = false;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (trim(line).empty()) continue;
    if (after_heading) {
      line = trim(line);
      if (auto name = usable(line.substr(0, line.find(','))); !name.empty()) return name;
      after_heading = false;
    }
    std::string_view text = line.substr(std::min(line.size(), line.find_first_not_of(" \t-*#>|_")));
    if (text.size() > 3 && text[0] == 'h' && text[1] >= '1' && text[1] <= '6' && text[2] == '.')
      text = trim(text.substr(3));
    const std::string lower = lowercase(text.substr(0, 32));
    if (!is_vendor_word(lower)) continue;
    std::string_view rest = text.substr(lower.find_first_of(" :|*") == std::string::npos
                                            ? text.size()
                                            : lower.find_first_of(" :|*"));
    if (lowercase(rest.substr(0, 5)) == " name") rest.remove_prefix(5);
    rest = rest.substr(std::min(rest.size(), rest.find_first_not_of(" *_")));
    if (rest.empty()) {
      // A heading (or a line) that is only the word: the name follows.
      after_heading = lower.size() <= 16;
      continue;
    }
    if (rest.front() != ':' && rest.front() != '|') continue;
    if (auto name = usable(rest.substr(1)); !name.empty()) return name;
  }
  return {};
}

// "Acme Academy: GenAI bootcamp" names the vendor first; "Training proposal: Acme Academy" last.
std::string vendor_in_title(std::string_view title) {
  const auto colon = title.find(':');
  if (colon == std::string_view::npos) return usable(title);
  const std::string before = lowercase(title.substr(0, colon));
  for (std::string_view generic : {"proposal", "training", "request", "procurement", "purchase",
                                   "vendor", "quote", "rfp", "review", "offer"})
    if (before.find(generic) != std::string::npos) return usable(title.substr(colon + 1));
  return usable(title.substr(0, colon));
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
  return vendor_in_title(e.title);
}

}  // namespace bot
