#include "tests/integration/fake_trackers.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>

#include <openssl/evp.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <functional>
#include <set>
#include <stdexcept>
#include <thread>

namespace test {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      unsigned v = 0;
      const auto [p, e] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (e == std::errc{} && p == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t n = 0;
  const auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || e != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return n;
}

std::string header_of(const fake_tracker::request& req, std::string_view name) {
  for (const auto& f : req)
    if (iequals(f.name_string(), name)) return std::string(f.value());
  return "";
}

json::value parse_or_null(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value() : v;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The server: one thread accepts, one thread per connection reads requests and writes answers.

class fake_server {
 public:
  using handler = std::function<std::optional<fake_tracker::response>(const fake_tracker::request&)>;

  fake_server(handler h, const fake_tls& tls) : handler_(std::move(h)) {
    if (!tls.cert_file.empty()) {
      tls_.emplace(boost::asio::ssl::context::tls_server);
      tls_->use_certificate_chain_file(tls.cert_file);
      tls_->use_private_key_file(tls.key_file, boost::asio::ssl::context::pem);
    }
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 128) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("fake tracker: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~fake_server() {
    stopping_ = true;
    acceptor_.join();
    ::close(listen_fd_);
    {
      // Wakes connection threads blocked reading a kept-alive connection.
      std::lock_guard lock(mutex_);
      for (const int fd : open_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& w : workers_) w.thread.join();
  }

  std::uint16_t port() const { return port_; }
  bool tls() const { return tls_.has_value(); }

 private:
  struct worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void accept_loop() {
    while (!stopping_) {
      // Finished connection threads are joined as we go, so a long benchmark does not pile them up.
      std::erase_if(workers_, [](worker& w) {
        if (!*w.done) return false;
        w.thread.join();
        return true;
      });
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      {
        std::lock_guard lock(mutex_);
        open_.insert(fd);
      }
      auto done = std::make_shared<std::atomic<bool>>(false);
      workers_.push_back({std::thread([this, fd, done] {
                            serve(fd);
                            *done = true;
                          }),
                          done});
    }
  }

  void serve(int fd) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc, boost::asio::ip::tcp::v4(), fd);
    boost::system::error_code ec;
    if (tls_) {
      boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(socket, *tls_);
      stream.handshake(boost::asio::ssl::stream_base::server, ec);
      if (!ec) exchange(stream);
    } else {
      exchange(socket);
    }
    {
      std::lock_guard lock(mutex_);
      open_.erase(fd);
    }
    // No TLS close_notify: it would wait for the client's; the answers carry Content-Length.
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  }

  template <class Stream>
  void exchange(Stream& stream) {
    boost::beast::flat_buffer buffer;
    boost::system::error_code ec;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(16u << 20);
      bhttp::read(stream, buffer, parser, ec);
      if (ec) return;
      auto req = parser.release();
      auto res = handler_(req);
      if (!res) return;
      res->keep_alive(req.keep_alive());
      res->prepare_payload();
      bhttp::write(stream, *res, ec);
      if (ec || !req.keep_alive()) return;
    }
  }

  handler handler_;
  std::optional<boost::asio::ssl::context> tls_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::set<int> open_;
  std::vector<worker> workers_;  // the acceptor's, then the destructor's
  std::thread acceptor_;
};

// ---------------------------------------------------------------------------------------------

std::string fake_call::header(std::string_view name) const {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return h.value;
  return "";
}

std::string fake_call::path() const { return target.substr(0, target.find('?')); }

std::string fake_call::query(std::string_view name) const {
  const auto q = target.find('?');
  if (q == std::string::npos) return "";
  std::string_view rest = std::string_view(target).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    rest.remove_prefix(amp == std::string_view::npos ? rest.size() : amp + 1);
  }
  return "";
}

fake_fault fake_fault::too_many_requests(int retry_after_seconds) {
  return answer(429, R"({"message":"Too many requests"})", {{"Retry-After", std::to_string(retry_after_seconds)}});
}

fake_fault fake_fault::server_error() { return answer(500, R"({"message":"Internal server error"})"); }

