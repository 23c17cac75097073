#pragma once
// What the worker asks of a ticket system: read an issue, find / create / update the bot's one
// review comment on it, download an attachment. One implementation per tracker
// (integrations/{jira,github,gitlab}/api.hpp); tests substitute their own.

#include "integrations/tickets/event.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace integrations::tickets {

// An issue's current text as the tracker's API returns it.
struct issue_content {
  std::string title{};
  std::string body{};        // description; "" when empty or null
  std::string status{};      // Jira status name; GitHub/GitLab ""
  std::string resolution{};  // Jira resolution name or ""
  std::string state{};       // GitHub "open"/"closed"; GitLab "opened"/"closed"; Jira ""
  std::vector<std::string> labels{};
  std::vector<attachment> attachments{};  // Jira only
};

// Why a call did not succeed, and whether trying again later can help.
struct api_failure {
  unsigned status = 0;  // the HTTP status; 0: no response (refused, timed out, TLS, ...)
  bool retryable = false;
  std::optional<std::chrono::seconds> retry_after{};  // the tracker's wait, when it named one
  std::string message{};                              // "HTTP 404: <start of the response>", ...
};

// Lets api_result<T>::value() throw when asked for a value it does not hold.
[[noreturn]] inline void throw_exception_from_error(const api_failure& f, const boost::source_location&) {
  throw std::runtime_error(f.message);
}

template <class T>
using api_result = boost::system::result<T, api_failure>;

// Thread-safe: the worker and the outbox may call one instance from several threads.
class tracker_api {
 public:
  virtual ~tracker_api() = default;

  virtual api_result<issue_content> fetch_issue(const ticket& t) = 0;
  // The bot's comment id on the ticket, "" when there is none: GitHub/GitLab by review_marker
  // (integrations/tickets/marker.hpp) in the body, Jira by the comment property
  // "playbook-bot.review". Reads every page.
  virtual api_result<std::string> find_comment(const ticket& t) = 0;
  // Posts body (Markdown; Jira Cloud: ADF JSON text; Jira DC: wiki markup) and returns the new
  // comment's id. Jira sets the comment property in the same call.
  virtual api_result<std::string> create_comment(const ticket& t, std::string_view body) = 0;
  // Replaces the comment's body. A deleted comment → status 404, not retryable.
  virtual api_result<void> update_comment(const ticket& t, std::string_view id, std::string_view body) = 0;
  // The attachment's bytes (Jira), at most limit of them; only from the tracker's own host.
  virtual api_result<std::string> download(const attachment& a, std::size_t limit) = 0;
};

}  // namespace integrations::tickets
