// application/x-www-form-urlencoded parsing: decoding, repeated and empty fields, and errors that
// name the problem and its byte offset; the exact-field probe used before verification.

#include "integrations/http/form.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace {

using integrations::form;
using integrations::parse_form;

::testing::AssertionResult contains(std::string_view haystack, std::string_view needle) {
  if (haystack.find(needle) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << '"' << haystack << "\" does not contain \"" << needle << '"';
}

// The error message of a parse that must fail ("" and a test failure when it succeeded).
std::string parse_error(std::string_view body) {
  auto r = parse_form(body);
  if (r) {
    ADD_FAILURE() << "parse_form(\"" << body << "\") succeeded";
    return {};
  }
  return r.error().message;
}

// The form of a parse that must succeed.
form parsed(std::string_view body) {
  auto r = parse_form(body);
  if (!r) {
    ADD_FAILURE() << "parse_form(\"" << body << "\") failed: " << r.error().message;
    return form{};
  }
  return *r;
}

TEST(form, keeps_fields_in_the_order_they_came) {
  const auto f = parsed("b=2&a=1&c=3");
  ASSERT_EQ(f.fields().size(), 3u);
  EXPECT_EQ(f.fields()[0].name, "b");
  EXPECT_EQ(f.fields()[0].value, "2");
  EXPECT_EQ(f.fields()[1].name, "a");
  EXPECT_EQ(f.fields()[1].value, "1");
  EXPECT_EQ(f.fields()[2].name, "c");
  EXPECT_EQ(f.fields()[2].value, "3");
}

TEST(form, decodes_percent_escapes_in_either_case) {
  const auto f =
      parsed("cmd=%2Fplaybook&lower=%2fplaybook&url=https%3A%2F%2Fexample.com%2Fa%3Fb%3D1");
  EXPECT_EQ(*f.value_or_empty("cmd"), "/playbook");
  EXPECT_EQ(*f.value_or_empty("lower"), "/playbook");
  EXPECT_EQ(*f.value_or_empty("url"), "https://example.com/a?b=1");
}

TEST(form, decodes_plus_as_a_space_and_percent_2b_as_a_plus) {
  const auto f = parsed("text=two+words&sum=1%2B1&mixed=a+%2B+b");
  EXPECT_EQ(*f.value_or_empty("text"), "two words");
  EXPECT_EQ(*f.value_or_empty("sum"), "1+1");
  EXPECT_EQ(*f.value_or_empty("mixed"), "a + b");
}

TEST(form, decodes_escaped_separators_inside_a_value) {
  const auto f = parsed("text=a%26b%3Dc&next=1");
  ASSERT_EQ(f.fields().size(), 2u);
  EXPECT_EQ(*f.value_or_empty("text"), "a&b=c");
  EXPECT_EQ(*f.value_or_empty("next"), "1");
}

TEST(form, keeps_everything_after_the_first_equals_sign_in_the_value) {
  const auto f = parsed("a=b=c");
  ASSERT_EQ(f.fields().size(), 1u);
  EXPECT_EQ(f.fields()[0].name, "a");
  EXPECT_EQ(f.fields()[0].value, "b=c");
}

TEST(form, decodes_field_names_too) {
  const auto f = parsed("user+name=x&%41=y");
  ASSERT_EQ(f.fields().size(), 2u);
  EXPECT_EQ(f.fields()[0].name, "user name");
  EXPECT_EQ(f.fields()[1].name, "A");
}

TEST(form, decodes_multibyte_utf8_escapes_and_accepts_raw_utf8) {
  const auto f = parsed("a=caf%C3%A9&b=%E2%82%AC5&c=%F0%9F%98%80&d=caf\xC3\xA9");
  EXPECT_EQ(*f.value_or_empty("a"), "caf\xC3\xA9");
  EXPECT_EQ(*f.value_or_empty("b"),
            "\xE2\x82\xAC"
            "5");
  EXPECT_EQ(*f.value_or_empty("c"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(*f.value_or_empty("d"), "caf\xC3\xA9");
}

TEST(form, keeps_empty_values_and_fields_without_an_equals_sign) {
  const auto f = parsed("text=&flag&after=1");
  ASSERT_EQ(f.fields().size(), 3u);
  EXPECT_EQ(f.fields()[0].name, "text");
  EXPECT_EQ(f.fields()[0].value, "");
  EXPECT_EQ(f.fields()[1].name, "flag");
  EXPECT_EQ(f.fields()[1].value, "");
  EXPECT_EQ(f.count("flag"), 1u);
  auto text = f.single("text");
  ASSERT_TRUE(text);
  ASSERT_TRUE(text->has_value());  // present but empty, not absent
  EXPECT_EQ(**text, "");
}

TEST(form, skips_empty_segments) {
  const auto f = parsed("a=1&&b=2");
  ASSERT_EQ(f.fields().size(), 2u);
  EXPECT_EQ(f.fields()[0].name, "a");
  EXPECT_EQ(f.fields()[1].name, "b");

  EXPECT_EQ(parsed("&a=1&").fields().size(), 1u);
  EXPECT_EQ(parsed("&&&").fields().size(), 0u);
  EXPECT_EQ(parsed("").fields().size(), 0u);
}

TEST(form, keeps_repeated_fields_and_counts_them) {
  const auto f = parsed("text=one&x=1&text=two&text=");
  EXPECT_EQ(f.count("text"), 3u);
  EXPECT_EQ(f.count("x"), 1u);
  EXPECT_EQ(f.count("absent"), 0u);
  ASSERT_EQ(f.fields().size(), 4u);
  EXPECT_EQ(f.fields()[0].value, "one");
  EXPECT_EQ(f.fields()[2].value, "two");
  EXPECT_EQ(f.fields()[3].value, "");
}

TEST(form, count_is_exact_and_case_sensitive) {
  const auto f = parsed("Text=1&text=2&texts=3");
  EXPECT_EQ(f.count("text"), 1u);
  EXPECT_EQ(f.count("Text"), 1u);
  EXPECT_EQ(f.count("tex"), 0u);
}

TEST(form, single_is_nullopt_for_an_absent_field) {
  const auto f = parsed("a=1");
  auto v = f.single("b");
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->has_value());
}

TEST(form, single_returns_the_value_of_a_field_that_appears_once) {
  const auto f = parsed("a=1&b=2");
  auto v = f.single("b");
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, "2");
}

TEST(form, single_fails_naming_a_repeated_field) {
  const auto f = parsed("text=one&text=two");
  auto v = f.single("text");
  ASSERT_FALSE(v);
  EXPECT_TRUE(contains(v.error().message, "'text'"));
  EXPECT_TRUE(contains(v.error().message, "more than once"));
}

TEST(form, value_or_empty_is_empty_when_absent) {
  const auto f = parsed("a=1");
  auto v = f.value_or_empty("b");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "");
}

