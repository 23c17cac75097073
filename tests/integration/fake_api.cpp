#include "tests/integration/fake_api.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace test {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;

struct fake_api::tls {
  net::ssl::context ctx{net::ssl::context::tls_server};
};

fake_api::fake_api(handler h) : fake_api(std::move(h), options{}) {}

fake_api::fake_api(handler h, options o) : handler_(std::move(h)), options_(std::move(o)) {
  if (!options_.cert_file.empty() || !options_.key_file.empty()) {
    tls_ = std::make_unique<tls>();
    tls_->ctx.use_certificate_chain_file(options_.cert_file);
    tls_->ctx.use_private_key_file(options_.key_file, net::ssl::context::pem);
    if (options_.tls_version != 0) {
      SSL_CTX* ctx = tls_->ctx.native_handle();
      // OpenSSL 3 refuses TLS 1.0/1.1 at the default security level; an old server needs level 0.
      SSL_CTX_set_security_level(ctx, 0);
      SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
      SSL_CTX_set_min_proto_version(ctx, options_.tls_version);
      SSL_CTX_set_max_proto_version(ctx, options_.tls_version);
    }
  }
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
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      if (options_.silent) {
        silent_fds_.push_back(fd);
        continue;
      }
      serve(fd);
    }
  });
}

fake_api::~fake_api() {
  stopping_ = true;
  thread_.join();
  for (const int fd : silent_fds_) ::close(fd);
  ::close(listen_fd_);
}

// One connection: (handshake,) read one request, answer, close. Asynchronous only so that a
// client that stalls cannot hold the thread past the destructor or a few seconds.
void fake_api::serve(int fd) {
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc, net::ip::tcp::v4(), fd);
  std::optional<net::ssl::stream<net::ip::tcp::socket&>> tls_stream;
  boost::beast::flat_buffer buffer;
  request req;
  response res;

  const auto answer = [&](auto& stream) {
    bhttp::async_read(stream, buffer, req, [&](boost::system::error_code ec, std::size_t) {
      if (ec) return;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(req);
      }
      res = handler_(req);
      res.keep_alive(false);
      res.prepare_payload();
      bhttp::async_write(stream, res, [&](boost::system::error_code, std::size_t) {
        // The body has a Content-Length: closing the TCP connection ends the exchange; no TLS
        // close_notify dance, the client does not wait for one.
        boost::system::error_code ignored;
        socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
      });
    });
  };
  if (tls_) {
    tls_stream.emplace(socket, tls_->ctx);
    tls_stream->async_handshake(net::ssl::stream_base::server, [&](boost::system::error_code ec) {
      if (!ec) answer(*tls_stream);
    });
  } else {
    answer(socket);
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!stopping_ && !ioc.stopped() && std::chrono::steady_clock::now() < give_up)
    ioc.run_for(std::chrono::milliseconds(20));
  if (!ioc.stopped()) {
    // Stopping (or a stalled client): close, and let the aborted operations finish.
    boost::system::error_code ignored;
    socket.close(ignored);
    ioc.restart();
    ioc.run();
  }
}

std::string fake_api::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
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
