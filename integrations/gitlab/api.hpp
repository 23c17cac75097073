#pragma once
// GitLab's REST API (issues and their notes) for the ticket worker. The bot's note is the one
// whose body holds tickets::review_marker.

#include "integrations/http/client.hpp"
#include "integrations/tickets/api.hpp"

#include <string>
#include <string_view>

namespace integrations::gitlab {

struct api_settings {
  std::string api_url = "https://gitlab.com/api/v4";  // self-managed: "https://HOST/api/v4"
  std::string token{};                                 // sent as PRIVATE-TOKEN
};

class api final : public tickets::tracker_api {
 public:
  // client must outlive the api. Tickets: project_id the numeric project id when known, else
  // project the path_with_namespace; number the issue's iid.
  api(const http::client& client, api_settings settings);

  // GET /projects/:id/issues/:iid: title, description, state, labels.
  tickets::api_result<tickets::issue_content> fetch_issue(const tickets::ticket& t) override;
  // Lists the notes 100 a page (X-Next-Page); the first non-system note holding the marker.
  tickets::api_result<std::string> find_comment(const tickets::ticket& t) override;
  tickets::api_result<std::string> create_comment(const tickets::ticket& t, std::string_view body) override;
  tickets::api_result<void> update_comment(const tickets::ticket& t, std::string_view id,
                                           std::string_view body) override;
  // Not used for GitLab: always a failure (not retryable).
  tickets::api_result<std::string> download(const tickets::attachment& a, std::size_t limit) override;

 private:
  http::request_options options(bool with_body) const;
  tickets::api_result<std::string> issue_path(const tickets::ticket& t) const;  // base + /projects/:id/issues/:iid

  const http::client& client_;
  api_settings settings_;
  std::string base_;
};

}  // namespace integrations::gitlab
