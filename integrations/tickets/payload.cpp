#include "integrations/tickets/payload.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include <algorithm>

namespace integrations::tickets::payload {

result<boost::json::value> parse_object(std::string_view body) {
  boost::json::parse_options options;
  // Boost.JSON's default depth limit (32) is below what a rich Jira description (ADF lists in
  // tables) can reach; 64 still bounds the recursion in the value's destructor.
  options.max_depth = 64;
  boost::system::error_code ec;
  auto doc = boost::json::parse(body, ec, {}, options);
  if (ec) return error{"malformed JSON: " + ec.message()};
  if (!doc.is_object()) return error{"the body is not a JSON object"};
  return doc;
}

std::string quote(std::string_view text) {
  // Cut before a UTF-8 continuation byte, never inside a character.
  std::size_t limit = std::min<std::size_t>(text.size(), 64);
  while (limit < text.size() && limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80) --limit;
  std::string out = "\"";
  for (std::size_t i = 0; i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f || c == '"' || c == '\\') ? '?' : text[i];
  }
  if (text.size() > limit) out += "...";
  out += '"';
  return out;
}

std::string reader::path_of(const node& n, std::string_view name) {
  std::string out = n.path;
  if (!out.empty()) out += '.';
  out += name;
  return out;
}

node reader::root(const boost::json::value& document) const {
  return node{document.if_object(), ""};
}

const boost::json::value* reader::find(const node& n, std::string_view name) const {
  return n ? n.object->if_contains(name) : nullptr;
}

void reader::fail(std::string message) {
  if (!failure_) failure_ = error{std::move(message)};
}

void reader::wrong_type(const node& n, std::string_view name, std::string_view expected) {
  fail("field " + path_of(n, name) + " is not " + std::string(expected));
}

node reader::object(const node& n, std::string_view name) {
  if (!n) return {};
  const auto* v = find(n, name);
  if (v == nullptr) {
    fail("missing field " + path_of(n, name));
    return {};
  }
  if (!v->is_object()) {
    wrong_type(n, name, "an object");
    return {};
  }
  return node{&v->get_object(), path_of(n, name)};
}

node reader::optional_object(const node& n, std::string_view name) {
  const auto* v = find(n, name);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_object()) {
    wrong_type(n, name, "an object");
    return {};
  }
  return node{&v->get_object(), path_of(n, name)};
}

std::string reader::string(const node& n, std::string_view name) {
  if (!n) return {};
  const auto* v = find(n, name);
  if (v == nullptr) {
    fail("missing field " + path_of(n, name));
    return {};
  }
  if (!v->is_string()) {
    wrong_type(n, name, "a string");
    return {};
  }
  return std::string(v->get_string());
}

std::string reader::optional_string(const node& n, std::string_view name) {
  const auto* v = find(n, name);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_string()) {
    wrong_type(n, name, "a string");
    return {};
  }
  return std::string(v->get_string());
}

std::optional<std::string> reader::nullable_string(const node& n, std::string_view name) {
  const auto* v = find(n, name);
  if (v == nullptr) return std::nullopt;
  if (v->is_null()) return std::string();
  if (!v->is_string()) {
    wrong_type(n, name, "a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

namespace {

// Ids arrive as JSON numbers (GitHub, GitLab) or strings (Jira); both become decimal text. A
// double is refused: an id that lost precision would name another object.
std::optional<std::string> id_text(const boost::json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_string() && !v.get_string().empty()) return std::string(v.get_string());
  return std::nullopt;
}

}  // namespace

std::string reader::id(const node& n, std::string_view name) {
  if (!n) return {};
  const auto* v = find(n, name);
  if (v == nullptr) {
    fail("missing field " + path_of(n, name));
    return {};
  }
  auto text = id_text(*v);
  if (!text) {
    wrong_type(n, name, "an id (an integer or a non-empty string)");
    return {};
  }
  return std::move(*text);
}

std::string reader::optional_id(const node& n, std::string_view name) {
  const auto* v = find(n, name);
  if (v == nullptr || v->is_null()) return {};
  auto text = id_text(*v);
  if (!text) {
    wrong_type(n, name, "an id (an integer or a non-empty string)");
    return {};
  }
  return std::move(*text);
}

std::uint64_t reader::optional_count(const node& n, std::string_view name) {
  const auto* v = find(n, name);
  if (v == nullptr || v->is_null()) return 0;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  wrong_type(n, name, "a non-negative integer");
  return 0;
}

bool reader::flag(const node& n, std::string_view name) {
  const auto* v = find(n, name);
  if (v == nullptr || v->is_null()) return false;
  if (!v->is_bool()) {
    wrong_type(n, name, "a boolean");
    return false;
  }
  return v->get_bool();
}

std::vector<std::string> reader::strings(const node& n, std::string_view name) {
  std::vector<std::string> out;
  const auto* v = find(n, name);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) {
    wrong_type(n, name, "an array");
    return out;
  }
  const auto& items = v->get_array();
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string()) {
      fail("field " + path_of(n, name) + "[" + std::to_string(i) + "] is not a string");
      return {};
    }
    out.emplace_back(items[i].get_string());
  }
  return out;
}

std::vector<node> reader::objects(const node& n, std::string_view array) {
  std::vector<node> out;
  const auto* v = find(n, array);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) {
    wrong_type(n, array, "an array");
    return out;
  }
  const auto& items = v->get_array();
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto path = path_of(n, array) + "[" + std::to_string(i) + "]";
    if (!items[i].is_object()) {
      fail("field " + path + " is not an object");
      return {};
    }
    out.push_back(node{&items[i].get_object(), std::move(path)});
  }
  return out;
}

std::vector<std::string> reader::names(const node& n, std::string_view array, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& item : objects(n, array)) {
    auto name = string(item, key);
    if (failed()) return {};
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace integrations::tickets::payload
