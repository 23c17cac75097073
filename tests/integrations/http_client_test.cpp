// The outbound client on loopback: addresses parsed strictly; methods, bodies and headers sent;
// answers read with status and headers; no redirects; plain http only to loopback; each phase's
// deadline; HTTPS verified against a test CA made at test time (a certificate for another host, a
// self-signed one, an old TLS version refused); every failure a clear error.

#include "integrations/http/client.hpp"
#include "integrations/slack/usergroups.hpp"
#include "tests/integration/fake_api.hpp"
#include "tests/integration/test_ca.hpp"

#include <gtest/gtest.h>

#include <openssl/ssl.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace http = integrations::http;

TEST(http_client, addresses_are_parsed_strictly) {
  auto u = http::parse_url("https://slack.com/api/usergroups.users.list?usergroup=S1");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "slack.com");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/api/usergroups.users.list?usergroup=S1");
  u = http::parse_url("http://127.0.0.1:8081");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->port, "8081");
  EXPECT_EQ(u->target, "/");
  u = http::parse_url("http://[::1]:9/x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  for (const char* bad : {"ftp://x", "slack.com/api", "https://", "https://user:pw@host/", "https://h:0/",
                          "https://h:99999/", "https://h/a b", "https://[::1/"})
    EXPECT_FALSE(http::parse_url(bad)) << bad;
}

TEST(http_client, gets_status_and_body_and_sends_headers) {
  test::fake_api api([](const test::fake_api::request& req) {
    auto res = test::fake_api::json(R"({"ok":true,"users":["U1","U2"]})");
    if (req[boost::beast::http::field::authorization] != "Bearer xoxb-1") res.result(401);
    return res;
  });
  http::get_options o;
  o.headers.emplace_back("Authorization", "Bearer xoxb-1");
  const auto r = http::get("http://127.0.0.1:" + std::to_string(api.port()) + "/api/x?y=1", o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, R"({"ok":true,"users":["U1","U2"]})");
  ASSERT_EQ(api.requests().size(), 1u);
  EXPECT_EQ(api.requests()[0].target(), "/api/x?y=1");
  const auto unauthorized = http::get("http://127.0.0.1:" + std::to_string(api.port()) + "/");
  ASSERT_TRUE(unauthorized);
  EXPECT_EQ(unauthorized->status, 401u);
}

