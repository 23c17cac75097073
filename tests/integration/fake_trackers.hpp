#pragma once
// Stateful stand-ins for the Jira (Cloud or Data Center), GitHub and GitLab REST APIs on
// 127.0.0.1 (port 0), for testing the ticket worker and the outbox without the internet:
// issues the test seeds, comments kept per issue (created, updated, listed page by page),
// every request recorded, the credentials checked (401 otherwise), and faults on demand
// (429 with Retry-After, 500, a hang, an answer of your choosing, or down until cleared).
//
//   test::fake_github gh("tok");
//   gh.add_issue("acme/procurement", 42, {.title = "Vendor X", .body = "..."});
//   integrations::github::api api(client, {.api_url = gh.api_url(), .token = "tok"});
//   gh.fail_next(2, test::fake_fault::too_many_requests(3));
//   ... gh.comments("acme/procurement#42"), gh.calls() ...
//
// Every accessor is thread-safe; connections are served concurrently (one thread each), with
// keep-alive. HTTPS with fake_tls (certificates from test::test_ca).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace test {

struct fake_header {
  std::string name, value;
};

// One request as a fake saw it, and the status it answered (0: none, the connection was closed).
struct fake_call {
  std::string method;
  std::string target;  // path and query, as sent (percent-encoded)
  std::string body;
  std::vector<fake_header> headers;
  unsigned status = 0;

  std::string header(std::string_view name) const;  // case-insensitive; "" when absent
  std::string path() const;                         // target without the query
  std::string query(std::string_view name) const;   // a query parameter's raw value; "" when absent
};

struct fake_attachment {  // Jira
  std::string id{};       // "" → assigned ("20000", ...)
  std::string filename{};
  std::string mime_type = "application/pdf";
  std::string bytes{};
};

struct fake_issue {
  std::string title{};
  std::string body{};  // GitHub body / GitLab description / Jira description (wiki text)
  std::vector<std::string> labels{};
  std::string state = "open";  // GitHub "open"/"closed"; GitLab "opened"/"closed"
  std::string status = "Open";  // Jira
  std::string resolution{};     // Jira; "" → null
  std::string issue_type = "Task";  // Jira
  std::vector<fake_attachment> attachments{};  // Jira
};

struct fake_comment {
  std::string id{};
  std::string body{};  // as sent: Markdown, wiki markup, or (Jira Cloud) the ADF document's JSON text
  std::string author = "playbook-bot";  // comments made through the API; seeded ones name their own
  std::vector<std::string> property_keys{};  // Jira comment properties
  bool system = false;                     // GitLab system notes
  int updates = 0;                         // times the body was replaced
};

// What happens to one request instead of (or before) the normal answer.
struct fake_fault {
  unsigned status = 0;  // non-zero: answer this status with headers and body
  std::vector<fake_header> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long first (status 0: then answer normally)
  bool close = false;                  // then close the connection without an answer

  static fake_fault too_many_requests(int retry_after_seconds);  // 429 + Retry-After
  static fake_fault server_error();                              // 500
  static fake_fault hang(std::chrono::milliseconds delay);       // late, then the normal answer
  static fake_fault closed();                                    // no answer at all
  static fake_fault answer(unsigned status, std::string body, std::vector<fake_header> headers = {});
};

// HTTPS for a fake: certificate (chain) and private key PEM files, e.g. test::test_ca's
// localhost(). Empty: plain http.
struct fake_tls {
  std::string cert_file{};
  std::string key_file{};
};

class fake_server;

// What the three fakes share: the server, the comments, the calls, the faults.
class fake_tracker {
 public:
  using request = boost::beast::http::request<boost::beast::http::string_body>;
  using response = boost::beast::http::response<boost::beast::http::string_body>;

  fake_tracker(const fake_tracker&) = delete;
  fake_tracker& operator=(const fake_tracker&) = delete;

  std::uint16_t port() const;
  std::string origin() const;  // "http://127.0.0.1:PORT" (https with fake_tls)

  // The comments on a ticket, oldest first; the key as tickets::ticket::key() writes it:
  // "PROC-12", "owner/repo#42", "group/project#7".
  std::vector<fake_comment> comments(std::string_view ticket_key) const;
  // Seeds a comment (someone else's, or a bot comment from an earlier run); returns its id.
  std::string add_comment(std::string_view ticket_key, fake_comment c);
  // Deletes a comment, as a user might; false when there was none.
  bool delete_comment(std::string_view ticket_key, std::string_view id);

  std::vector<fake_call> calls() const;
  void clear_calls();

  // The next n requests meet the fault (in order, after any queued before).
  void fail_next(std::size_t n, const fake_fault& f);
  // Down: every connection is closed without an answer until set_down(false).
  void set_down(bool down);
  void clear_faults();  // queued faults dropped and up again
  // The most comments one list page holds (default 100, as the real APIs cap it).
  void set_page_size(std::size_t n);