fake_fault fake_fault::hang(std::chrono::milliseconds delay) {
  fake_fault f;
  f.delay = delay;
  return f;
}

fake_fault fake_fault::closed() {
  fake_fault f;
  f.close = true;
  return f;
}

fake_fault fake_fault::answer(unsigned status, std::string body, std::vector<fake_header> headers) {
  fake_fault f;
  f.status = status;
  f.body = std::move(body);
  f.headers = std::move(headers);
  return f;
}

fake_tracker::fake_tracker() = default;

fake_tracker::~fake_tracker() { stop(); }

void fake_tracker::start(const fake_tls& tls) {
  server_ = std::make_unique<fake_server>([this](const request& req) { return handle(req); }, tls);
}

void fake_tracker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  server_.reset();
}

std::uint16_t fake_tracker::port() const { return server_->port(); }

std::string fake_tracker::origin() const {
  return std::string(server_->tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

std::vector<fake_comment> fake_tracker::comments(std::string_view ticket_key) const {
  std::lock_guard lock(mutex_);
  const auto it = comments_.find(ticket_key);
  return it == comments_.end() ? std::vector<fake_comment>{} : it->second;
}

std::string fake_tracker::add_comment(std::string_view ticket_key, fake_comment c) {
  std::lock_guard lock(mutex_);
  if (c.id.empty()) c.id = next_id();
  comments_[std::string(ticket_key)].push_back(c);
  return c.id;
}

bool fake_tracker::delete_comment(std::string_view ticket_key, std::string_view id) {
  std::lock_guard lock(mutex_);
  const auto it = comments_.find(ticket_key);
  if (it == comments_.end()) return false;
  return std::erase_if(it->second, [&](const fake_comment& c) { return c.id == id; }) > 0;
}

std::vector<fake_call> fake_tracker::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

void fake_tracker::clear_calls() {
  std::lock_guard lock(mutex_);
  calls_.clear();
  ++generation_;
}

void fake_tracker::fail_next(std::size_t n, const fake_fault& f) {
  std::lock_guard lock(mutex_);
  faults_.insert(faults_.end(), n, f);
}

void fake_tracker::set_down(bool down) {
  std::lock_guard lock(mutex_);
  down_ = down;
}

void fake_tracker::clear_faults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  down_ = false;
}

void fake_tracker::set_page_size(std::size_t n) {
  std::lock_guard lock(mutex_);
  page_size_ = std::max<std::size_t>(n, 1);
}

std::optional<fake_tracker::response> fake_tracker::handle(const request& req) {
  std::unique_lock lock(mutex_);
  fake_call call;
  call.method = std::string(req.method_string());
  call.target = std::string(req.target());
  call.body = req.body();
  for (const auto& f : req) call.headers.push_back({std::string(f.name_string()), std::string(f.value())});
  calls_.push_back(std::move(call));
  const std::size_t index = calls_.size() - 1;
  const std::uint64_t generation = generation_;
  if (down_) return std::nullopt;
  std::optional<fake_fault> fault;
  if (!faults_.empty()) {
    fault = std::move(faults_.front());
    faults_.pop_front();
  }
  if (fault && fault->delay.count() > 0) {
    // Other connections are served meanwhile: the wait releases the lock.
    wake_.wait_for(lock, fault->delay, [this] { return stopping_; });
    if (stopping_) return std::nullopt;
  }
  if (fault && fault->close) return std::nullopt;
  response res;
  if (fault && fault->status != 0) {
    res = json(fault->status, fault->body);
    for (const auto& h : fault->headers) res.set(h.name, h.value);
  } else if (!authorized(req)) {
    res = unauthorized();
  } else {
    res = route(req);
  }
  if (generation == generation_ && index < calls_.size()) calls_[index].status = res.result_int();
  return res;
}

fake_tracker::response fake_tracker::json(unsigned status, std::string body) {
  response res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "application/json; charset=utf-8");
  res.body() = std::move(body);
  return res;
}

