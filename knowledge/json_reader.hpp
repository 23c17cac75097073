#pragma once
// Strict reading of JSON data files (the playbook and its review rules): every object's keys must
// be known, every value of the expected type, and a failure names its JSON path. Used inside
// knowledge/ only; failures are thrown as load_failure and turned into error results at the edge.

#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace knowledge::detail {

namespace json = boost::json;

// Thrown inside the parser and turned into an error result at its edge; carries the JSON path.
struct load_failure {
  std::string message;
};

inline std::string child(const std::string& path, std::string_view key) {
  return path + "/" + std::string(key);
}
inline std::string child(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

// A number within [min, max].
double read_number(const json::value& v, const std::string& path, double min, double max);

// One JSON object being read: every key must be one of `known`, reads name the path on failure.
class object_reader {
 public:
  object_reader(const json::value& v, std::string path, std::initializer_list<std::string_view> known)
      : path_(std::move(path)) {
    obj_ = v.if_object();
    if (obj_ == nullptr) throw load_failure{path_ + ": expected an object"};
    for (const auto& kv : *obj_) {
      const std::string_view key = kv.key();
      if (std::find(known.begin(), known.end(), key) == known.end())
        throw load_failure{child(path_, key) + ": unknown key"};
    }
  }

  const json::value* find(std::string_view key) const { return obj_->if_contains(key); }

  const json::value& required(std::string_view key) const {
    const auto* v = find(key);
    if (v == nullptr) throw load_failure{child(path_, key) + ": missing"};
    return *v;
  }

  std::string text(std::string_view key) const { return to_text(required(key), child(path_, key)); }

  std::string optional_text(std::string_view key) const {
    const auto* v = find(key);
    return v == nullptr ? std::string() : to_text(*v, child(path_, key));
  }

  std::vector<std::string> texts(std::string_view key, bool may_be_empty = false) const {
    const auto path = child(path_, key);
    const auto* arr = required(key).if_array();
    if (arr == nullptr) throw load_failure{path + ": expected an array of strings"};
    if (arr->empty() && !may_be_empty) throw load_failure{path + ": must not be empty"};
    std::vector<std::string> out;
    for (std::size_t i = 0; i < arr->size(); ++i) out.push_back(to_text((*arr)[i], child(path, i)));
    return out;
  }

  std::vector<std::string> optional_texts(std::string_view key) const {
    return find(key) == nullptr ? std::vector<std::string>{} : texts(key, true);
  }

  template <class F>
  auto objects(std::string_view key, F&& read_one) const {
    const auto path = child(path_, key);
    const auto* arr = required(key).if_array();
    if (arr == nullptr) throw load_failure{path + ": expected an array of objects"};
    if (arr->empty()) throw load_failure{path + ": must not be empty"};
    std::vector<decltype(read_one(json::value{}, std::string{}))> out;
    for (std::size_t i = 0; i < arr->size(); ++i) out.push_back(read_one((*arr)[i], child(path, i)));
    return out;
  }

  const std::string& path() const { return path_; }

  // A number within [min, max], or fallback when the key is absent.
  double number(std::string_view key, double min, double max, double fallback) const {
    const auto* v = find(key);
    return v == nullptr ? fallback : read_number(*v, child(path_, key), min, max);
  }

  bool flag(std::string_view key, bool fallback) const {
    const auto* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_bool()) throw load_failure{child(path_, key) + ": expected true or false"};
    return v->get_bool();
  }

 private:
  static std::string to_text(const json::value& v, const std::string& path) {
    const auto* s = v.if_string();
    if (s == nullptr) throw load_failure{path + ": expected a string"};
    if (std::all_of(s->begin(), s->end(), [](unsigned char c) { return std::isspace(c); }))
      throw load_failure{path + ": must not be empty"};
    return std::string(*s);
  }

  const json::object* obj_ = nullptr;
  std::string path_;
};

// Ids are how users and rules name things: lowercase words joined by '_' or '-'.
inline void check_id(const std::string& id, const std::string& path) {
  const bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!ok) throw load_failure{path + "/id: '" + id + "' must be lowercase letters, digits, '_' or '-'"};
}

template <class T>
void check_unique_ids(const std::vector<T>& items, const std::string& path) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto item_path = child(path, i);
    check_id(items[i].id, item_path);
    if (!seen.insert(items[i].id).second)
      throw load_failure{item_path + "/id: duplicate id '" + items[i].id + "'"};
  }
}

}  // namespace knowledge::detail
