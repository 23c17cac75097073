#pragma once
// application/x-www-form-urlencoded bodies and query strings.

#include "integrations/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace integrations {

struct form_field {
  std::string name;
  std::string value;
};

// The fields of a form in the order they came, repeated and empty ones included.
class form {
 public:
  explicit form(std::vector<form_field> fields = {}) : fields_(std::move(fields)) {}

  const std::vector<form_field>& fields() const { return fields_; }

  // How many times the field appears.
  std::size_t count(std::string_view name) const;

  // The value of a field that may appear at most once: nullopt when absent, an error naming the
  // field when it is repeated.
  result<std::optional<std::string_view>> single(std::string_view name) const;

  // The value of a single field, or "" when absent; an error when repeated.
  result<std::string_view> value_or_empty(std::string_view name) const;

 private:
  std::vector<form_field> fields_;
};

// Parses "a=1&b=two+words&c=%2F": percent-decoding, '+' as a space, empty segments skipped,
// a field without '=' has an empty value. Errors name the problem and its byte offset: an invalid
// or truncated escape, an empty field name, a name or value that is not UTF-8 after decoding.
result<form> parse_form(std::string_view body);

// True when the raw body holds the field name=value exactly (no decoding); for protocol probes
// that must be recognised before anything else is done with the body.
bool form_has_exact_field(std::string_view body, std::string_view name, std::string_view value);

}  // namespace integrations
