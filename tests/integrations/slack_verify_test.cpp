// Slack request signing (v0): the official test vector with an injected clock, the replay window,
// malformed headers, and what a rejection may say.

#include "integrations/slack/verify.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace {

using integrations::slack::describe;
using integrations::slack::request_verifier;
using integrations::slack::verify_status;

// Slack's official example (reference section 7, from docs.slack.dev "Verifying requests from
// Slack"; also in python-slack-sdk's signature tests). The body is 362 bytes, no trailing newline.
constexpr std::string_view signing_secret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::string_view timestamp = "1531420618";
constexpr std::int64_t timestamp_value = 1531420618;
constexpr std::string_view body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibI"
    "GlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
constexpr std::string_view signature =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
constexpr std::string_view signature_hex =
    "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

constexpr verify_status all_statuses[] = {
    verify_status::ok,
    verify_status::missing_timestamp,
    verify_status::malformed_timestamp,
    verify_status::stale_timestamp,
    verify_status::missing_signature,
    verify_status::malformed_signature,
    verify_status::bad_signature,
};

}  // namespace

// gtest prints a failing verify_status by its description rather than as a number.
namespace integrations::slack {
void PrintTo(verify_status s, std::ostream* os) { *os << describe(s); }
}  // namespace integrations::slack

namespace {

// The official vector checked at `now` with a body that may differ from the signed one.
verify_status verify_vector(std::int64_t now, std::string_view with_body = body) {
  const request_verifier v(signing_secret);
  return v.verify(timestamp, signature, with_body, now);
}

verify_status verify_timestamp(std::optional<std::string_view> ts, std::int64_t now) {
  const request_verifier v(signing_secret);
  return v.verify(ts, signature, body, now);
}

verify_status verify_signature(std::optional<std::string_view> sig) {
  const request_verifier v(signing_secret);
  return v.verify(timestamp, sig, body, timestamp_value);
}

TEST(slack_verify, the_official_body_is_362_bytes) { EXPECT_EQ(body.size(), 362u); }

TEST(slack_verify, accepts_the_official_vector_at_its_own_time) {
  EXPECT_EQ(verify_vector(timestamp_value), verify_status::ok);
}

TEST(slack_verify, sign_reproduces_the_official_signature) {
  const request_verifier v(signing_secret);
  EXPECT_EQ(v.sign(timestamp, body), signature);
}

TEST(slack_verify, rejects_the_body_one_byte_longer) {
  EXPECT_EQ(verify_vector(timestamp_value, std::string(body) + "x"), verify_status::bad_signature);
  EXPECT_EQ(verify_vector(timestamp_value, std::string(body) + "\n"), verify_status::bad_signature);
}

TEST(slack_verify, rejects_the_body_one_byte_shorter) {
  EXPECT_EQ(verify_vector(timestamp_value, body.substr(0, body.size() - 1)),
            verify_status::bad_signature);
}

TEST(slack_verify, rejects_the_body_with_dashes_appended) {
  // The negative case from python-slack-sdk's tests.
  EXPECT_EQ(verify_vector(timestamp_value, std::string(body) + "------"),
            verify_status::bad_signature);
}

TEST(slack_verify, rejects_the_body_with_one_byte_changed) {
  std::string changed(body);
  changed[changed.find("roadrunner")] = 'R';
  EXPECT_EQ(verify_vector(timestamp_value, changed), verify_status::bad_signature);
  EXPECT_EQ(verify_vector(timestamp_value, ""), verify_status::bad_signature);
}

TEST(slack_verify, rejects_the_official_vector_with_another_secret) {
  const request_verifier v("8f742231b10e8888abcd99yyyzzz85a6");
  EXPECT_EQ(v.verify(timestamp, signature, body, timestamp_value), verify_status::bad_signature);
}

TEST(slack_verify, the_official_vector_is_stale_by_the_real_clock) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  EXPECT_EQ(verify_vector(now), verify_status::stale_timestamp);
}

TEST(slack_verify, the_replay_window_is_five_minutes) {
  EXPECT_EQ(request_verifier::max_skew_seconds, 300);
}

TEST(slack_verify, accepts_timestamps_up_to_300_seconds_old) {
  EXPECT_EQ(verify_vector(timestamp_value + 1), verify_status::ok);
  EXPECT_EQ(verify_vector(timestamp_value + 299), verify_status::ok);
  EXPECT_EQ(verify_vector(timestamp_value + 300), verify_status::ok);
}

