#pragma once
// Jira's REST API for the ticket worker: Cloud (REST v3 comments with an ADF body, Basic auth
// with an account e-mail and API token) and Data Center (REST v2, wiki markup, a personal access
// token as Bearer). The bot's comment carries the comment property "playbook-bot.review".

#include "integrations/http/client.hpp"
#include "integrations/tickets/api.hpp"

#include <string>
#include <string_view>

namespace integrations::jira {

enum class deployment { cloud, datacenter };

struct api_settings {
  std::string base_url{};  // "https://example.atlassian.net" or "https://jira.example.com/jira"
  deployment kind = deployment::cloud;
  std::string user{};    // Cloud: the account's e-mail; Data Center: unused
  std::string token{};   // Cloud: API token; Data Center: personal access token
};

// The comment property that marks the bot's comment, and the value set on it.
inline constexpr std::string_view comment_property = "playbook-bot.review";

class api final : public tickets::tracker_api {
 public:
  // client must outlive the api.
  api(const http::client& client, api_settings settings);

  // GET /rest/api/2/issue/{key}?fields=...: title, description (wiki text), labels, status,
  // resolution, attachments (their content URLs).
  tickets::api_result<tickets::issue_content> fetch_issue(const tickets::ticket& t) override;
  // Pages through /rest/api/{2|3}/issue/{key}/comment?expand=properties for the property.
  tickets::api_result<std::string> find_comment(const tickets::ticket& t) override;
  // Cloud: body is the ADF document's JSON text; Data Center: wiki markup.
  tickets::api_result<std::string> create_comment(const tickets::ticket& t, std::string_view body) override;
  tickets::api_result<void> update_comment(const tickets::ticket& t, std::string_view id,
                                           std::string_view body) override;
  // Only from base_url's scheme, host and port (the credentials go along); Cloud asks for the
  // bytes with redirect=false. A larger attachment → "attachment is larger than N bytes".
  tickets::api_result<std::string> download(const tickets::attachment& a, std::size_t limit) override;

 private:
  http::request_options options() const;
  std::string comments_path(const tickets::ticket& t) const;  // base + /rest/api/N/issue/{key}/comment

  const http::client& client_;
  api_settings settings_;
  std::string base_;           // base_url without trailing '/'
  std::string authorization_;  // the whole header value
};

}  // namespace integrations::jira
