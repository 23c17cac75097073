// HMAC-SHA256, SHA-256 and the constant-time comparisons, checked against published vectors
// (GitHub's webhook sanity check, RFC 4231, FIPS 180 examples).

#include "integrations/http/crypto.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

namespace crypto = integrations::crypto;

std::string hex_mac(std::string_view key, std::initializer_list<std::string_view> parts) {
  return crypto::to_hex(crypto::hmac_sha256(key).mac(parts));
}

// GitHub's "Validating webhook deliveries" sanity check (reference section 7).
TEST(crypto, hmac_sha256_matches_the_github_sanity_vector) {
  EXPECT_EQ(hex_mac("It's a Secret to Everybody", {"Hello, World!"}),
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

// RFC 4231 test cases 1, 2 and 6 (binary key, short key, key longer than the block size).
TEST(crypto, hmac_sha256_matches_rfc_4231_vectors) {
  EXPECT_EQ(hex_mac(std::string(20, '\x0b'), {"Hi There"}),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex_mac("Jefe", {"what do ya want for nothing?"}),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(
      hex_mac(std::string(131, '\xaa'), {"Test Using Larger Than Block-Size Key - Hash Key First"}),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(crypto, mac_of_several_parts_equals_mac_of_their_concatenation) {
  const crypto::hmac_sha256 key("8f742231b10e8888abcd99yyyzzz85a5");
  const auto whole = key.mac({"v0:1531420618:token=abc&text=hello"});
  EXPECT_EQ(key.mac({"v0:", "1531420618", ":", "token=abc&text=hello"}), whole);
  EXPECT_EQ(key.mac({"v0:1531420618:", "token=abc&text=hello"}), whole);
  EXPECT_EQ(key.mac({"", "v0:1531420618:token=abc&text=hello", ""}), whole);
  EXPECT_NE(key.mac({"v0:", "1531420618", ":", "token=abc&text=hellO"}), whole);
}

TEST(crypto, mac_of_no_parts_equals_mac_of_the_empty_string) {
  const crypto::hmac_sha256 key("k");
  EXPECT_EQ(key.mac({}), key.mac({""}));
}

TEST(crypto, empty_key_works) {
  // HMAC-SHA256 with an empty key and an empty message, as computed by openssl dgst -hmac "".
  EXPECT_EQ(hex_mac("", {""}), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_NE(hex_mac("", {"x"}), hex_mac("k", {"x"}));
}

TEST(crypto, the_same_key_gives_the_same_mac_every_time) {
  const crypto::hmac_sha256 key("secret");
  const auto first = key.mac({"body"});
  EXPECT_EQ(key.mac({"body"}), first);
  EXPECT_EQ(key.mac({"body"}), first);
  EXPECT_NE(crypto::hmac_sha256("Secret").mac({"body"}), first);
}

TEST(crypto, a_moved_key_still_computes_the_same_mac) {
  crypto::hmac_sha256 key("It's a Secret to Everybody");
  crypto::hmac_sha256 moved(std::move(key));
  EXPECT_EQ(crypto::to_hex(moved.mac({"Hello, World!"})),
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  crypto::hmac_sha256 assigned("other");
  assigned = std::move(moved);
  EXPECT_EQ(crypto::to_hex(assigned.mac({"Hello, World!"})),
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST(crypto, mac_can_be_called_from_several_threads_at_once) {
  const crypto::hmac_sha256 key("It's a Secret to Everybody");
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results)
    threads.emplace_back([&key, &r] {
      for (int i = 0; i < 200; ++i) r = crypto::to_hex(key.mac({"Hello, ", "World!"}));
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results)
    EXPECT_EQ(r, "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST(crypto, to_hex_is_lowercase_two_digits_per_byte) {
  crypto::sha256_digest d{};
  d[0] = 0x00;
  d[1] = 0x0f;
  d[2] = 0xa0;
  d[3] = 0xff;
  d[31] = 0x5c;
  const auto hex = crypto::to_hex(d);
  ASSERT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.substr(0, 8), "000fa0ff");
  EXPECT_EQ(hex.substr(62), "5c");
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(crypto, sha256_of_known_inputs) {
  EXPECT_EQ(crypto::to_hex(crypto::sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(crypto::to_hex(crypto::sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(crypto::to_hex(crypto::sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(crypto, sha256_of_a_default_string_view_is_the_empty_digest) {
  EXPECT_EQ(crypto::to_hex(crypto::sha256(std::string_view{})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(crypto, equal_constant_time_compares_bytes) {
  EXPECT_TRUE(crypto::equal_constant_time("abc", "abc"));
  EXPECT_FALSE(crypto::equal_constant_time("abc", "abd"));
  EXPECT_FALSE(crypto::equal_constant_time("abc", "Abc"));
  EXPECT_TRUE(
      crypto::equal_constant_time(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(
      crypto::equal_constant_time(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

TEST(crypto, equal_constant_time_is_false_for_different_lengths) {
  EXPECT_FALSE(crypto::equal_constant_time("abc", "abcd"));
  EXPECT_FALSE(crypto::equal_constant_time("abcd", "abc"));
  EXPECT_FALSE(crypto::equal_constant_time("", "a"));
}

TEST(crypto, equal_constant_time_treats_two_empty_strings_as_equal) {
  EXPECT_TRUE(crypto::equal_constant_time("", ""));
  EXPECT_TRUE(crypto::equal_constant_time(std::string_view{}, ""));
}

TEST(crypto, tokens_equal_compares_bytes) {
  EXPECT_TRUE(crypto::tokens_equal("okwexkjpe7ygb8eq1ww58t483w", "okwexkjpe7ygb8eq1ww58t483w"));
  EXPECT_FALSE(crypto::tokens_equal("okwexkjpe7ygb8eq1ww58t483x", "okwexkjpe7ygb8eq1ww58t483w"));
  EXPECT_FALSE(crypto::tokens_equal("OKWEXKJPE7YGB8EQ1WW58T483W", "okwexkjpe7ygb8eq1ww58t483w"));
}

TEST(crypto, tokens_equal_is_false_for_different_lengths) {
  EXPECT_FALSE(crypto::tokens_equal("okwexkjpe7ygb8eq1ww58t483", "okwexkjpe7ygb8eq1ww58t483w"));
  EXPECT_FALSE(crypto::tokens_equal("okwexkjpe7ygb8eq1ww58t483ww", "okwexkjpe7ygb8eq1ww58t483w"));
  EXPECT_FALSE(crypto::tokens_equal("", "okwexkjpe7ygb8eq1ww58t483w"));
  EXPECT_FALSE(crypto::tokens_equal("okwexkjpe7ygb8eq1ww58t483w", ""));
}

TEST(crypto, tokens_equal_treats_two_empty_strings_as_equal) {
  // Refusing an empty token is the caller's job (token_checker does it); this is a pure compare.
  EXPECT_TRUE(crypto::tokens_equal("", ""));
}

}  // namespace
