// Structured log lines: one line of valid JSON per call, whatever the message and fields hold.

#include "bot/log.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <limits>
#include <regex>
#include <string>

namespace {

namespace json = boost::json;
using bot::log::level;

// Parses a line as JSON; fails the test (and gives null) when it is not valid.
json::value parse_line(const std::string& line) {
  boost::system::error_code ec;
  auto v = json::parse(line, ec);
  if (ec) {
    ADD_FAILURE() << "not valid JSON (" << ec.message() << "): " << line;
    return nullptr;
  }
  return v;
}

// Restores the process-wide log level after a test changes it.
class log_level_guard {
 public:
  log_level_guard() {
    for (auto l : {level::debug, level::info, level::warn, level::error}) {
      if (bot::log::enabled(l)) {
        saved_ = l;
        break;
      }
    }
  }
  ~log_level_guard() {
    constexpr std::string_view names[] = {"debug", "info", "warn", "error"};
    bot::log::set_level(names[static_cast<int>(saved_)]);
  }

 private:
  level saved_ = level::error;
};

}  // namespace

TEST(log, format_line_is_one_json_object_with_ts_level_msg_and_fields) {
  const auto line = bot::log::format_line(
      level::info, "request",
      {{"request_id", "r-1"}, {"status", 200}, {"ok", true}, {"ratio", 0.25}, {"bytes", std::size_t{42}}});
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto v = parse_line(line);
  ASSERT_TRUE(v.is_object());
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("level").as_string(), "info");
  EXPECT_EQ(o.at("msg").as_string(), "request");
  EXPECT_EQ(o.at("request_id").as_string(), "r-1");
  EXPECT_EQ(o.at("status").as_int64(), 200);
  EXPECT_EQ(o.at("ok").as_bool(), true);
  EXPECT_DOUBLE_EQ(o.at("ratio").to_number<double>(), 0.25);
  EXPECT_EQ(o.at("bytes").as_int64(), 42);
  const std::string ts(o.at("ts").as_string());
  EXPECT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << ts;
}

TEST(log, format_line_starts_with_ts_level_msg_in_that_order) {
  const auto line = bot::log::format_line(level::warn, "m", {});
  EXPECT_TRUE(line.starts_with("{\"ts\":\"")) << line;
  EXPECT_NE(line.find("\",\"level\":\"warn\",\"msg\":\"m\"}"), std::string::npos) << line;
}

TEST(log, every_level_has_its_name) {
  struct expectation {
    level l;
    std::string_view name;
  };
  for (const auto& [l, name] : std::initializer_list<expectation>{
           {level::debug, "debug"}, {level::info, "info"}, {level::warn, "warn"}, {level::error, "error"}}) {
    const auto v = parse_line(bot::log::format_line(l, "x", {}));
    EXPECT_EQ(v.at("level").as_string(), name);
  }
}

TEST(log, escapes_quotes_backslashes_newlines_and_control_characters) {
  std::string nasty = "say \"hi\"\\ \n second line\r\t end";
  for (int c = 0; c < 0x20; ++c) nasty += static_cast<char>(c);
  nasty += '\x7f';
  const auto line = bot::log::format_line(level::error, nasty, {{"k\"ey\n", nasty}});
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "a raw newline splits the line";
  EXPECT_EQ(line.find('\r'), std::string::npos);
  const auto v = parse_line(line);
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.at("msg").as_string(), nasty);
  EXPECT_EQ(v.at("k\"ey\n").as_string(), nasty);
}

TEST(log, keeps_utf8_text_as_is) {
  const std::string text = "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x9A\x80";
  const auto v = parse_line(bot::log::format_line(level::info, text, {{"path", text}}));
  EXPECT_EQ(v.at("msg").as_string(), text);
  EXPECT_EQ(v.at("path").as_string(), text);
}