std::vector<std::string> fake_tracker::segments(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string> out;
  while (!target.empty()) {
    if (target.front() == '/') {
      target.remove_prefix(1);
      continue;
    }
    const auto slash = target.find('/');
    out.push_back(percent_decode(target.substr(0, slash)));
    target.remove_prefix(slash == std::string_view::npos ? target.size() : slash);
  }
  return out;
}

std::string fake_tracker::query(std::string_view target, std::string_view name) {
  fake_call c;
  c.target = std::string(target);
  return percent_decode(c.query(name));
}

std::size_t fake_tracker::page_size(std::string_view requested) const {
  const auto n = number(requested);
  return std::clamp<std::size_t>(n ? *n : 30, 1, page_size_);
}

std::string fake_tracker::next_id() { return std::to_string(next_id_++); }

// ---------------------------------------------------------------------------------------------
// Jira

namespace {

json::value adf_of(std::string_view text) {
  if (auto v = parse_or_null(text); v.is_object()) return v;
  return {{"type", "doc"},
          {"version", 1},
          {"content", json::array{{{"type", "paragraph"}, {"content", json::array{{{"type", "text"}, {"text", text}}}}}}}};
}

fake_tracker::response jira_error(unsigned status, std::string_view message) {
  json::object o;
  o["errorMessages"] = json::array{json::string(message)};
  o["errors"] = json::object{};
  auto res = fake_tracker::response{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "application/json;charset=UTF-8");
  res.body() = json::serialize(o);
  return res;
}

}  // namespace

fake_jira::fake_jira(deployment kind, std::string user, std::string token, const fake_tls& tls)
    : kind_(kind),
      authorization_(kind == deployment::cloud ? "Basic " + base64(user + ":" + token) : "Bearer " + token) {
  start(tls);
}

fake_jira::~fake_jira() { stop(); }

std::string fake_jira::attachment_url(const fake_attachment& a) const {
  if (kind_ == deployment::cloud) return origin() + "/rest/api/3/attachment/content/" + a.id;
  return origin() + "/secure/attachment/" + a.id + "/" + percent_encode(a.filename);
}

void fake_jira::add_issue(std::string key, fake_issue issue) {
  std::lock_guard lock(mutex_);
  for (auto& a : issue.attachments)
    if (a.id.empty()) a.id = std::to_string(next_attachment_id_++);
  auto& stored = issues_[key];
  if (stored.id.empty()) stored.id = std::to_string(next_issue_id_++);
  stored.issue = std::move(issue);
}

bool fake_jira::authorized(const request& req) const {
  return header_of(req, "Authorization") == authorization_;
}

fake_tracker::response fake_jira::unauthorized() const {
  auto res = jira_error(401, "You are not authenticated. Authentication required to perform this operation.");
  res.set(bhttp::field::www_authenticate, R"(Basic realm="protected-area")");
  return res;
}

