// The outbound GET: addresses parsed strictly, answers read with their status, and every failure
// (refused, silent server, oversized answer, TLS to a plain server) a clear error, on loopback.

#include "integrations/http/client.hpp"
#include "integrations/slack/usergroups.hpp"
#include "tests/integration/fake_api.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

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