 protected:
  fake_tracker();
  ~fake_tracker();
  void start(const fake_tls& tls);  // derived constructors, last
  void stop();   // derived destructors, first (the handler calls into them)

  // The routes; called with mutex_ held; credentials already checked.
  virtual response route(const request& req) = 0;
  virtual bool authorized(const request& req) const = 0;
  virtual response unauthorized() const = 0;

  static response json(unsigned status, std::string body);
  static std::vector<std::string> segments(std::string_view target);  // path split on '/', percent-decoded
  static std::string query(std::string_view target, std::string_view name);
  std::size_t page_size(std::string_view requested) const;
  std::string next_id();

  mutable std::mutex mutex_;
  std::map<std::string, std::vector<fake_comment>, std::less<>> comments_;
  std::size_t page_size_ = 100;
  std::uint64_t next_id_ = 10000;

 private:
  std::optional<response> handle(const request& req);

  std::vector<fake_call> calls_;
  std::deque<fake_fault> faults_;
  std::uint64_t generation_ = 0;  // bumped by clear_calls
  bool down_ = false;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::unique_ptr<fake_server> server_;
};

// Jira Cloud (REST v3 comments with ADF bodies, Basic auth) or Data Center (REST v2 only, wiki
// string bodies, Bearer token). GET issue, list/add/update comments (with properties and
// expand=properties), attachment content (Cloud: /rest/api/3/attachment/content/{id}, 303 unless
// redirect=false; DC: /secure/attachment/{id}/{filename}).
class fake_jira final : public fake_tracker {
 public:
  enum class deployment { cloud, datacenter };
  fake_jira(deployment kind, std::string user, std::string token, const fake_tls& tls = {});
  ~fake_jira();

  std::string api_url() const { return origin(); }  // the base URL
  // Adds or replaces the issue "PROC-12" (its attachments get ids and content URLs).
  void add_issue(std::string key, fake_issue issue);
  // The content URL of an attachment, as the issue lists it.
  std::string attachment_url(const fake_attachment& a) const;

 private:
  response route(const request& req) override;
  bool authorized(const request& req) const override;
  response unauthorized() const override;
  response comment_list(const request& req, const std::string& key, bool v3);
  response write_comment(const request& req, const std::string& key, const std::string& id, bool v3);

  deployment kind_;
  std::string authorization_;
  struct stored_issue {
    std::string id;
    fake_issue issue;
  };
  std::map<std::string, stored_issue, std::less<>> issues_;
  std::uint64_t next_issue_id_ = 10000;
  std::uint64_t next_attachment_id_ = 20000;
};

// GitHub: GET /repos/{o}/{r}/issues/{n}; list (per_page, page, Link rel="next"/"last") and POST
// /repos/{o}/{r}/issues/{n}/comments; PATCH /repos/{o}/{r}/issues/comments/{id}. Bearer or
// "token" authorization.
class fake_github final : public fake_tracker {
 public:
  explicit fake_github(std::string token, const fake_tls& tls = {});
  ~fake_github();

  std::string api_url() const { return origin(); }
  void add_issue(std::string repo, std::uint64_t number, fake_issue issue);
  // Where the Link header's page addresses point (default origin()): to test foreign hosts.
  void set_link_origin(std::string origin);

 private:
  response route(const request& req) override;
  bool authorized(const request& req) const override;
  response unauthorized() const override;

  std::string token_;
  std::string link_origin_;
  std::map<std::string, fake_issue, std::less<>> issues_;  // "owner/repo#42"
};

// GitLab under /api/v4: GET /projects/:id/issues/:iid; list (per_page, page, X-Next-Page ...)
// and POST .../notes; PUT .../notes/:id. :id is the numeric id or the URL-encoded path.
// PRIVATE-TOKEN authorization.
class fake_gitlab final : public fake_tracker {
 public:
  explicit fake_gitlab(std::string token, const fake_tls& tls = {});
  ~fake_gitlab();

  std::string api_url() const { return origin() + "/api/v4"; }
  // Adds or replaces issue iid of the project "group/sub/project"; returns the project's numeric id.
  std::string add_issue(std::string project, std::uint64_t iid, fake_issue issue);
  std::string project_id(std::string_view project) const;  // "" when unknown

 private:
  response route(const request& req) override;
  bool authorized(const request& req) const override;
  response unauthorized() const override;

  std::string token_;
  std::map<std::string, std::string, std::less<>> project_ids_;  // path → id
  std::map<std::string, fake_issue, std::less<>> issues_;        // "group/project#7"
  std::uint64_t next_project_id_ = 42;
};

}  // namespace test
