#pragma once
// GitHub's REST API (issues and their comments) for the ticket worker. The bot's comment is the
// one whose body holds tickets::review_marker.

#include "integrations/http/client.hpp"
#include "integrations/tickets/api.hpp"

#include <string>
#include <string_view>

namespace integrations::github {

struct api_settings {
  std::string api_url = "https://api.github.com";  // GitHub Enterprise Server: "https://HOST/api/v3"
  std::string token{};                             // sent as "Authorization: Bearer <token>"
};

class api final : public tickets::tracker_api {
 public:
  // client must outlive the api. Tickets: project "owner/repo", number the issue number.
  api(const http::client& client, api_settings settings);

  // GET /repos/{owner}/{repo}/issues/{n}: title, body, state, label names.
  tickets::api_result<tickets::issue_content> fetch_issue(const tickets::ticket& t) override;
  // Lists the issue's comments 100 a page, following Link rel="next" while it stays on api_url's
  // host; the first comment holding the marker.
  tickets::api_result<std::string> find_comment(const tickets::ticket& t) override;
  tickets::api_result<std::string> create_comment(const tickets::ticket& t, std::string_view body) override;
  tickets::api_result<void> update_comment(const tickets::ticket& t, std::string_view id,
                                           std::string_view body) override;
  // GitHub issues carry no attachments the bot downloads: always a failure (not retryable).
  tickets::api_result<std::string> download(const tickets::attachment& a, std::size_t limit) override;

 private:
  http::request_options options(bool with_body) const;
  tickets::api_result<std::string> repo_path(const tickets::ticket& t) const;  // base + /repos/{o}/{r}

  const http::client& client_;
  api_settings settings_;
  std::string base_;
};

// The rel="next" address in a Link header, "" when there is none.
std::string next_link(std::string_view link_header);

}  // namespace integrations::github
