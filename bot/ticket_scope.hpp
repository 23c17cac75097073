#pragma once
// Which tickets are procurement tickets for AI training (per system: projects, issue types,
// labels), the vendor decision a ticket's state records, and the vendor a ticket is about. Pure.

#include "bot/config.hpp"
#include "integrations/tickets/event.hpp"
#include "storage/decisions.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

// Views of the settings' lists (checked on every webhook: nothing is copied).
struct ticket_scope {
  std::span<const std::string> projects;     // empty: any project (Jira keys, owner/repo, group/project)
  std::span<const std::string> issue_types;  // empty: any type (Jira only)
  std::span<const std::string> labels;       // one of them must be on the ticket; "*": any, even none
};

// The scope of one system; valid as long as s is.
ticket_scope scope_of(const settings& s, integrations::tickets::tracker system);

// The project and issue type are ones the bot reviews (names compared without regard to case).
bool project_in_scope(const ticket_scope& scope, const integrations::tickets::ticket_event& e);

// The whole test: project, issue type and labels. For an event whose labels are not in the payload
// (e.partial), only a ticket already tracked can be in scope; the worker tests again after fetching.
bool in_scope(const ticket_scope& scope, const integrations::tickets::ticket_event& e);

// The decision the ticket's state records, if any: Jira, a status or resolution named in
// JIRA_APPROVED / JIRA_REJECTED; GitHub and GitLab, exactly one label decision:approved|rejected|
// deferred|conditional (two different ones decide nothing).
std::optional<storage::outcome> ticket_decision(const settings& s,
                                                const integrations::tickets::ticket_event& e);

// The vendor a ticket is about: a "Vendor: NAME" (or Provider/Supplier) line in the description,
// or a "Vendor" heading with the name on the next line; else a label vendor:NAME; else the title
// ("Acme Academy: GenAI bootcamp" → before the colon, "Training proposal: Acme Academy" → after
// it, no colon → all of it). "" when what was found is not a usable name (empty, too long,
// control characters, markup).
std::string ticket_vendor(const integrations::tickets::ticket_event& e);

}  // namespace bot