TEST(slack_verify, rejects_timestamps_more_than_300_seconds_old) {
  EXPECT_EQ(verify_vector(timestamp_value + 301), verify_status::stale_timestamp);
  EXPECT_EQ(verify_vector(timestamp_value + 86400), verify_status::stale_timestamp);
}

TEST(slack_verify, accepts_timestamps_up_to_300_seconds_ahead) {
  EXPECT_EQ(verify_vector(timestamp_value - 1), verify_status::ok);
  EXPECT_EQ(verify_vector(timestamp_value - 300), verify_status::ok);
}

TEST(slack_verify, rejects_timestamps_more_than_300_seconds_ahead) {
  // Unlike Bolt JS, future-dated requests are refused too (Slack's own abs() check).
  EXPECT_EQ(verify_vector(timestamp_value - 301), verify_status::stale_timestamp);
  EXPECT_EQ(verify_vector(0), verify_status::stale_timestamp);
}

TEST(slack_verify, rejects_a_missing_timestamp) {
  EXPECT_EQ(verify_timestamp(std::nullopt, timestamp_value), verify_status::missing_timestamp);
}

TEST(slack_verify, rejects_an_empty_timestamp) {
  EXPECT_EQ(verify_timestamp("", timestamp_value), verify_status::missing_timestamp);
}

TEST(slack_verify, rejects_a_non_numeric_timestamp) {
  EXPECT_EQ(verify_timestamp("abc", timestamp_value), verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp("0x5B47D44A", timestamp_value), verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp("1531420618.5", timestamp_value), verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp("1.5e9", timestamp_value), verify_status::malformed_timestamp);
}

TEST(slack_verify, rejects_a_negative_or_signed_timestamp) {
  EXPECT_EQ(verify_timestamp("-1", timestamp_value), verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp("-1", -1), verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp("+1531420618", timestamp_value), verify_status::malformed_timestamp);
}

TEST(slack_verify, rejects_a_timestamp_with_surrounding_junk) {
  EXPECT_EQ(verify_timestamp("1531420618abc", timestamp_value), verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp("1531420618 ", timestamp_value), verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp(" 1531420618", timestamp_value), verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp("1531420618,1531420618", timestamp_value),
            verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp(std::string_view("1531420618\0", 11), timestamp_value),
            verify_status::malformed_timestamp);
}

TEST(slack_verify, rejects_an_overlong_timestamp) {
  // Too many digits for any plausible time (and for int64 overflow tricks).
  EXPECT_EQ(verify_timestamp("99999999999999999999999", timestamp_value),
            verify_status::malformed_timestamp);
  EXPECT_EQ(verify_timestamp("0000000001531420618", timestamp_value),
            verify_status::malformed_timestamp);
}

TEST(slack_verify, a_large_but_short_timestamp_is_stale_not_malformed) {
  EXPECT_EQ(verify_timestamp("999999999999", timestamp_value), verify_status::stale_timestamp);
}

TEST(slack_verify, signature_covers_the_timestamp) {
  // Signed for one timestamp, presented with another inside the window.
  const request_verifier v(signing_secret);
  EXPECT_EQ(v.verify("1531420619", signature, body, timestamp_value), verify_status::bad_signature);
}

TEST(slack_verify, rejects_a_missing_signature) {
  EXPECT_EQ(verify_signature(std::nullopt), verify_status::missing_signature);
}

TEST(slack_verify, rejects_an_empty_signature) {
  EXPECT_EQ(verify_signature(""), verify_status::missing_signature);
}

TEST(slack_verify, rejects_an_unknown_signature_version) {
  EXPECT_EQ(verify_signature("v1=" + std::string(signature_hex)),
            verify_status::malformed_signature);
  EXPECT_EQ(verify_signature("V0=" + std::string(signature_hex)),
            verify_status::malformed_signature);
  EXPECT_EQ(verify_signature("v0:" + std::string(signature_hex)),
            verify_status::malformed_signature);
  EXPECT_EQ(verify_signature("sha256=" + std::string(signature_hex).substr(4)),
            verify_status::malformed_signature);
}

TEST(slack_verify, rejects_a_signature_without_a_version) {
  EXPECT_EQ(verify_signature(std::string(signature_hex) + "abc"),
            verify_status::malformed_signature);
  EXPECT_EQ(verify_signature(signature_hex), verify_status::malformed_signature);
}

TEST(slack_verify, rejects_a_signature_of_the_wrong_length) {
  EXPECT_EQ(verify_signature(signature.substr(0, signature.size() - 1)),
            verify_status::malformed_signature);
  EXPECT_EQ(verify_signature(std::string(signature) + "0"), verify_status::malformed_signature);
  EXPECT_EQ(verify_signature("v0="), verify_status::malformed_signature);
  EXPECT_EQ(verify_signature(std::string(signature) + "," + std::string(signature)),
            verify_status::malformed_signature);
}