fake_tracker::response fake_jira::route(const request& req) {
  const auto s = segments(req.target());
  const auto method = req.method();
  // Data Center attachments: /secure/attachment/{id}/{filename}.
  const bool dc_file = s.size() == 4 && s[0] == "secure" && s[1] == "attachment";
  const bool cloud_file = s.size() == 6 && s[0] == "rest" && s[1] == "api" && s[3] == "attachment" && s[4] == "content";
  if ((dc_file && kind_ == deployment::datacenter) || (cloud_file && kind_ == deployment::cloud)) {
    const std::string& id = dc_file ? s[2] : s[5];
    for (const auto& [key, stored] : issues_)
      for (const auto& a : stored.issue.attachments)
        if (a.id == id) {
          if (cloud_file && query(req.target(), "redirect") != "false") {
            response res{bhttp::status::see_other, 11};
            res.set(bhttp::field::location, "https://api.media.atlassian.invalid/file/" + id + "/binary");
            return res;
          }
          response res{bhttp::status::ok, 11};
          res.set(bhttp::field::content_type, a.mime_type);
          res.body() = a.bytes;
          return res;
        }
    return jira_error(404, "The attachment does not exist.");
  }
  if (s.size() < 5 || s[0] != "rest" || s[1] != "api" || s[3] != "issue") return jira_error(404, "Not found");
  // Data Center has no REST v3.
  if (s[2] != "2" && !(s[2] == "3" && kind_ == deployment::cloud)) return jira_error(404, "Not found");
  const bool v3 = s[2] == "3";
  auto it = issues_.find(s[4]);
  if (it == issues_.end())
    it = std::find_if(issues_.begin(), issues_.end(), [&](const auto& p) { return p.second.id == s[4]; });
  if (it == issues_.end()) return jira_error(404, "Issue does not exist or you do not have permission to see it.");
  const std::string& key = it->first;
  if (s.size() == 5 && method == bhttp::verb::get) {
    const auto& issue = it->second.issue;
    json::object fields;
    fields["summary"] = issue.title;
    if (issue.body.empty()) fields["description"] = nullptr;
    else if (v3) fields["description"] = adf_of(issue.body);
    else fields["description"] = issue.body;
    json::array labels;
    for (const auto& l : issue.labels) labels.emplace_back(l);
    fields["labels"] = std::move(labels);
    fields["issuetype"] = {{"name", issue.issue_type}};
    fields["project"] = {{"key", key.substr(0, key.find('-'))}};
    fields["status"] = {{"name", issue.status}};
    if (issue.resolution.empty()) fields["resolution"] = nullptr;
    else fields["resolution"] = {{"name", issue.resolution}};
    json::array files;
    for (const auto& a : issue.attachments)
      files.push_back({{"id", a.id},
                       {"filename", a.filename},
                       {"mimeType", a.mime_type},
                       {"size", a.bytes.size()},
                       {"content", attachment_url(a)}});
    fields["attachment"] = std::move(files);
    json::object o;
    o["id"] = it->second.id;
    o["key"] = key;
    o["self"] = origin() + "/rest/api/" + s[2] + "/issue/" + it->second.id;
    o["fields"] = std::move(fields);
    return json(200, json::serialize(o));
  }
  if (s.size() == 6 && s[5] == "comment") {
    if (method == bhttp::verb::get) return comment_list(req, key, v3);
    if (method == bhttp::verb::post) return write_comment(req, key, "", v3);
  }
  if (s.size() == 7 && s[5] == "comment" && method == bhttp::verb::put) return write_comment(req, key, s[6], v3);
  return jira_error(405, "Method not allowed");
}

fake_tracker::response fake_jira::comment_list(const request& req, const std::string& key, bool v3) {
  const auto& list = comments_[key];
  const auto start = number(query(req.target(), "startAt")).value_or(0);
  const auto size = page_size(query(req.target(), "maxResults"));
  const bool properties = query(req.target(), "expand").find("properties") != std::string::npos;
  json::array out;
  for (std::size_t i = start; i < list.size() && out.size() < size; ++i) {
    const auto& c = list[i];
    json::object o;
    o["id"] = c.id;
    o["author"] = {{"displayName", c.author}};
    if (v3) o["body"] = adf_of(c.body);
    else o["body"] = c.body;
    if (properties) {
      json::array props;
      for (const auto& k : c.property_keys) props.push_back({{"key", k}, {"value", {{"v", 1}}}});
      o["properties"] = std::move(props);
    }
    out.push_back(std::move(o));
  }
  json::object page;
  page["startAt"] = start;
  page["maxResults"] = size;
  page["total"] = list.size();
  page["comments"] = std::move(out);
  return json(200, json::serialize(page));
}

