#pragma once
// Reading the fields of an untrusted webhook body by hand, with errors that name the full path of
// the field ("missing field issue.fields.summary", "field issue.number is not a number").
// Used by the trackers' parse_webhook; the first error wins and later reads return defaults, so a
// parser reads everything it needs and checks failed() once at the end.

#include "integrations/error.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace integrations::tickets::payload {

// The body as a JSON object; an error says "malformed JSON: ..." or "the body is not a JSON object".
result<boost::json::value> parse_object(std::string_view body);

// text for an error or ignore reason: in double quotes, at most 64 bytes, control characters and
// quotes replaced by '?', so a payload's value cannot forge log lines.
std::string quote(std::string_view text);

// An object inside the payload and its path ("" for the root). Empty when it was missing.
struct node {
  const boost::json::object* object = nullptr;
  std::string path;
  explicit operator bool() const { return object != nullptr; }
};

class reader {
 public:
  node root(const boost::json::value& document) const;

  // A present member, nullptr when the node is empty or the member absent.
  const boost::json::value* find(const node& n, std::string_view name) const;

  // Required: an error when absent or of the wrong type.
  node object(const node& n, std::string_view name);
  std::string string(const node& n, std::string_view name);
  std::string id(const node& n, std::string_view name);  // a string (not empty) or an integer, as text

  // Optional: absent or null give the default; a present value of the wrong type is an error.
  node optional_object(const node& n, std::string_view name);
  std::string optional_string(const node& n, std::string_view name);
  std::optional<std::string> nullable_string(const node& n, std::string_view name);  // absent → nullopt, null → ""
  std::string optional_id(const node& n, std::string_view name);
  std::uint64_t optional_count(const node& n, std::string_view name);  // a non-negative integer
  bool flag(const node& n, std::string_view name);                     // a boolean
  std::vector<std::string> strings(const node& n, std::string_view name);  // an array of strings
  // An array of objects; the string `key` of each ("labels" → [{"name": ...}] → names).
  std::vector<std::string> names(const node& n, std::string_view array, std::string_view key);
  // An array of objects, each as a node ("issue.fields.attachment[2]").
  std::vector<node> objects(const node& n, std::string_view array);

  // Records an error of the caller's own (the first error is kept).
  void fail(std::string message);
  bool failed() const { return failure_.has_value(); }
  const error& failure() const { return *failure_; }

  static std::string path_of(const node& n, std::string_view name);

 private:
  void wrong_type(const node& n, std::string_view name, std::string_view expected);
  std::optional<error> failure_;
};

}  // namespace integrations::tickets::payload