TEST(http_client, failures_are_clear_errors) {
  // Nothing listens on a port we bound and closed.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const auto closed_port = ntohs(addr.sin_port);
  ::close(fd);
  auto r = http::get("http://127.0.0.1:" + std::to_string(closed_port) + "/");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot connect"), std::string::npos) << r.error().message;

  test::fake_api big([](const test::fake_api::request&) { return test::fake_api::json(std::string(10'000, 'x')); });
  http::get_options small;
  small.body_limit = 1000;
  r = http::get("http://127.0.0.1:" + std::to_string(big.port()) + "/", small);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("the response is larger than 1000 bytes"), std::string::npos) << r.error().message;

  // A listener that accepts and never answers: the deadline ends it.
  int silent = ::socket(AF_INET, SOCK_STREAM, 0);
  addr.sin_port = 0;
  ::bind(silent, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(silent, 4);
  ::getsockname(silent, reinterpret_cast<sockaddr*>(&addr), &len);
  http::get_options quick;
  quick.timeout = std::chrono::milliseconds(300);
  r = http::get("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", quick);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos) << r.error().message;
  // TLS to a server that speaks plain HTTP fails the handshake, never falls back.
  r = http::get("https://127.0.0.1:" + std::to_string(big.port()) + "/", quick);
  ASSERT_FALSE(r);
  ::close(silent);
}

TEST(slack_usergroups, the_address_and_the_answer) {
  EXPECT_EQ(integrations::slack::usergroup_users_url("https://slack.com/api/", "S0604QSJC"),
            "https://slack.com/api/usergroups.users.list?usergroup=S0604QSJC");
  EXPECT_EQ(integrations::slack::usergroup_users_url("https://x/api", "S1&a=b"),
            "https://x/api/usergroups.users.list?usergroup=S1%26a%3Db");
  auto users = integrations::slack::parse_usergroup_users(R"({"ok":true,"users":["U060R4BJ4","W123A4BC5"]})");
  ASSERT_TRUE(users);
  EXPECT_EQ(*users, (std::vector<std::string>{"U060R4BJ4", "W123A4BC5"}));
  auto err = integrations::slack::parse_usergroup_users(R"({"ok":false,"error":"no_such_subteam"})");
  ASSERT_FALSE(err);
  EXPECT_NE(err.error().message.find("no_such_subteam"), std::string::npos);
  for (const char* bad : {"", "[]", "{}", R"({"ok":true})", R"({"ok":true,"users":[1]})", "{\"ok\":"})
    EXPECT_FALSE(integrations::slack::parse_usergroup_users(bad)) << bad;
}

namespace {

using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// Echoes what arrived, as JSON-ish text the test can check, with a few headers of its own.
test::fake_api::response echo(const test::fake_api::request& req) {
  auto res = test::fake_api::json(req.body());
  res.set("Retry-After", "7");
  res.set("X-RateLimit-Remaining", "0");
  return res;
}

}  // namespace

TEST(http_client, loopback_hosts) {
  for (const char* yes : {"localhost", "LocalHost", "127.0.0.1", "127.5.6.7", "127.255.255.254", "::1",
                          "::ffff:127.0.0.1"})
    EXPECT_TRUE(http::is_loopback_host(yes)) << yes;
  for (const char* no : {"", "128.0.0.1", "10.0.0.1", "0.0.0.0", "::", "::2", "example.com", "localhost.example.com",
                         "127.0.0.1.nip.io", "::ffff:10.0.0.1"})
    EXPECT_FALSE(http::is_loopback_host(no)) << no;
}

TEST(http_client, methods_bodies_and_headers_arrive) {
  test::fake_api api(echo);
  const http::client c;
  http::request_options o;
  o.headers.push_back({"Authorization", "Bearer t0ken"});
  for (const char* method : {"POST", "PUT", "PATCH"}) {
    const std::string body = std::string(R"({"method":")") + method + R"("})";
    const auto r = c.send(method, api.base_url() + "/repos/o/r/issues/1/comments?x=1", body, o);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, body);
  }
  ASSERT_TRUE(c.send("DELETE", api.base_url() + "/x", "", o));
  ASSERT_TRUE(c.send("GET", api.base_url() + "/y", "", o));
  // A POST without a body still says how long it is (some servers answer 411 otherwise).
  ASSERT_TRUE(c.send("POST", api.base_url() + "/empty", "", o));
  // The caller's Content-Type replaces the default.
  http::request_options form = o;
  form.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  ASSERT_TRUE(c.send("POST", api.base_url() + "/form", "a=1", form));

  const auto seen = api.requests();
  ASSERT_EQ(seen.size(), 7u);
  const char* methods[] = {"POST", "PUT", "PATCH", "DELETE", "GET", "POST", "POST"};
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].method_string(), methods[i]) << i;
    EXPECT_EQ(seen[i][bhttp::field::authorization], "Bearer t0ken") << i;
    EXPECT_EQ(seen[i][bhttp::field::user_agent], "playbook-bot") << i;
    EXPECT_EQ(seen[i][bhttp::field::host], "127.0.0.1:" + std::to_string(api.port())) << i;
  }
  EXPECT_EQ(seen[0].target(), "/repos/o/r/issues/1/comments?x=1");
  EXPECT_EQ(seen[0].body(), R"({"method":"POST"})");
  EXPECT_EQ(seen[0][bhttp::field::content_type], "application/json");
  EXPECT_EQ(seen[0][bhttp::field::content_length], "17");
  EXPECT_EQ(seen[2].body(), R"({"method":"PATCH"})");
  EXPECT_EQ(seen[3][bhttp::field::content_length], "");  // DELETE without a body
  EXPECT_EQ(seen[3][bhttp::field::content_type], "");
  EXPECT_EQ(seen[4][bhttp::field::content_type], "");   // GET
  EXPECT_EQ(seen[5][bhttp::field::content_length], "0");
  EXPECT_EQ(seen[6][bhttp::field::content_type], "application/x-www-form-urlencoded");
  EXPECT_EQ(seen[6].body(), "a=1");

  const auto bad = c.send("TRACE", api.base_url() + "/", "");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(contains(bad.error().message, "unsupported HTTP method TRACE")) << bad.error().message;
  // A header value cannot smuggle in another header.
  http::request_options injected;
  injected.headers.push_back({"Authorization", "Bearer x\r\nX-Evil: 1"});
  const auto refused = c.send("GET", api.base_url() + "/", "", injected);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(contains(refused.error().message, "the request header Authorization has a line break"))
      << refused.error().message;
  EXPECT_EQ(api.requests().size(), 7u);
}