fake_tracker::response fake_jira::write_comment(const request& req, const std::string& key, const std::string& id,
                                                bool v3) {
  boost::system::error_code ec;
  const auto v = json::parse(req.body(), ec);
  if (ec || !v.is_object()) return jira_error(400, "Unexpected character in the request body");
  const auto* body = v.as_object().if_contains("body");
  std::string text;
  if (v3 && body && body->is_object() && body->as_object().if_contains("type") &&
      body->as_object().at("type") == "doc" && body->as_object().if_contains("version")) {
    text = json::serialize(*body);
  } else if (!v3 && body && body->is_string()) {
    text = std::string(body->get_string());
  } else {
    auto res = jira_error(400, "");
    res.body() = R"({"errorMessages":[],"errors":{"comment":"Comment body is not valid!"}})";
    return res;
  }
  std::vector<std::string> keys;
  if (const auto* props = v.as_object().if_contains("properties"); props && props->is_array())
    for (const auto& p : props->get_array())
      if (p.is_object() && p.as_object().if_contains("key") && p.as_object().at("key").is_string())
        keys.emplace_back(p.as_object().at("key").get_string());
  auto& list = comments_[key];
  fake_comment* c = nullptr;
  if (id.empty()) {
    list.push_back({.id = next_id(), .body = text, .property_keys = keys});
    c = &list.back();
  } else {
    const auto it = std::find_if(list.begin(), list.end(), [&](const fake_comment& x) { return x.id == id; });
    if (it == list.end()) return jira_error(404, "Can not find a comment for the id: " + id + ".");
    it->body = text;
    ++it->updates;
    for (auto& k : keys)
      if (std::find(it->property_keys.begin(), it->property_keys.end(), k) == it->property_keys.end())
        it->property_keys.push_back(k);
    c = &*it;
  }
  json::object o;
  o["id"] = c->id;
  o["self"] = origin() + "/rest/api/" + (v3 ? "3" : "2") + "/issue/" + key + "/comment/" + c->id;
  if (v3) o["body"] = adf_of(c->body);
  else o["body"] = c->body;
  return json(id.empty() ? 201 : 200, json::serialize(o));
}

// ---------------------------------------------------------------------------------------------
// GitHub

namespace {

json::object github_comment(const fake_comment& c) {
  json::object o;
  o["id"] = number(c.id).value_or(0);
  o["node_id"] = "IC_" + c.id;
  o["body"] = c.body;
  o["user"] = {{"login", c.author}, {"type", c.author == "playbook-bot" ? "Bot" : "User"}};
  return o;
}

}  // namespace

fake_github::fake_github(std::string token, const fake_tls& tls) : token_(std::move(token)) {
  start(tls);
  link_origin_ = origin();
}

fake_github::~fake_github() { stop(); }

void fake_github::add_issue(std::string repo, std::uint64_t number, fake_issue issue) {
  std::lock_guard lock(mutex_);
  issues_[repo + "#" + std::to_string(number)] = std::move(issue);
}

void fake_github::set_link_origin(std::string origin) {
  std::lock_guard lock(mutex_);
  link_origin_ = std::move(origin);
}

bool fake_github::authorized(const request& req) const {
  const auto a = header_of(req, "Authorization");
  return a == "Bearer " + token_ || a == "token " + token_;
}

fake_tracker::response fake_github::unauthorized() const {
  return json(401, R"({"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"})");
}

