#pragma once
// The tracker-neutral form of a ticket webhook: which ticket (enough to call the tracker's API
// for it), and what happened. Each tracker's parse_webhook (integrations/{jira,github,gitlab}/
// webhook.hpp) turns a verified body into a hook; everything downstream sees only these types.

#include "integrations/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace integrations::tickets {

enum class tracker { jira, github, gitlab };

// "jira" | "github" | "gitlab".
std::string_view name_of(tracker t);

// The inverse of name_of; nullopt for any other text (exact, lowercase).
std::optional<tracker> tracker_from_name(std::string_view name);

// A file attached to a Jira issue.
struct attachment {
  std::string id;
  std::string filename;
  std::string mime_type;
  std::string url;  // issue.fields.attachment[].content: the download address
  std::uint64_t size = 0;
};

// Where a ticket lives; enough for every API call about it.
struct ticket {
  tracker system = tracker::github;
  std::string project;     // Jira project key "PROC"; GitHub "owner/repo"; GitLab path_with_namespace "group/sub/project"
  std::string project_id;  // GitLab numeric project id ("42"); Jira issue id ("10002"); GitHub: ""
  std::string number;      // Jira issue key "PROC-12"; GitHub issue number "42"; GitLab iid "7"
  std::string url;         // browser link to the issue when the payload has one, else ""

  // The name stored and shown: "PROC-12" (Jira) | "owner/repo#42" (GitHub) | "group/project#7" (GitLab).
  std::string key() const;

  bool operator==(const ticket&) const = default;
};

struct ticket_event {
  ticket where;
  std::string delivery;             // the dedup key (set by the caller from the headers)
  std::string action;               // opened|edited|labeled|unlabeled|closed|reopened|updated|commented
  std::string title;
  std::optional<std::string> body;  // nullopt: not in this payload (the worker fetches the issue)
  std::vector<std::string> labels;
  std::string issue_type;           // Jira issuetype.name
  std::string status;               // Jira status name ("Approved"); GitHub/GitLab ""
  std::string resolution;           // Jira resolution name or ""
  std::string state;                // GitHub "open"/"closed"; GitLab "opened"/"closed"; Jira ""
  std::string actor;                // who caused it: accountId/name, login, username
  bool actor_is_bot = false;        // GitHub sender.type == "Bot"
  std::string comment_id;           // comment events
  std::string comment_body;         // comment events
  std::vector<attachment> attachments;
  bool partial = false;             // title/body/labels/attachments missing (Jira comment events): fetch the issue
};

// The outcome of parsing a verified webhook body.
struct ignored {  // an event we do not handle → 202, nothing stored
  std::string reason;
};
struct ping {};  // GitHub ping → 200
using hook = std::variant<ticket_event, ignored, ping>;

// JSON round trip of a ticket (stored in the outbox):
// {"system":"github","project":"owner/repo","project_id":"","number":"42","url":"https://..."}.
std::string to_json(const ticket& t);

// Reads what to_json wrote; an error names the missing or malformed field. system, project and
// number are required strings (system a known name, number not empty); project_id and url may be
// absent (""). Extra keys are ignored.
result<ticket> ticket_from_json(std::string_view text);

}  // namespace integrations::tickets