TEST(http_client, response_headers_are_read_case_insensitively) {
  test::fake_api api(echo);
  const http::client c;
  const auto r = c.send("GET", api.base_url() + "/", "");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->header_value("retry-after"), "7");
  EXPECT_EQ(r->header_value("RETRY-AFTER"), "7");
  EXPECT_EQ(r->header_value("x-ratelimit-remaining"), "0");
  EXPECT_EQ(r->header_value("content-type"), "application/json");
  EXPECT_EQ(r->header_value("x-missing"), "");
}

TEST(http_client, a_redirect_is_an_answer_not_followed) {
  test::fake_api api([](const test::fake_api::request& req) {
    if (req.target() == "/moved") {
      test::fake_api::response res{bhttp::status::found, 11};
      res.set(bhttp::field::location, "/elsewhere");
      return res;
    }
    return test::fake_api::json("{}");
  });
  const http::client c;
  const auto r = c.send("POST", api.base_url() + "/moved", "{}");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 302u);
  EXPECT_EQ(r->header_value("Location"), "/elsewhere");
  EXPECT_EQ(api.requests().size(), 1u);
}

TEST(http_client, the_body_limit_holds) {
  test::fake_api api([](const test::fake_api::request&) { return test::fake_api::json(std::string(5000, 'x')); });
  const http::client c;
  http::request_options o;
  o.body_limit = 4999;
  auto r = c.send("GET", api.base_url() + "/", "", o);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "the response is larger than 4999 bytes")) << r.error().message;
  o.body_limit = 5000;
  r = c.send("GET", api.base_url() + "/", "", o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->body.size(), 5000u);
}

TEST(http_client, plain_http_only_to_loopback_unless_allowed) {
  const http::client c;
  for (const char* address : {"http://example.com/api", "http://10.0.0.1:8080/", "http://[2001:db8::1]/"}) {
    const auto r = c.send("GET", address, "");
    ASSERT_FALSE(r) << address;
    EXPECT_TRUE(contains(r.error().message, "is refused; use https or set PLAYBOOK_ALLOW_INSECURE_HTTP"))
        << r.error().message;
  }
  const auto r = c.send("GET", "http://example.com/", "");
  EXPECT_EQ(r.error().message, "plain http to example.com is refused; use https or set PLAYBOOK_ALLOW_INSECURE_HTTP");
  // Allowed, the request goes out (and fails further on: .invalid never resolves).
  const http::client insecure({.ca_file = "", .allow_insecure_http = true});
  http::request_options quick;
  quick.connect_timeout = 2s;
  const auto allowed = insecure.send("GET", "http://playbook-bot-test.invalid/", "", quick);
  ASSERT_FALSE(allowed);
  EXPECT_FALSE(contains(allowed.error().message, "refused")) << allowed.error().message;
  // Loopback by name or address works.
  test::fake_api api(echo);
  EXPECT_TRUE(c.send("GET", "http://localhost:" + std::to_string(api.port()) + "/", ""));
  EXPECT_TRUE(c.send("GET", api.base_url() + "/", ""));
}

TEST(http_client, each_phase_has_its_deadline) {
  test::fake_api silent(nullptr, {.cert_file = "", .key_file = "", .tls_version = 0, .silent = true});
  const http::client c;
  http::request_options o;
  o.connect_timeout = o.handshake_timeout = o.write_timeout = o.read_timeout = 5s;

  // Accepted, never answered: the read deadline.
  o.read_timeout = 300ms;
  auto started = std::chrono::steady_clock::now();
  auto r = c.send("GET", silent.base_url() + "/", "", o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "reading the response from 127.0.0.1:" + std::to_string(silent.port()) +
                                   " failed: timed out after 300 ms");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  o.read_timeout = 5s;

  // TLS to a server that never handshakes: the handshake deadline.
  o.handshake_timeout = 300ms;
  r = c.send("GET", "https://127.0.0.1:" + std::to_string(silent.port()) + "/", "", o);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "TLS with 127.0.0.1:")) << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "timed out after 300 ms")) << r.error().message;
  o.handshake_timeout = 5s;

  // A body larger than the socket buffers (a silent reader keeps its receive window small) to a
  // server that never reads: the write deadline.
  o.write_timeout = 300ms;
  r = c.send("POST", silent.base_url() + "/", std::string(16u << 20, 'x'), o);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "sending the request to 127.0.0.1:")) << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "timed out after 300 ms")) << r.error().message;
  o.write_timeout = 5s;

  // The bound on the whole exchange, shorter than any phase's.
  o.total_timeout = 200ms;
  started = std::chrono::steady_clock::now();
  r = c.send("GET", silent.base_url() + "/", "", o);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "timed out after 200 ms (while reading the response)")) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_GE(silent.connections(), 4u);
}