fake_tracker::response fake_github::route(const request& req) {
  static const std::string not_found =
      R"({"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"})";
  const auto s = segments(req.target());
  const auto method = req.method();
  if (s.size() < 5 || s[0] != "repos" || s[3] != "issues") return json(404, not_found);
  const std::string repo = s[1] + "/" + s[2];
  if (s.size() == 6 && s[4] == "comments") {
    const auto& id = s[5];
    for (auto& [key, list] : comments_) {
      if (!key.starts_with(repo + "#")) continue;
      for (auto& c : list)
        if (c.id == id) {
          if (method == bhttp::verb::get) return json(200, json::serialize(github_comment(c)));
          if (method != bhttp::verb::patch) return json(404, not_found);
          boost::system::error_code ec;
          const auto v = json::parse(req.body(), ec);
          const auto* body = !ec && v.is_object() ? v.as_object().if_contains("body") : nullptr;
          if (body == nullptr || !body->is_string())
            return json(422, R"({"message":"Invalid request.\n\n\"body\" wasn't supplied.","status":"422"})");
          c.body = std::string(body->get_string());
          ++c.updates;
          return json(200, json::serialize(github_comment(c)));
        }
    }
    return json(404, not_found);
  }
  const std::string key = repo + "#" + s[4];
  const auto it = issues_.find(key);
  if (it == issues_.end()) return json(404, not_found);
  if (s.size() == 5 && method == bhttp::verb::get) {
    const auto& issue = it->second;
    json::object o;
    o["number"] = number(s[4]).value_or(0);
    o["title"] = issue.title;
    if (issue.body.empty()) o["body"] = nullptr;
    else o["body"] = issue.body;
    o["state"] = issue.state;
    json::array labels;
    for (const auto& l : issue.labels) labels.push_back({{"name", l}, {"color", "ededed"}});
    o["labels"] = std::move(labels);
    o["user"] = {{"login", "alice"}, {"type", "User"}};
    o["html_url"] = "https://github.com/" + repo + "/issues/" + s[4];
    return json(200, json::serialize(o));
  }
  if (s.size() == 6 && s[5] == "comments") {
    auto& list = comments_[key];
    if (method == bhttp::verb::post) {
      boost::system::error_code ec;
      const auto v = json::parse(req.body(), ec);
      const auto* body = !ec && v.is_object() ? v.as_object().if_contains("body") : nullptr;
      if (body == nullptr || !body->is_string())
        return json(422, R"({"message":"Invalid request.\n\n\"body\" wasn't supplied.","status":"422"})");
      list.push_back({.id = next_id(), .body = std::string(body->get_string())});
      return json(201, json::serialize(github_comment(list.back())));
    }
    if (method != bhttp::verb::get) return json(404, not_found);
    const auto size = page_size(query(req.target(), "per_page"));
    const auto page = std::max<std::uint64_t>(number(query(req.target(), "page")).value_or(1), 1);
    json::array out;
    for (std::size_t i = (page - 1) * size; i < list.size() && out.size() < size; ++i)
      out.push_back(github_comment(list[i]));
    const std::size_t pages = std::max<std::size_t>((list.size() + size - 1) / size, 1);
    auto res = json(200, json::serialize(out));
    const auto link = [&](std::size_t p) {
      return "<" + link_origin_ + "/repos/" + repo + "/issues/" + s[4] + "/comments?per_page=" + std::to_string(size) +
             "&page=" + std::to_string(p) + ">";
    };
    std::string links;
    if (page < pages) links = link(page + 1) + "; rel=\"next\", " + link(pages) + "; rel=\"last\"";
    if (page > 1) links += (links.empty() ? "" : ", ") + link(page - 1) + "; rel=\"prev\"";
    if (!links.empty()) res.set("Link", links);
    return res;
  }
  return json(404, not_found);
}

// ---------------------------------------------------------------------------------------------
// GitLab

namespace {

json::object gitlab_note(const fake_comment& c, std::string_view iid) {
  json::object o;
  o["id"] = number(c.id).value_or(0);
  o["body"] = c.body;
  o["system"] = c.system;
  o["author"] = {{"username", c.author}};
  o["noteable_type"] = "Issue";
  o["noteable_iid"] = number(iid).value_or(0);
  return o;
}

}  // namespace

fake_gitlab::fake_gitlab(std::string token, const fake_tls& tls) : token_(std::move(token)) { start(tls); }

fake_gitlab::~fake_gitlab() { stop(); }

std::string fake_gitlab::add_issue(std::string project, std::uint64_t iid, fake_issue issue) {
  std::lock_guard lock(mutex_);
  auto& id = project_ids_[project];
  if (id.empty()) id = std::to_string(next_project_id_++);
  issues_[project + "#" + std::to_string(iid)] = std::move(issue);
  return id;
}

std::string fake_gitlab::project_id(std::string_view project) const {
  std::lock_guard lock(mutex_);
  const auto it = project_ids_.find(project);
  return it == project_ids_.end() ? "" : it->second;
}

bool fake_gitlab::authorized(const request& req) const { return header_of(req, "PRIVATE-TOKEN") == token_; }

fake_tracker::response fake_gitlab::unauthorized() const { return json(401, R"({"message":"401 Unauthorized"})"); }

