// UTF-8 validation and cutting: every class of malformed input, and prefixes that never split a
// code point.

#include "integrations/text/utf8.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace {

using namespace std::string_view_literals;
namespace utf8 = integrations::utf8;

// One code point of each encoded length: $ (1), é U+00E9 (2), € U+20AC (3), 😀 U+1F600 (4).
constexpr std::string_view one_byte = "$";
constexpr std::string_view two_bytes = "\xC3\xA9";
constexpr std::string_view three_bytes = "\xE2\x82\xAC";
constexpr std::string_view four_bytes = "\xF0\x9F\x98\x80";

// True when cut ends on a code-point boundary of s: cut is a prefix of s and the byte after it (if
// any) is not a continuation byte.
bool ends_on_boundary(std::string_view s, std::string_view cut) {
  if (!s.starts_with(cut)) return false;
  if (cut.size() == s.size()) return true;
  return (static_cast<unsigned char>(s[cut.size()]) & 0xC0) != 0x80;
}

TEST(utf8, accepts_empty_and_ascii) {
  EXPECT_TRUE(utf8::valid(""));
  EXPECT_TRUE(utf8::valid("hello, world"));
  EXPECT_TRUE(utf8::valid("\x7F"));
  EXPECT_TRUE(utf8::valid(std::string_view("a\0b", 3)));
}

TEST(utf8, accepts_two_three_and_four_byte_sequences) {
  EXPECT_TRUE(utf8::valid(two_bytes));
  EXPECT_TRUE(utf8::valid(three_bytes));
  EXPECT_TRUE(utf8::valid(four_bytes));
  EXPECT_TRUE(
      utf8::valid("caf\xC3\xA9 \xE2\x82\xAC"
                  "5 \xF0\x9F\x98\x80"));
}

