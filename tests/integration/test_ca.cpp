#include "tests/integration/test_ca.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace test {

namespace {

struct key_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct cert_free {
  void operator()(X509* c) const { X509_free(c); }
};
struct bio_free {
  void operator()(BIO* b) const { BIO_free(b); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, key_free>;
using cert_ptr = std::unique_ptr<X509, cert_free>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test_ca: ") + what + " failed");
}

key_ptr new_key() {
  key_ptr k(EVP_EC_gen("P-256"));
  check(k != nullptr, "EC P-256 key generation");
  return k;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, value);
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(added == 1, "X509_add_ext");
}

// A certificate for subject_key named common_name; issuer == nullptr makes it self-signed.
// ca: basicConstraints CA:TRUE and keyCertSign; otherwise a TLS server certificate with san.
cert_ptr make_cert(EVP_PKEY* subject_key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                   bool ca, const char* san, long serial) {
  cert_ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509* c = cert.get();
  check(X509_set_version(c, 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(c), serial) == 1, "serial number");
  check(X509_gmtime_adj(X509_getm_notBefore(c), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(c), 24 * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(c, subject_key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(c);
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("playbook-bot tests"),
                                   -1, -1, 0) == 1, "subject O");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1,
                                   -1, 0) == 1, "subject CN");
  X509* signer = issuer != nullptr ? issuer : c;
  check(X509_set_issuer_name(c, X509_get_subject_name(signer)) == 1, "X509_set_issuer_name");
  add_extension(c, signer, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) add_extension(c, signer, NID_authority_key_identifier, "keyid:always");
  if (ca) {
    add_extension(c, signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(c, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(c, signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(c, signer, NID_key_usage, "critical,digitalSignature");
    add_extension(c, signer, NID_ext_key_usage, "serverAuth");
    add_extension(c, signer, NID_subject_alt_name, san);
  }
  check(X509_sign(c, issuer_key != nullptr ? issuer_key : subject_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

void write_cert(const std::string& path, X509* cert) {
  std::unique_ptr<BIO, bio_free> out(BIO_new_file(path.c_str(), "w"));
  check(out != nullptr && PEM_write_bio_X509(out.get(), cert) == 1, "writing a certificate");
}

void write_key(const std::string& path, EVP_PKEY* key) {
  std::unique_ptr<BIO, bio_free> out(BIO_new_file(path.c_str(), "w"));
  check(out != nullptr && PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "writing a key");
}

}  // namespace

test_ca::test_ca() {
  const auto file = [&](const char* name) { return (dir_.path() / name).string(); };
  constexpr const char* local_names = "IP:127.0.0.1,IP:::1,DNS:localhost";

  const auto ca_key = new_key();
  const auto ca = make_cert(ca_key.get(), "playbook-bot test CA", nullptr, nullptr, true, nullptr, 1);
  ca_file_ = file("ca.pem");
  write_cert(ca_file_, ca.get());

  const auto write_server = [&](server_files& out, const char* stem, const char* cn, const char* san, bool self_signed,
                                long serial) {
    const auto key = new_key();
    const auto cert = self_signed ? make_cert(key.get(), cn, nullptr, nullptr, false, san, serial)
                                  : make_cert(key.get(), cn, ca.get(), ca_key.get(), false, san, serial);
    out.cert = file((std::string(stem) + ".pem").c_str());
    out.key = file((std::string(stem) + ".key").c_str());
    write_cert(out.cert, cert.get());
    write_key(out.key, key.get());
  };
  write_server(localhost_, "localhost", "localhost", local_names, false, 2);
  write_server(wrong_host_, "wrong", "wrong.example", "DNS:wrong.example", false, 3);
  write_server(self_signed_, "self-signed", "localhost", local_names, true, 4);

  garbage_file_ = file("garbage.pem");
  std::ofstream(garbage_file_) << "this is not a certificate\n";
}

}  // namespace test
