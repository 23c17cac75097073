// Teams outgoing-webhook verification: base64 (RFC 4648 vectors and strictness), the HMAC scheme
// against the reference's vector and one computed here with openssl, malformed headers, several
// webhooks' tokens, and what the messages may say.

#include "integrations/http/crypto.hpp"
#include "integrations/teams/verify.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace crypto = integrations::crypto;
using integrations::teams::describe;
using integrations::teams::hmac_verifier;
using integrations::teams::token_problem;
using integrations::teams::verify_status;

// --- base64 ----------------------------------------------------------------------------------

TEST(crypto_base64, encodes_the_rfc_4648_vectors) {
  EXPECT_EQ(crypto::base64_encode(""), "");
  EXPECT_EQ(crypto::base64_encode("f"), "Zg==");
  EXPECT_EQ(crypto::base64_encode("fo"), "Zm8=");
  EXPECT_EQ(crypto::base64_encode("foo"), "Zm9v");
  EXPECT_EQ(crypto::base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(crypto::base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(crypto::base64_encode("foobar"), "Zm9vYmFy");
}

TEST(crypto_base64, decodes_the_rfc_4648_vectors) {
  EXPECT_EQ(crypto::base64_decode(""), std::string());
  EXPECT_EQ(crypto::base64_decode("Zg=="), "f");
  EXPECT_EQ(crypto::base64_decode("Zm8="), "fo");
  EXPECT_EQ(crypto::base64_decode("Zm9v"), "foo");
  EXPECT_EQ(crypto::base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(crypto::base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(crypto::base64_decode("Zm9vYmFy"), "foobar");
}

TEST(crypto_base64, uses_the_standard_alphabet_with_plus_and_slash) {
  EXPECT_EQ(crypto::base64_encode("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(crypto::base64_decode("+/+/"), "\xfb\xff\xbf");
  EXPECT_EQ(crypto::base64_decode("-_-_"), std::nullopt);  // the URL-safe alphabet is not accepted
}

TEST(crypto_base64, round_trips_every_byte_value_and_length) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 1) {
    const auto bytes = all.substr(all.size() - n);
    const auto encoded = crypto::base64_encode(bytes);
    EXPECT_EQ(encoded.size(), (n + 2) / 3 * 4);
    EXPECT_EQ(crypto::base64_decode(encoded), bytes) << n;
  }
}

TEST(crypto_base64, decodes_the_teams_documentation_key_to_32_bytes) {
  const auto key = crypto::base64_decode("vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 32u);
  EXPECT_EQ(crypto::base64_encode(*key), "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=");
}

TEST(crypto_base64, refuses_a_length_that_is_not_a_multiple_of_four) {
  for (std::string_view s : {"Z", "Zg", "Zg=", "Zm9", "Zm9vY", "Zm9vYg=", "Zm9vYmFy="})
    EXPECT_EQ(crypto::base64_decode(s), std::nullopt) << s;
}

TEST(crypto_base64, refuses_characters_outside_the_alphabet) {
  for (std::string_view s : {"Zm9v!mFy", "Zm9v YmF", "Zm9v\nYmF", " Zm9vYmFy", "Zm9vYmFy ",
                             "Zm9\xc3\xa9", "Zm9.", "Zm9v\tmFy"})
    EXPECT_EQ(crypto::base64_decode(s), std::nullopt) << s;
  EXPECT_EQ(crypto::base64_decode(std::string_view("Zm9\0", 4)), std::nullopt);
}

TEST(crypto_base64, refuses_padding_anywhere_but_the_end) {
  for (std::string_view s : {"Zg==Zg==", "Z===", "====", "=Zm9", "Zm=v", "Zg=a", "Zm9vY===",
                             "Zm9v===="})
    EXPECT_EQ(crypto::base64_decode(s), std::nullopt) << s;
}

TEST(crypto_base64, refuses_non_zero_bits_under_the_padding) {
  // "Zg==" is the only spelling of "f"; "Zh==" and "Zm9=" carry bits that no byte holds.
  EXPECT_EQ(crypto::base64_decode("Zh=="), std::nullopt);
  EXPECT_EQ(crypto::base64_decode("Zm9="), std::nullopt);
  EXPECT_EQ(crypto::base64_decode("Zm/="), std::nullopt);
  EXPECT_EQ(crypto::base64_decode("Zm8="), "fo");
}

TEST(crypto_base64, refuses_unpadded_input) {
  EXPECT_EQ(crypto::base64_decode("Zm9vYg"), std::nullopt);
  EXPECT_EQ(crypto::base64_decode("Zm9vYmE"), std::nullopt);
}

// --- verification ----------------------------------------------------------------------------

// The reference's self-generated vector (section 7): the key of Microsoft's documentation
// example, a body of our own, the signature agreed by Python hmac and openssl.
constexpr std::string_view doc_token = "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=";
constexpr std::string_view doc_body = R"({"type":"message","text":"<at>Bot</at> ping"})";
constexpr std::string_view doc_header = "HMAC SRENf21rendN6HhRZb4ppXTyyImzGCK6USvXHd3dmzE=";
constexpr std::string_view doc_signature = "SRENf21rendN6HhRZb4ppXTyyImzGCK6USvXHd3dmzE=";

// A second vector computed for this test, independently of the code under test:
//   KEYHEX=9f1c7e22b4a85d3360e1f0c4a7d29b58e3416c0df2ab97154c8e6d3a0b2f7e91
//   printf '%s' "$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEYHEX -binary | base64
// (the token is that key in base64: echo -n $KEYHEX | xxd -r -p | base64).
constexpr std::string_view own_token = "nxx+IrSoXTNg4fDEp9KbWONBbA3yq5cVTI5tOgsvfpE=";
constexpr std::string_view own_body =
    R"({"type":"message","id":"1718203440123","text":"<at>Playbook</at> criteria\n",)"
    R"("from":{"id":"29:1Bd6","name":"Dana Whitfield"}})";
constexpr std::string_view own_header = "HMAC PiufjnlkrR3llQqQ/0BYvdw4xgPuSUl/zB24Cetifu4=";

// Microsoft's documentation example header for the same key: its body was never published.
constexpr std::string_view microsoft_header = "HMAC 03TCao0i55H1eVKUusZOTZRjtvYTs+mO41mPL+R1e1U=";

constexpr verify_status all_statuses[] = {verify_status::ok, verify_status::missing_header,
                                          verify_status::malformed_header,
                                          verify_status::bad_signature};

}  // namespace

// gtest prints a failing verify_status by its description rather than as a number.
namespace integrations::teams {
void PrintTo(verify_status s, std::ostream* os) { *os << describe(s); }
}  // namespace integrations::teams

namespace {

hmac_verifier doc_verifier() { return hmac_verifier({std::string(doc_token)}); }

// "HMAC " + base64(HMAC-SHA256(base64decode(token), body)), from the crypto primitives.
std::string header_for(std::string_view token, std::string_view body) {
  const auto mac = crypto::hmac_sha256(*crypto::base64_decode(token)).mac({body});
  return "HMAC " +
         crypto::base64_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

std::string invalid_argument_of(const std::vector<std::string>& tokens) {
  try {
    hmac_verifier v(tokens);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  ADD_FAILURE() << "the verifier accepted the tokens";
  return {};
}

TEST(teams_verify, accepts_the_reference_vector) {
  EXPECT_EQ(doc_verifier().verify(doc_header, doc_body), verify_status::ok);
}

TEST(teams_verify, accepts_the_vector_computed_with_openssl) {
  ASSERT_EQ(own_body.size(), 125u);  // the bytes openssl signed, "\n" being two characters
  const hmac_verifier v({std::string(own_token)});
  EXPECT_EQ(v.verify(own_header, own_body), verify_status::ok);
}

TEST(teams_verify, the_crypto_primitives_reproduce_both_vectors) {
  EXPECT_EQ(header_for(doc_token, doc_body), doc_header);
  EXPECT_EQ(header_for(own_token, own_body), own_header);
}

TEST(teams_verify, the_unpublished_documentation_body_is_neither_empty_nor_an_empty_object) {
  const auto v = doc_verifier();
  EXPECT_EQ(v.verify(microsoft_header, ""), verify_status::bad_signature);
  EXPECT_EQ(v.verify(microsoft_header, "{}"), verify_status::bad_signature);
}

TEST(teams_verify, rejects_the_vector_with_another_key) {
  const hmac_verifier v({std::string(own_token)});
  EXPECT_EQ(v.verify(doc_header, doc_body), verify_status::bad_signature);
  const hmac_verifier w({std::string(doc_token)});
  EXPECT_EQ(w.verify(own_header, own_body), verify_status::bad_signature);
}

TEST(teams_verify, rejects_the_body_with_one_byte_changed) {
  const auto v = doc_verifier();
  std::string changed(doc_body);
  changed[changed.find("ping")] = 'P';
  EXPECT_EQ(v.verify(doc_header, changed), verify_status::bad_signature);
  EXPECT_EQ(v.verify(doc_header, std::string(doc_body) + "\n"), verify_status::bad_signature);
  EXPECT_EQ(v.verify(doc_header, doc_body.substr(0, doc_body.size() - 1)),
            verify_status::bad_signature);
}

TEST(teams_verify, rejects_a_signature_with_one_bit_changed) {
  const auto v = doc_verifier();
  std::string changed(doc_header);
  changed[5] = changed[5] == 'S' ? 'T' : 'S';
  EXPECT_EQ(v.verify(changed, doc_body), verify_status::bad_signature);
}

TEST(teams_verify, an_absent_or_repeated_header_is_missing) {
  // The server passes nullopt for both: a repeated Authorization header is never chosen from.
  EXPECT_EQ(doc_verifier().verify(std::nullopt, doc_body), verify_status::missing_header);
}

TEST(teams_verify, an_empty_header_is_missing) {
  EXPECT_EQ(doc_verifier().verify("", doc_body), verify_status::missing_header);
}

TEST(teams_verify, the_scheme_is_case_insensitive) {
  const auto v = doc_verifier();
  EXPECT_EQ(v.verify("hmac " + std::string(doc_signature), doc_body), verify_status::ok);
  EXPECT_EQ(v.verify("Hmac " + std::string(doc_signature), doc_body), verify_status::ok);
}

TEST(teams_verify, several_spaces_after_the_scheme_are_allowed) {
  EXPECT_EQ(doc_verifier().verify("HMAC   " + std::string(doc_signature), doc_body),
            verify_status::ok);
}

TEST(teams_verify, rejects_another_scheme) {
  const auto v = doc_verifier();
  EXPECT_EQ(v.verify("Bearer " + std::string(doc_signature), doc_body),
            verify_status::malformed_header);
  EXPECT_EQ(v.verify("Basic " + std::string(doc_signature), doc_body),
            verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC-SHA256 " + std::string(doc_signature), doc_body),
            verify_status::malformed_header);
  EXPECT_EQ(v.verify(doc_signature, doc_body), verify_status::malformed_header);
}

TEST(teams_verify, rejects_the_scheme_without_a_signature) {
  const auto v = doc_verifier();
  EXPECT_EQ(v.verify("HMAC", doc_body), verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC ", doc_body), verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC\t" + std::string(doc_signature), doc_body),
            verify_status::malformed_header);
}

TEST(teams_verify, rejects_malformed_base64) {
  const auto v = doc_verifier();
  const std::string sig(doc_signature);
  EXPECT_EQ(v.verify("HMAC " + sig.substr(0, sig.size() - 1), doc_body),
            verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC " + sig + "=", doc_body), verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC " + sig + " ", doc_body), verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC " + sig + "," + sig, doc_body), verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC SRENf21rendN6HhRZb4ppXTyyImzGCK6USvXHd3dmzE!", doc_body),
            verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC SRENf21rendN6HhRZb4ppXTyyImzGCK6USvXHd3dmzE", doc_body),
            verify_status::malformed_header);
}

TEST(teams_verify, rejects_a_signature_of_the_wrong_length) {
  const auto v = doc_verifier();
  EXPECT_EQ(v.verify("HMAC " + crypto::base64_encode(std::string(31, 'x')), doc_body),
            verify_status::malformed_header);
  EXPECT_EQ(v.verify("HMAC " + crypto::base64_encode(std::string(33, 'x')), doc_body),
            verify_status::malformed_header);
  // A hex digest (the documentation's "UTF-8" wording read literally) is not what Teams sends.
  EXPECT_EQ(v.verify("HMAC 4911"
                     "0d7f6d6b7a774de878459bc6e2a574f2c88993cc60ae8522bd5ef71dddd99b31",
                     doc_body),
            verify_status::malformed_header);
}

TEST(teams_verify, an_empty_body_is_checked_like_any_other) {
  // Teams never sends one; parse_activity refuses it. The signature is still what decides here.
  const auto v = doc_verifier();
  EXPECT_EQ(v.verify(doc_header, ""), verify_status::bad_signature);
  EXPECT_EQ(v.verify(header_for(doc_token, ""), ""), verify_status::ok);
}

TEST(teams_verify, accepts_a_signature_made_with_any_configured_token) {
  const hmac_verifier v({std::string(doc_token), std::string(own_token)});
  EXPECT_EQ(v.verify(own_header, own_body), verify_status::ok);  // the second token matches
  EXPECT_EQ(v.verify(doc_header, doc_body), verify_status::ok);  // and the first
  EXPECT_EQ(v.verify(own_header, doc_body), verify_status::bad_signature);
}

TEST(teams_verify, round_trips_many_bodies) {
  const hmac_verifier v({std::string(own_token)});
  const std::string bodies[] = {
      "{}",
      std::string("\x00\xFF\xC3\xA9 binary", 11),
      std::string(100000, 'x'),
  };
  for (const auto& b : bodies) {
    EXPECT_EQ(v.verify(header_for(own_token, b), b), verify_status::ok) << b.size();
    EXPECT_EQ(v.verify(header_for(own_token, b), b + "x"), verify_status::bad_signature);
  }
}

TEST(teams_verify, token_problem_accepts_teams_tokens) {
  EXPECT_EQ(token_problem(doc_token), std::nullopt);
  EXPECT_EQ(token_problem(own_token), std::nullopt);
  EXPECT_EQ(token_problem(crypto::base64_encode(std::string(16, 'k'))), std::nullopt);
}

TEST(teams_verify, token_problem_names_what_is_wrong) {
  ASSERT_TRUE(token_problem(""));
  EXPECT_NE(token_problem("")->find("empty"), std::string::npos);
  ASSERT_TRUE(token_problem("not-base64!"));
  EXPECT_NE(token_problem("not-base64!")->find("base64"), std::string::npos);
  const auto short_key = token_problem(crypto::base64_encode(std::string(15, 'k')));
  ASSERT_TRUE(short_key);
  EXPECT_NE(short_key->find("15 bytes"), std::string::npos) << *short_key;
  EXPECT_NE(short_key->find("16"), std::string::npos) << *short_key;
  ASSERT_TRUE(token_problem(std::string(doc_token) + "\n"));
  EXPECT_NE(token_problem(std::string(doc_token) + "\n")->find("whitespace"), std::string::npos);
}

TEST(teams_verify, token_problem_never_repeats_the_token) {
  for (std::string_view t : {std::string_view("vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA"),
                             std::string_view("dmVyeXNob3J0"), std::string_view("vqF0En+Z0ucu RTM/")})
    if (const auto p = token_problem(t)) {
      EXPECT_EQ(p->find(t), std::string::npos) << *p;
      EXPECT_EQ(p->find("vqF0"), std::string::npos) << *p;
      EXPECT_EQ(p->find("dmVy"), std::string::npos) << *p;
    } else {
      ADD_FAILURE() << t;
    }
}

TEST(teams_verify, the_constructor_names_the_position_of_an_invalid_token_not_its_value) {
  const std::string bad = "c2VjcmV0LXZhbHVl!";  // not base64
  const auto message = invalid_argument_of({std::string(doc_token), bad, std::string(own_token)});
  EXPECT_NE(message.find("token 2 of 3"), std::string::npos) << message;
  EXPECT_NE(message.find("base64"), std::string::npos) << message;
  EXPECT_EQ(message.find(bad), std::string::npos) << message;
  EXPECT_EQ(message.find("c2VjcmV0"), std::string::npos) << message;
  EXPECT_EQ(message.find(doc_token), std::string::npos) << message;
}

TEST(teams_verify, the_constructor_refuses_a_short_key) {
  const auto message = invalid_argument_of({crypto::base64_encode("short")});
  EXPECT_NE(message.find("token 1 of 1"), std::string::npos) << message;
  EXPECT_NE(message.find("5 bytes"), std::string::npos) << message;
}

TEST(teams_verify, the_constructor_refuses_an_empty_list_or_entry) {
  EXPECT_THROW(hmac_verifier(std::vector<std::string>{}), std::invalid_argument);
  EXPECT_NE(invalid_argument_of({std::string(doc_token), ""}).find("token 2 of 2 is empty"),
            std::string::npos);
}

TEST(teams_verify, describe_gives_a_distinct_non_empty_reason_for_every_status) {
  std::set<std::string_view> seen;
  for (auto s : all_statuses) {
    EXPECT_FALSE(describe(s).empty());
    EXPECT_TRUE(seen.insert(describe(s)).second) << describe(s);
  }
  EXPECT_EQ(describe(verify_status::ok), "ok");
  EXPECT_EQ(describe(static_cast<verify_status>(99)), "unknown");
}

TEST(teams_verify, describe_of_each_failure_leaks_neither_token_nor_signature) {
  const auto v = doc_verifier();
  const verify_status produced[] = {
      v.verify(std::nullopt, doc_body),
      v.verify("Bearer x", doc_body),
      v.verify(doc_header, "tampered"),
  };
  std::set<verify_status> distinct(std::begin(produced), std::end(produced));
  EXPECT_EQ(distinct.size(), 3u);
  for (auto s : produced) {
    const auto d = describe(s);
    EXPECT_EQ(d.find(doc_token), std::string_view::npos) << d;
    EXPECT_EQ(d.find(doc_signature.substr(0, 8)), std::string_view::npos) << d;
  }
}

}  // namespace