TEST(utf8, accepts_the_boundaries_of_each_length) {
  EXPECT_TRUE(utf8::valid("\xC2\x80"));          // U+0080, smallest 2-byte
  EXPECT_TRUE(utf8::valid("\xDF\xBF"));          // U+07FF
  EXPECT_TRUE(utf8::valid("\xE0\xA0\x80"));      // U+0800, smallest 3-byte
  EXPECT_TRUE(utf8::valid("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(utf8::valid("\xEE\x80\x80"));      // U+E000, just above them
  EXPECT_TRUE(utf8::valid("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(utf8::valid("\xF0\x90\x80\x80"));  // U+10000, smallest 4-byte
  EXPECT_TRUE(utf8::valid("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST(utf8, rejects_overlong_encodings) {
  EXPECT_FALSE(utf8::valid("\xC0\xAF"));          // '/' in two bytes
  EXPECT_FALSE(utf8::valid("\xC1\xBF"));          // U+007F in two bytes
  EXPECT_FALSE(utf8::valid("\xC0\x80"));          // NUL in two bytes (modified UTF-8)
  EXPECT_FALSE(utf8::valid("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(utf8::valid("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(utf8::valid("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(utf8::valid("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(utf8, rejects_surrogates) {
  EXPECT_FALSE(utf8::valid("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(utf8::valid("\xED\xAD\xBF"));  // U+DB7F
  EXPECT_FALSE(utf8::valid("\xED\xB0\x80"));  // U+DC00
  EXPECT_FALSE(utf8::valid("\xED\xBF\xBF"));  // U+DFFF
  // A CESU-8 pair (what UTF-16 surrogates look like encoded one by one).
  EXPECT_FALSE(utf8::valid("\xED\xA0\xBD\xED\xB8\x80"));
}

TEST(utf8, rejects_code_points_above_u10ffff) {
  EXPECT_FALSE(utf8::valid("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(utf8::valid("\xF5\x80\x80\x80"));
  EXPECT_FALSE(utf8::valid("\xF7\xBF\xBF\xBF"));
  EXPECT_FALSE(utf8::valid("\xF8\x88\x80\x80\x80"));      // old 5-byte form
  EXPECT_FALSE(utf8::valid("\xFC\x84\x80\x80\x80\x80"));  // old 6-byte form
  EXPECT_FALSE(utf8::valid("\xFE"));
  EXPECT_FALSE(utf8::valid("\xFF"));
}

TEST(utf8, rejects_truncated_sequences) {
  EXPECT_FALSE(utf8::valid("\xC3"));
  EXPECT_FALSE(utf8::valid("\xE2\x82"));
  EXPECT_FALSE(utf8::valid("\xE2"));
  EXPECT_FALSE(utf8::valid("\xF0\x9F\x98"));
  EXPECT_FALSE(utf8::valid("\xF0\x9F"));
  EXPECT_FALSE(utf8::valid("abc\xF0\x9F\x98"));
  // Truncated in the middle: the next byte is a lead or ASCII byte, not a continuation.
  EXPECT_FALSE(
      utf8::valid("\xE2\x82"
                  "a"));
  EXPECT_FALSE(utf8::valid("\xC3\xC3\xA9"));
  EXPECT_FALSE(utf8::valid("\xF0\x9F\x98\xE2\x82\xAC"));
}

TEST(utf8, rejects_stray_continuation_bytes) {
  EXPECT_FALSE(utf8::valid("\x80"));
  EXPECT_FALSE(utf8::valid("\xBF"));
  EXPECT_FALSE(
      utf8::valid("a\x80"
                  "b"));
  EXPECT_FALSE(utf8::valid("\xC3\xA9\xA9"));          // one continuation too many
  EXPECT_FALSE(utf8::valid("\xF0\x9F\x98\x80\x80"));  // same after a 4-byte sequence
}

TEST(utf8, rejects_invalid_bytes_after_valid_text) {
  EXPECT_FALSE(utf8::valid("caf\xC3\xA9 \xFF"));
  EXPECT_FALSE(utf8::valid("caf\xE9"));  // Latin-1 é
}

TEST(utf8, length_counts_code_points_not_bytes) {
  EXPECT_EQ(utf8::length(""), 0u);
  EXPECT_EQ(utf8::length("abc"), 3u);
  EXPECT_EQ(utf8::length(two_bytes), 1u);
  EXPECT_EQ(utf8::length(three_bytes), 1u);
  EXPECT_EQ(utf8::length(four_bytes), 1u);
  EXPECT_EQ(utf8::length("caf\xC3\xA9 \xE2\x82\xAC"
                         "5 \xF0\x9F\x98\x80"),
            9u);
}

TEST(utf8, prefix_bytes_returns_the_whole_string_when_it_fits) {
  EXPECT_EQ(utf8::prefix_bytes("abc", 3), "abc");
  EXPECT_EQ(utf8::prefix_bytes("abc", 100), "abc");
  EXPECT_EQ(utf8::prefix_bytes("", 0), "");
  EXPECT_EQ(utf8::prefix_bytes(four_bytes, 4), four_bytes);
}

TEST(utf8, prefix_bytes_cuts_ascii_exactly) {
  EXPECT_EQ(utf8::prefix_bytes("abcdef", 3), "abc");
  EXPECT_EQ(utf8::prefix_bytes("abcdef", 0), "");
}

TEST(utf8, prefix_bytes_steps_back_before_a_split_code_point) {
  const std::string s = "a" + std::string(four_bytes) + "b";  // a + 4 bytes + b
  EXPECT_EQ(utf8::prefix_bytes(s, 1), "a");
  EXPECT_EQ(utf8::prefix_bytes(s, 2), "a");
  EXPECT_EQ(utf8::prefix_bytes(s, 3), "a");
  EXPECT_EQ(utf8::prefix_bytes(s, 4), "a");
  EXPECT_EQ(utf8::prefix_bytes(s, 5), "a" + std::string(four_bytes));
  EXPECT_EQ(utf8::prefix_bytes(four_bytes, 3), "");
}

TEST(utf8, prefix_bytes_never_splits_a_code_point_at_any_cut) {
  const std::string s = std::string("x") + std::string(two_bytes) + std::string(three_bytes) +
                        std::string(four_bytes) + "y" + std::string(three_bytes);
  for (std::size_t max = 0; max <= s.size() + 1; ++max) {
    const auto cut = utf8::prefix_bytes(s, max);
    EXPECT_LE(cut.size(), max) << "max_bytes " << max;
    EXPECT_TRUE(ends_on_boundary(s, cut)) << "max_bytes " << max;
    EXPECT_TRUE(utf8::valid(cut)) << "max_bytes " << max;
    // Longest: one more code point would not fit.
    if (cut.size() < s.size()) {
      std::size_t next = cut.size() + 1;
      while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) ++next;
      EXPECT_GT(next, max) << "max_bytes " << max;
    }
  }
}

TEST(utf8, prefix_chars_counts_code_points) {
  const std::string s = std::string(two_bytes) + std::string(three_bytes) + std::string(four_bytes);
  EXPECT_EQ(utf8::prefix_chars(s, 0), "");
  EXPECT_EQ(utf8::prefix_chars(s, 1), two_bytes);
  EXPECT_EQ(utf8::prefix_chars(s, 2), std::string(two_bytes) + std::string(three_bytes));
  EXPECT_EQ(utf8::prefix_chars(s, 3), s);
  EXPECT_EQ(utf8::prefix_chars(s, 4), s);
  EXPECT_EQ(utf8::prefix_chars("abcdef", 2), "ab");
  EXPECT_EQ(utf8::prefix_chars("", 5), "");
}

TEST(utf8, prefix_chars_never_splits_a_code_point_at_any_cut) {
  const std::string s = std::string(four_bytes) + "a" + std::string(three_bytes) +
                        std::string(two_bytes) + std::string(four_bytes) + std::string(one_byte);
  const std::size_t total = utf8::length(s);
  ASSERT_EQ(total, 6u);
  for (std::size_t max = 0; max <= total + 1; ++max) {
    const auto cut = utf8::prefix_chars(s, max);
    EXPECT_EQ(utf8::length(cut), std::min(max, total)) << "max_chars " << max;
    EXPECT_TRUE(ends_on_boundary(s, cut)) << "max_chars " << max;
    EXPECT_TRUE(utf8::valid(cut)) << "max_chars " << max;
  }
}

TEST(utf8, sequence_length_measures_one_well_formed_sequence) {
  EXPECT_EQ(utf8::sequence_length("a", 0), 1u);
  EXPECT_EQ(utf8::sequence_length(two_bytes, 0), 2u);
  EXPECT_EQ(utf8::sequence_length(three_bytes, 0), 3u);
  EXPECT_EQ(utf8::sequence_length(four_bytes, 0), 4u);
  EXPECT_EQ(utf8::sequence_length("\x80", 0), 0u);          // a stray continuation byte
  EXPECT_EQ(utf8::sequence_length("\xC0\xAF", 0), 0u);      // overlong
  EXPECT_EQ(utf8::sequence_length("\xED\xA0\x80", 0), 0u);  // a surrogate
  EXPECT_EQ(utf8::sequence_length("\xF4\x90\x80\x80", 0), 0u);  // above U+10FFFF
  EXPECT_EQ(utf8::sequence_length("\xE2\x82", 0), 0u);      // cut short
}

TEST(utf8, sanitize_replaces_each_bad_byte_and_keeps_good_text) {
  EXPECT_EQ(utf8::sanitize("plain"), "plain");
  const std::string good = std::string("caf") + std::string(two_bytes) + std::string(four_bytes);
  EXPECT_EQ(utf8::sanitize(good), good);
  EXPECT_EQ(utf8::sanitize("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(utf8::sanitize("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  for (const std::string bad : {"\xFF\xFE", "\xC0\xAF", "x\xED\xA0\x80y", "\x80\x80"})
    EXPECT_TRUE(utf8::valid(utf8::sanitize(bad))) << bad;
}

}  // namespace
