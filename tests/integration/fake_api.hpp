#pragma once
// A stand-in for a platform's web API on 127.0.0.1 (port 0): answers each request with what the
// test's handler returns and remembers the requests, for testing outbound calls without the
// internet.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace test {

class fake_api {
 public:
  using request = boost::beast::http::request<boost::beast::http::string_body>;
  using response = boost::beast::http::response<boost::beast::http::string_body>;
  using handler = std::function<response(const request&)>;

  explicit fake_api(handler h);
  ~fake_api();
  fake_api(const fake_api&) = delete;
  fake_api& operator=(const fake_api&) = delete;

  std::uint16_t port() const { return port_; }
  std::vector<request> requests() const;

  // A 200 response with a JSON body.
  static response json(std::string body);

 private:
  handler handler_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<request> requests_;
  std::thread thread_;
};

}  // namespace test