TEST(log, invalid_utf8_still_gives_valid_json) {
  // A request path is logged cut to 256 bytes, which can split a character, and a client can
  // send any bytes in it.
  const std::string cut = "/caf\xC3";
  const std::string junk = "/\xFF\xFE\x80 x";
  const auto line = bot::log::format_line(level::info, junk, {{"path", cut}, {"other", junk}});
  EXPECT_EQ(line.back(), '\n');
  const auto v = parse_line(line);
  ASSERT_TRUE(v.is_object());
  EXPECT_TRUE(std::string(v.at("path").as_string()).starts_with("/caf"));
  EXPECT_TRUE(std::string(v.at("msg").as_string()).ends_with(" x"));
}

TEST(log, non_finite_numbers_still_give_valid_json) {
  const auto line = bot::log::format_line(
      level::info, "m",
      {{"nan", std::numeric_limits<double>::quiet_NaN()},
       {"inf", std::numeric_limits<double>::infinity()},
       {"ninf", -std::numeric_limits<double>::infinity()},
       {"big", 1e300}});
  const auto v = parse_line(line);
  ASSERT_TRUE(v.is_object());
  EXPECT_TRUE(v.at("nan").is_null());
  EXPECT_TRUE(v.at("inf").is_null());
  EXPECT_TRUE(v.at("ninf").is_null());
  EXPECT_DOUBLE_EQ(v.at("big").to_number<double>(), 1e300);
}

TEST(log, integers_keep_their_full_range) {
  const auto v = parse_line(bot::log::format_line(
      level::info, "m",
      {{"min", std::numeric_limits<std::int64_t>::min()},
       {"max", std::numeric_limits<std::int64_t>::max()},
       {"neg", -5},
       {"u16", std::uint16_t{65535}}}));
  EXPECT_EQ(v.at("min").as_int64(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(v.at("max").as_int64(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(v.at("neg").as_int64(), -5);
  EXPECT_EQ(v.at("u16").as_int64(), 65535);
}

TEST(log, a_field_from_std_string_and_char_pointer_is_text) {
  const std::string s = "from string";
  const char* p = "from pointer";
  const auto v = parse_line(bot::log::format_line(level::info, "m", {{"s", s}, {"p", p}, {"f", false}}));
  EXPECT_EQ(v.at("s").as_string(), "from string");
  EXPECT_EQ(v.at("p").as_string(), "from pointer");
  EXPECT_EQ(v.at("f").as_bool(), false);
}

TEST(log, empty_message_and_many_fields) {
  const auto v = parse_line(bot::log::format_line(level::debug, "", {{"a", 1}, {"b", 2}, {"c", 3}}));
  EXPECT_EQ(v.at("msg").as_string(), "");
  EXPECT_EQ(v.as_object().size(), 6u);
}

TEST(log, set_level_decides_what_is_enabled) {
  log_level_guard guard;
  bot::log::set_level("warn");
  EXPECT_FALSE(bot::log::enabled(level::debug));
  EXPECT_FALSE(bot::log::enabled(level::info));
  EXPECT_TRUE(bot::log::enabled(level::warn));
  EXPECT_TRUE(bot::log::enabled(level::error));

  bot::log::set_level("debug");
  EXPECT_TRUE(bot::log::enabled(level::debug));
  EXPECT_TRUE(bot::log::enabled(level::info));

  bot::log::set_level("error");
  EXPECT_FALSE(bot::log::enabled(level::warn));
  EXPECT_TRUE(bot::log::enabled(level::error));

  bot::log::set_level("info");
  EXPECT_FALSE(bot::log::enabled(level::debug));
  EXPECT_TRUE(bot::log::enabled(level::info));
}

TEST(log, set_level_with_an_unknown_name_keeps_the_current_level) {
  log_level_guard guard;
  bot::log::set_level("warn");
  for (std::string_view bad : {"verbose", "", "WARN", "Debug", "info "}) {
    bot::log::set_level(bad);
    EXPECT_FALSE(bot::log::enabled(level::info)) << bad;
    EXPECT_TRUE(bot::log::enabled(level::warn)) << bad;
  }
}
