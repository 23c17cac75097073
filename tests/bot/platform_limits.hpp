#pragma once
// Test helpers: assert that a rendered answer body is valid JSON within Slack's Block Kit limits
// (50 blocks, 150-character headers, 3000 per section text, 10 fields of 2000, 10 context
// elements) or Mattermost's 16,383-character posts. `what` names the case in failure messages.

#include "integrations/text/utf8.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <string>

namespace test {

inline std::size_t chars(std::string_view s) { return integrations::utf8::length(s); }

inline void expect_slack_limits(const std::string& body, const std::string& what) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  ASSERT_FALSE(ec) << what << ": not JSON";
  const auto& o = v.as_object();
  ASSERT_TRUE(o.contains("response_type")) << what;
  ASSERT_TRUE(o.contains("text")) << what;
  EXPECT_LE(chars(o.at("text").as_string()), 3000u) << what;
  const auto& blocks = o.at("blocks").as_array();
  EXPECT_GT(blocks.size(), 0u) << what;
  EXPECT_LE(blocks.size(), 50u) << what;
  for (const auto& b : blocks) {
    const auto& block = b.as_object();
    const std::string type(block.at("type").as_string());
    if (type == "header") {
      EXPECT_LE(chars(block.at("text").at("text").as_string()), 150u) << what;
    } else if (type == "section") {
      if (const auto* t = block.if_contains("text")) {
        EXPECT_GT(chars(t->at("text").as_string()), 0u) << what;
        EXPECT_LE(chars(t->at("text").as_string()), 3000u) << what;
      }
      if (const auto* f = block.if_contains("fields")) {
        EXPECT_LE(f->as_array().size(), 10u) << what;
        for (const auto& field : f->as_array())
          EXPECT_LE(chars(field.at("text").as_string()), 2000u) << what;
      }
      EXPECT_TRUE(block.contains("text") || block.contains("fields")) << what;
    } else if (type == "context") {
      const auto& elements = block.at("elements").as_array();
      EXPECT_LE(elements.size(), 10u) << what;
      for (const auto& e : elements) EXPECT_LE(chars(e.at("text").as_string()), 3000u) << what;
    }
  }
}

inline void expect_mattermost_limits(const std::string& body, const std::string& what) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  ASSERT_FALSE(ec) << what << ": not JSON";
  const auto& o = v.as_object();
  EXPECT_TRUE(o.contains("response_type")) << what;
  EXPECT_FALSE(o.at("text").as_string().empty()) << what;
  EXPECT_LE(chars(o.at("text").as_string()), 16383u) << what;
  if (const auto* extra = o.if_contains("extra_responses")) {
    for (const auto& e : extra->as_array()) EXPECT_LE(chars(e.at("text").as_string()), 16383u) << what;
  }
}

}  // namespace test