TEST(http_client, the_connect_deadline) {
  // A listener whose accept queue is full: Linux drops further SYNs, so connect hangs.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 3; ++i) {
    const int f = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(f, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(f);
  }
  std::this_thread::sleep_for(100ms);
  const http::client c;
  http::request_options o;
  o.connect_timeout = 300ms;
  const auto r = c.send("GET", "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", "", o);
  for (const int f : fillers) ::close(f);
  ::close(fd);
  ASSERT_FALSE(r);
  if (!contains(r.error().message, "timed out")) GTEST_SKIP() << "this kernel did not drop the SYN: " << r.error().message;
  EXPECT_EQ(r.error().message,
            "cannot connect to 127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + ": timed out after 300 ms");
}

TEST(http_client, https_with_the_test_ca) {
  test::test_ca ca;
  test::fake_api api(echo, {.cert_file = ca.localhost().cert, .key_file = ca.localhost().key});
  const http::client c({.ca_file = ca.ca_file()});
  auto r = c.send("POST", api.base_url() + "/a", R"({"x":1})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, R"({"x":1})");
  // By name: SNI and the DNS entry of the certificate.
  r = c.send("GET", "https://localhost:" + std::to_string(api.port()) + "/b", "");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(api.requests().size(), 2u);
  EXPECT_EQ(api.requests()[1][bhttp::field::host], "localhost:" + std::to_string(api.port()));

  // One client, many threads.
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i)
        if (const auto x = c.send("GET", api.base_url() + "/t", ""); x && x->status == 200) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 20);
}

TEST(http_client, a_certificate_for_another_host_is_refused) {
  test::test_ca ca;
  test::fake_api api(echo, {.cert_file = ca.wrong_host().cert, .key_file = ca.wrong_host().key});
  const http::client c({.ca_file = ca.ca_file()});
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    const auto r = c.send("GET", "https://" + host + ":" + std::to_string(api.port()) + "/", "");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "TLS with " + host + ":" + std::to_string(api.port()) +
                                     " failed: the certificate is not for " + host + " (host name verification failed)");
  }
  EXPECT_TRUE(api.requests().empty());
}

TEST(http_client, a_chain_outside_the_trust_store_is_refused) {
  test::test_ca ca;
  {
    test::fake_api api(echo, {.cert_file = ca.self_signed().cert, .key_file = ca.self_signed().key});
    const http::client c({.ca_file = ca.ca_file()});
    const auto r = c.send("GET", api.base_url() + "/", "");
    ASSERT_FALSE(r);
    EXPECT_TRUE(contains(r.error().message, "failed: the certificate is not trusted: self")) << r.error().message;
    EXPECT_TRUE(api.requests().empty());
  }
  {
    // The test CA is not in the system store: a default client refuses the CA's own leaf.
    test::fake_api api(echo, {.cert_file = ca.localhost().cert, .key_file = ca.localhost().key});
    const http::client system_store;
    const auto r = system_store.send("GET", api.base_url() + "/", "");
    ASSERT_FALSE(r);
    EXPECT_TRUE(contains(r.error().message, "the certificate is not trusted: unable to get local issuer certificate"))
        << r.error().message;
    EXPECT_TRUE(api.requests().empty());
  }
}

TEST(http_client, tls_older_than_1_2_is_refused) {
  test::test_ca ca;
  test::fake_api api(echo, {.cert_file = ca.localhost().cert, .key_file = ca.localhost().key,
                            .tls_version = TLS1_1_VERSION});
  const http::client c({.ca_file = ca.ca_file()});
  const auto r = c.send("GET", api.base_url() + "/", "");
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "TLS with 127.0.0.1:")) << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "protocol version")) << r.error().message;
  EXPECT_TRUE(api.requests().empty());
}

TEST(http_client, an_unreadable_ca_file_is_named) {
  test::test_ca ca;
  for (const std::string& path : {std::string("/nonexistent/playbook-ca.pem"), ca.garbage_file()}) {
    try {
      const http::client c({.ca_file = path});
      ADD_FAILURE() << "no exception for " << path;
    } catch (const std::runtime_error& e) {
      EXPECT_TRUE(contains(e.what(), "cannot read the CA file " + path)) << e.what();
    }
  }
}
