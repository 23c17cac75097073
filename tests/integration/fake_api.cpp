#include "tests/integration/fake_api.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace test {

namespace bhttp = boost::beast::http;

fake_api::fake_api(handler h) : handler_(std::move(h)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("fake_api: cannot listen");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] {
    boost::asio::io_context ioc;
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      boost::asio::ip::tcp::socket socket(ioc, boost::asio::ip::tcp::v4(), fd);
      boost::beast::flat_buffer buffer;
      boost::system::error_code ec;
      request req;
      bhttp::read(socket, buffer, req, ec);
      if (ec) continue;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(req);
      }
      auto res = handler_(req);
      res.keep_alive(false);
      res.prepare_payload();
      bhttp::write(socket, res, ec);
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
  });
}

fake_api::~fake_api() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::vector<fake_api::request> fake_api::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

fake_api::response fake_api::json(std::string body) {
  response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

}  // namespace test