TEST(slack_verify, rejects_uppercase_hex) {
  std::string upper(signature);
  for (std::size_t i = 3; i < upper.size(); ++i)
    if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = static_cast<char>(upper[i] - 'a' + 'A');
  ASSERT_NE(upper, signature);
  const auto s = verify_signature(upper);
  EXPECT_NE(s, verify_status::ok);
  EXPECT_TRUE(s == verify_status::bad_signature || s == verify_status::malformed_signature)
      << describe(s);
}

TEST(slack_verify, rejects_a_signature_with_one_digit_changed) {
  std::string changed(signature);
  changed.back() = changed.back() == '3' ? '4' : '3';
  EXPECT_EQ(verify_signature(changed), verify_status::bad_signature);
  std::string first(signature);
  first[3] = first[3] == 'a' ? 'b' : 'a';
  EXPECT_EQ(verify_signature(first), verify_status::bad_signature);
}

TEST(slack_verify, sign_produces_v0_and_64_lowercase_hex_digits) {
  const request_verifier v("another secret");
  const auto s = v.sign("1700000000", "text=hello");
  ASSERT_EQ(s.size(), 67u);
  EXPECT_EQ(s.substr(0, 3), "v0=");
  EXPECT_EQ(s.find_first_not_of("0123456789abcdef", 3), std::string::npos);
}

TEST(slack_verify, sign_round_trips_through_verify) {
  const request_verifier v("another secret");
  const std::string bodies[] = {
      "",
      "command=%2Fplaybook&text=hello+world",
      std::string("\x00\xFF\xC3\xA9 binary", 11),
      std::string(100000, 'x'),
  };
  for (const auto& b : bodies) {
    const auto sig = v.sign("1700000000", b);
    EXPECT_EQ(v.verify("1700000000", sig, b, 1700000000), verify_status::ok) << b.size();
    EXPECT_EQ(v.verify("1700000000", sig, b + "x", 1700000000), verify_status::bad_signature);
  }
}

TEST(slack_verify, a_signature_from_another_secret_does_not_verify) {
  const request_verifier a("secret a");
  const request_verifier b("secret b");
  const auto sig = a.sign("1700000000", "text=x");
  EXPECT_EQ(b.verify("1700000000", sig, "text=x", 1700000000), verify_status::bad_signature);
}

TEST(slack_verify, describe_gives_a_distinct_non_empty_reason_for_every_status) {
  std::set<std::string_view> seen;
  for (auto s : all_statuses) {
    EXPECT_FALSE(describe(s).empty());
    EXPECT_TRUE(seen.insert(describe(s)).second) << describe(s);
  }
  EXPECT_EQ(describe(verify_status::ok), "ok");
  EXPECT_EQ(describe(static_cast<verify_status>(99)), "unknown");
}

TEST(slack_verify, describe_never_contains_the_secret_or_the_expected_signature) {
  for (auto s : all_statuses) {
    const auto d = describe(s);
    EXPECT_EQ(d.find(signing_secret), std::string_view::npos) << d;
    EXPECT_EQ(d.find(signature_hex), std::string_view::npos) << d;
    EXPECT_EQ(d.find(signature_hex.substr(0, 8)), std::string_view::npos) << d;
  }
}

TEST(slack_verify, describe_of_each_failure_for_the_official_vector_leaks_nothing) {
  // Drive every failure with the real secret and vector, then check what would go into a 401.
  const request_verifier v(signing_secret);
  const verify_status produced[] = {
      v.verify(std::nullopt, signature, body, timestamp_value),
      v.verify("x", signature, body, timestamp_value),
      v.verify(timestamp, signature, body, timestamp_value + 1000),
      v.verify(timestamp, std::nullopt, body, timestamp_value),
      v.verify(timestamp, "v1=", body, timestamp_value),
      v.verify(timestamp, signature, "tampered", timestamp_value),
  };
  std::set<verify_status> distinct(std::begin(produced), std::end(produced));
  EXPECT_EQ(distinct.size(), 6u);
  EXPECT_EQ(distinct.count(verify_status::ok), 0u);
  for (auto s : produced) {
    const auto d = describe(s);
    EXPECT_EQ(d.find(signing_secret), std::string_view::npos) << d;
    EXPECT_EQ(d.find(signature_hex), std::string_view::npos) << d;
  }
}

}  // namespace
