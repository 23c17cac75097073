#pragma once
// A certificate authority and server certificates made at test time with OpenSSL (EC P-256 keys,
// SHA-256 signatures, valid from an hour ago for a day), written as PEM files into a fresh
// temporary folder that goes away with the object. For HTTPS test servers (test::fake_api with
// cert/key files) and clients that trust only the test CA (http::client_settings::ca_file).
//
//   test::test_ca ca;
//   test::fake_api api(handler, {.cert_file = ca.localhost().cert, .key_file = ca.localhost().key});
//   integrations::http::client c({.ca_file = ca.ca_file()});

#include "tests/storage/temp_dir.hpp"

#include <string>

namespace test {

class test_ca {
 public:
  struct server_files {
    std::string cert;  // PEM certificate
    std::string key;   // PEM private key (unencrypted)
  };

  test_ca();  // throws std::runtime_error when OpenSSL fails
  test_ca(const test_ca&) = delete;
  test_ca& operator=(const test_ca&) = delete;

  // The CA certificate: what a client trusts.
  const std::string& ca_file() const { return ca_file_; }
  // Signed by the CA for 127.0.0.1, ::1 and localhost (subjectAltName IP and DNS entries).
  const server_files& localhost() const { return localhost_; }
  // Signed by the CA for "wrong.example" only: a trusted chain for another host.
  const server_files& wrong_host() const { return wrong_host_; }
  // For 127.0.0.1, ::1 and localhost, but signed by its own key: a chain no trust store holds.
  const server_files& self_signed() const { return self_signed_; }
  // A file that is not PEM at all, for "unreadable CA file" tests.
  const std::string& garbage_file() const { return garbage_file_; }

 private:
  storage_test::temp_dir dir_;
  std::string ca_file_;
  server_files localhost_, wrong_host_, self_signed_;
  std::string garbage_file_;
};

}  // namespace test