TEST(form, value_or_empty_returns_a_single_value) {
  auto v = parsed("a=x+y").value_or_empty("a");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "x y");
}

TEST(form, value_or_empty_fails_naming_a_repeated_field) {
  auto v = parsed("user_id=U1&user_id=U2").value_or_empty("user_id");
  ASSERT_FALSE(v);
  EXPECT_TRUE(contains(v.error().message, "'user_id'"));
}

TEST(form, value_of_a_failed_result_throws_invalid_argument_with_the_message) {
  auto v = parsed("a=1&a=2").value_or_empty("a");
  ASSERT_FALSE(v);
  try {
    (void)v.value();
    FAIL() << "value() did not throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), v.error().message);
  }
}

TEST(form, a_default_form_is_empty) {
  const form f;
  EXPECT_TRUE(f.fields().empty());
  EXPECT_EQ(f.count("a"), 0u);
  auto v = f.value_or_empty("a");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "");
}

TEST(form, rejects_an_empty_field_name_with_its_offset) {
  const auto first = parse_error("=1");
  EXPECT_TRUE(contains(first, "empty field name"));
  EXPECT_TRUE(contains(first, "byte 0"));

  const auto later = parse_error("a=1&=2");
  EXPECT_TRUE(contains(later, "empty field name"));
  EXPECT_TRUE(contains(later, "byte 4"));

  EXPECT_TRUE(contains(parse_error("a=1&="), "empty field name"));
}

TEST(form, rejects_an_invalid_escape_with_its_offset) {
  const auto in_value = parse_error("a=%zz");
  EXPECT_TRUE(contains(in_value, "invalid percent-escape"));
  EXPECT_TRUE(contains(in_value, "byte 2"));

  const auto later = parse_error("a=1&b=x%g1");
  EXPECT_TRUE(contains(later, "invalid percent-escape"));
  EXPECT_TRUE(contains(later, "byte 7"));

  const auto one_bad_digit = parse_error("a=%4g");
  EXPECT_TRUE(contains(one_bad_digit, "invalid percent-escape"));
  EXPECT_TRUE(contains(one_bad_digit, "byte 2"));

  const auto in_name = parse_error("%zz=1");
  EXPECT_TRUE(contains(in_name, "invalid percent-escape"));
  EXPECT_TRUE(contains(in_name, "byte 0"));
}