fake_tracker::response fake_gitlab::route(const request& req) {
  static const std::string not_found = R"({"message":"404 Not found"})";
  const auto s = segments(req.target());
  const auto method = req.method();
  if (s.size() < 6 || s[0] != "api" || s[1] != "v4" || s[2] != "projects" || s[4] != "issues")
    return json(404, R"({"error":"404 Not Found"})");
  std::string project = s[3];
  if (number(project)) {
    const auto it = std::find_if(project_ids_.begin(), project_ids_.end(),
                                 [&](const auto& p) { return p.second == project; });
    if (it == project_ids_.end()) return json(404, R"({"message":"404 Project Not Found"})");
    project = it->first;
  } else if (!project_ids_.contains(project)) {
    return json(404, R"({"message":"404 Project Not Found"})");
  }
  const std::string& iid = s[5];
  const std::string key = project + "#" + iid;
  const auto it = issues_.find(key);
  if (it == issues_.end()) return json(404, not_found);
  if (s.size() == 6 && method == bhttp::verb::get) {
    const auto& issue = it->second;
    json::object o;
    o["iid"] = number(iid).value_or(0);
    o["project_id"] = number(project_ids_[project]).value_or(0);
    o["title"] = issue.title;
    if (issue.body.empty()) o["description"] = nullptr;
    else o["description"] = issue.body;
    o["state"] = issue.state;
    json::array labels;
    for (const auto& l : issue.labels) labels.emplace_back(l);
    o["labels"] = std::move(labels);
    o["web_url"] = "https://gitlab.example/" + project + "/-/issues/" + iid;
    return json(200, json::serialize(o));
  }
  if (s.size() < 7 || s[6] != "notes") return json(404, not_found);
  auto& list = comments_[key];
  const auto body_of = [&](std::string& out) {
    boost::system::error_code ec;
    const auto v = json::parse(req.body(), ec);
    const auto* body = !ec && v.is_object() ? v.as_object().if_contains("body") : nullptr;
    if (body == nullptr || !body->is_string()) return false;
    out = std::string(body->get_string());
    return true;
  };
  if (s.size() == 7 && method == bhttp::verb::post) {
    std::string body;
    if (!body_of(body)) return json(400, R"({"error":"body is missing"})");
    list.push_back({.id = next_id(), .body = body});
    return json(201, json::serialize(gitlab_note(list.back(), iid)));
  }
  if (s.size() == 7 && method == bhttp::verb::get) {
    const auto size = page_size(query(req.target(), "per_page"));
    const auto page = std::max<std::uint64_t>(number(query(req.target(), "page")).value_or(1), 1);
    json::array out;
    for (std::size_t i = (page - 1) * size; i < list.size() && out.size() < size; ++i)
      out.push_back(gitlab_note(list[i], iid));
    const std::size_t pages = std::max<std::size_t>((list.size() + size - 1) / size, 1);
    auto res = json(200, json::serialize(out));
    res.set("X-Page", std::to_string(page));
    res.set("X-Per-Page", std::to_string(size));
    res.set("X-Next-Page", page < pages ? std::to_string(page + 1) : "");
    res.set("X-Prev-Page", page > 1 ? std::to_string(page - 1) : "");
    res.set("X-Total", std::to_string(list.size()));
    res.set("X-Total-Pages", std::to_string(pages));
    return res;
  }
  if (s.size() == 8) {
    const auto c = std::find_if(list.begin(), list.end(), [&](const fake_comment& x) { return x.id == s[7]; });
    if (c == list.end()) return json(404, R"({"message":"404 Note Not Found"})");
    if (method == bhttp::verb::get) return json(200, json::serialize(gitlab_note(*c, iid)));
    if (method != bhttp::verb::put) return json(405, R"({"error":"405 Method Not Allowed"})");
    std::string body;
    if (!body_of(body)) return json(400, R"({"error":"body is missing"})");
    c->body = body;
    ++c->updates;
    return json(200, json::serialize(gitlab_note(*c, iid)));
  }
  return json(404, not_found);
}

}  // namespace test
