#pragma once
// A stand-in for a platform's web API on 127.0.0.1 (port 0): answers each request with what the
// test's handler returns and remembers the requests, for testing outbound calls without the
// internet. One thread, one connection at a time, one request per connection. Optionally HTTPS
// (certificate and key PEM files, e.g. from test::test_ca), an old TLS version only, or silent
// (accepts and never reads or answers: for client timeouts). The handler may sleep to delay its
// answer; the destructor still returns promptly once the handler has.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test {

class fake_api {
 public:
  using request = boost::beast::http::request<boost::beast::http::string_body>;
  using response = boost::beast::http::response<boost::beast::http::string_body>;
  using handler = std::function<response(const request&)>;

  struct options {
    std::string cert_file;  // both set: HTTPS with this certificate (chain) ...
    std::string key_file;   // ... and private key, PEM
    int tls_version = 0;    // HTTPS: only this version (e.g. TLS1_1_VERSION); 0 any the library allows
    bool silent = false;    // accept connections, then never read, handshake or answer
  };

  explicit fake_api(handler h);
  fake_api(handler h, options o);
  ~fake_api();
  fake_api(const fake_api&) = delete;
  fake_api& operator=(const fake_api&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT", no trailing slash.
  std::string base_url() const;
  std::vector<request> requests() const;
  std::size_t connections() const { return connections_; }  // accepted so far

  // A 200 response with a JSON body.
  static response json(std::string body);

 private:
  struct tls;
  void serve(int fd);

  handler handler_;
  options options_;
  std::unique_ptr<tls> tls_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};
  std::vector<int> silent_fds_;  // the serving thread's only
  mutable std::mutex mutex_;
  std::vector<request> requests_;
  std::thread thread_;
};

}  // namespace test