TEST(form, rejects_a_truncated_escape_with_its_offset) {
  const auto one_digit = parse_error("a=%4");
  EXPECT_TRUE(contains(one_digit, "truncated percent-escape"));
  EXPECT_TRUE(contains(one_digit, "byte 2"));

  const auto no_digit = parse_error("a=%");
  EXPECT_TRUE(contains(no_digit, "truncated percent-escape"));
  EXPECT_TRUE(contains(no_digit, "byte 2"));

  const auto bare = parse_error("%4");
  EXPECT_TRUE(contains(bare, "truncated percent-escape"));
  EXPECT_TRUE(contains(bare, "byte 0"));

  const auto lone_percent = parse_error("%");
  EXPECT_TRUE(contains(lone_percent, "truncated percent-escape"));
  EXPECT_TRUE(contains(lone_percent, "byte 0"));

  // Truncated by the '&' that ends the segment, not by the end of the body.
  const auto before_amp = parse_error("a=x%2&b=1");
  EXPECT_TRUE(contains(before_amp, "truncated percent-escape"));
  EXPECT_TRUE(contains(before_amp, "byte 3"));
}

TEST(form, accepts_an_escape_that_ends_the_body_exactly) {
  EXPECT_EQ(*parsed("a=%41").value_or_empty("a"), "A");
  EXPECT_EQ(*parsed("a=x%41").value_or_empty("a"), "xA");
}

TEST(form, rejects_a_value_that_is_not_utf8_after_decoding) {
  const auto lone_byte = parse_error("text=%FF");
  EXPECT_TRUE(contains(lone_byte, "'text'"));
  EXPECT_TRUE(contains(lone_byte, "not valid UTF-8"));
  EXPECT_TRUE(contains(lone_byte, "byte 5"));

  EXPECT_TRUE(contains(parse_error("a=%C3%28"), "not valid UTF-8"));        // bad continuation
  EXPECT_TRUE(contains(parse_error("a=%C0%AF"), "not valid UTF-8"));        // overlong '/'
  EXPECT_TRUE(contains(parse_error("a=%ED%A0%80"), "not valid UTF-8"));     // surrogate
  EXPECT_TRUE(contains(parse_error("a=%F4%90%80%80"), "not valid UTF-8"));  // > U+10FFFF
  EXPECT_TRUE(contains(parse_error("a=%E2%82"), "not valid UTF-8"));        // truncated
  EXPECT_TRUE(contains(parse_error("a=caf\xE9"), "not valid UTF-8"));       // raw Latin-1
}

TEST(form, rejects_a_name_that_is_not_utf8_after_decoding) {
  const auto e = parse_error("ok=1&%FF=1");
  EXPECT_TRUE(contains(e, "field name"));
  EXPECT_TRUE(contains(e, "not valid UTF-8"));
  EXPECT_TRUE(contains(e, "byte 5"));
}

TEST(form, exact_field_is_found_among_other_fields) {
  EXPECT_TRUE(integrations::form_has_exact_field("ssl_check=1", "ssl_check", "1"));
  EXPECT_TRUE(integrations::form_has_exact_field("token=abc&ssl_check=1", "ssl_check", "1"));
  EXPECT_TRUE(integrations::form_has_exact_field("ssl_check=1&token=abc", "ssl_check", "1"));
  EXPECT_TRUE(integrations::form_has_exact_field("a=1&&ssl_check=1&", "ssl_check", "1"));
}

TEST(form, exact_field_does_not_match_longer_or_shorter_segments) {
  EXPECT_FALSE(integrations::form_has_exact_field("ssl_check=10", "ssl_check", "1"));
  EXPECT_FALSE(integrations::form_has_exact_field("xssl_check=1", "ssl_check", "1"));
  EXPECT_FALSE(integrations::form_has_exact_field("ssl_check=", "ssl_check", "1"));
  EXPECT_FALSE(integrations::form_has_exact_field("ssl_check", "ssl_check", "1"));
  EXPECT_FALSE(integrations::form_has_exact_field("ssl_check1", "ssl_check", "1"));
  EXPECT_FALSE(integrations::form_has_exact_field("", "ssl_check", "1"));
  EXPECT_FALSE(integrations::form_has_exact_field("token=ssl_check=1", "ssl_check", "1"));
}

TEST(form, exact_field_does_no_decoding) {
  EXPECT_FALSE(integrations::form_has_exact_field("ssl_check=%31", "ssl_check", "1"));
  EXPECT_FALSE(integrations::form_has_exact_field("ssl%5Fcheck=1", "ssl_check", "1"));
  EXPECT_TRUE(integrations::form_has_exact_field("text=a+b", "text", "a+b"));
  EXPECT_FALSE(integrations::form_has_exact_field("text=a+b", "text", "a b"));
}

TEST(form, exact_field_matches_an_empty_value_only_with_an_equals_sign) {
  EXPECT_TRUE(integrations::form_has_exact_field("a=&b=1", "a", ""));
  EXPECT_FALSE(integrations::form_has_exact_field("a&b=1", "a", ""));
}

}  // namespace
