#include "knowledge/playbook.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <set>
#include <sstream>

namespace knowledge {
namespace json = boost::json;
namespace {

constexpr int supported_format = 1;
constexpr std::size_t max_playbook_bytes = 4 << 20;

// Thrown inside the parser and turned into an error result at its edge; carries the JSON path.
struct load_failure {
  std::string message;
};

std::string child(const std::string& path, std::string_view key) {
  return path + "/" + std::string(key);
}
std::string child(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

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
void check_id(const std::string& id, const std::string& path) {
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

std::string ascii_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Names a user may type for a type or track: ids and aliases, unique across the list. Compared
// ignoring case, as find_type/find_track look them up: "MOOC" on a second type could never match.
template <class T>
void check_unique_names(const std::vector<T>& items, const std::string& path) {
  std::set<std::string> seen;
  for (const auto& item : items) seen.insert(item.id);
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (const auto& alias : items[i].aliases) {
      if (!seen.insert(ascii_lower(alias)).second)
        throw load_failure{child(path, i) + "/aliases: '" + alias + "' is already used"};
    }
  }
}

item read_item(const json::value& v, const std::string& path) {
  object_reader r(v, path, {"id", "title", "text"});
  return item{r.text("id"), r.text("title"), r.text("text")};
}

item_section read_item_section(const object_reader& parent, std::string_view key) {
  object_reader r(parent.required(key), child(parent.path(), key),
                  {"title", "intro", "items", "outro"});
  item_section s{r.text("title"), r.optional_text("intro"), r.objects("items", read_item),
                 r.optional_text("outro")};
  check_unique_ids(s.items, child(r.path(), "items"));
  return s;
}

introduction read_introduction(const object_reader& parent) {
  object_reader r(parent.required("introduction"), child(parent.path(), "introduction"),
                  {"title", "paragraphs", "covers_title", "covers", "does_not_cover_title",
                   "does_not_cover"});
  return introduction{r.text("title"),        r.texts("paragraphs"),
                      r.text("covers_title"), r.texts("covers"),
                      r.text("does_not_cover_title"), r.texts("does_not_cover")};
}

provider_type read_type(const json::value& v, const std::string& path) {
  object_reader r(v, path,
                  {"id", "aliases", "name", "good_at", "falls_short", "typical_engagement",
                   "summary"});
  return provider_type{r.text("id"),          r.optional_texts("aliases"), r.text("name"),
                       r.texts("good_at"),    r.texts("falls_short"),
                       r.texts("typical_engagement"), r.text("summary")};
}

provider_types read_types(const object_reader& parent) {
  object_reader r(parent.required("provider_types"), child(parent.path(), "provider_types"),
                  {"title", "intro", "items"});
  provider_types t{r.text("title"), r.optional_text("intro"), r.objects("items", read_type)};
  check_unique_ids(t.items, child(r.path(), "items"));
  check_unique_names(t.items, child(r.path(), "items"));
  return t;
}

investment read_investment(const object_reader& parent) {
  object_reader r(parent.required("investment"), child(parent.path(), "investment"),
                  {"title", "intro", "invest_when_title", "invest_when", "avoid_when_title",
                   "avoid_when"});
  return investment{r.text("title"),      r.optional_text("intro"), r.text("invest_when_title"),
                    r.texts("invest_when"), r.text("avoid_when_title"), r.texts("avoid_when")};
}

track read_track(const json::value& v, const std::string& path) {
  object_reader r(v, path, {"id", "aliases", "title", "focus"});
  return track{r.text("id"), r.optional_texts("aliases"), r.text("title"), r.text("focus")};
}

tracks read_tracks(const object_reader& parent) {
  object_reader r(parent.required("tracks"), child(parent.path(), "tracks"),
                  {"title", "intro", "items"});
  tracks t{r.text("title"), r.optional_text("intro"), r.objects("items", read_track)};
  check_unique_ids(t.items, child(r.path(), "items"));
  check_unique_names(t.items, child(r.path(), "items"));
  return t;
}

question_list read_questions(const object_reader& parent) {
  object_reader r(parent.required("questions"), child(parent.path(), "questions"),
                  {"title", "items", "outro"});
  return question_list{r.text("title"), r.texts("items"), r.optional_text("outro")};
}

takeaways read_takeaways(const object_reader& parent) {
  object_reader r(parent.required("takeaways"), child(parent.path(), "takeaways"),
                  {"title", "paragraphs"});
  return takeaways{r.text("title"), r.texts("paragraphs")};
}

playbook read_playbook(const json::value& root) {
  object_reader r(root, "",
                  {"format", "title", "subtitle", "introduction", "failure_modes",
                   "provider_types", "capabilities", "investment", "criteria", "red_flags",
                   "formats", "tracks", "questions", "takeaways"});
  const auto* format = r.required("format").if_int64();
  if (format == nullptr || *format != supported_format)
    throw load_failure{"/format: must be " + std::to_string(supported_format)};
  playbook p;
  p.title = r.text("title");
  p.subtitle = r.optional_text("subtitle");
  p.intro = read_introduction(r);
  p.failure_modes = read_item_section(r, "failure_modes");
  p.types = read_types(r);
  p.capabilities = read_item_section(r, "capabilities");
  p.invest = read_investment(r);
  p.criteria = read_item_section(r, "criteria");
  p.red_flags = read_item_section(r, "red_flags");
  p.formats = read_item_section(r, "formats");
  p.role_tracks = read_tracks(r);
  p.questions = read_questions(r);
  p.closing = read_takeaways(r);
  return p;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

template <class T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  for (const auto& item : items) {
    if (iequals(item.id, name)) return &item;
    for (const auto& alias : item.aliases)
      if (iequals(alias, name)) return &item;
  }
  return nullptr;
}

}  // namespace

const provider_type* playbook::find_type(std::string_view name) const {
  return find_named(types.items, name);
}

const track* playbook::find_track(std::string_view name) const {
  return find_named(role_tracks.items, name);
}

result<playbook> parse_playbook(std::string_view json_text, std::string_view source) {
  const std::string where(source);
  boost::system::error_code ec;
  const json::value root = json::parse(json_text, ec);
  if (ec) return error{where + ": not valid JSON: " + ec.message()};
  try {
    return read_playbook(root);
  } catch (const load_failure& f) {
    return error{where + ": " + f.message};
  }
}

result<playbook> load_playbook(const std::string& path) {
  if (path.empty()) return parse_playbook(embedded_playbook_json(), "embedded playbook");
  std::ifstream in(path, std::ios::binary);
  if (!in) return error{path + ": cannot be opened"};
  std::string text;
  text.resize(max_playbook_bytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return error{path + ": read failed"};
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_playbook_bytes)
    return error{path + ": larger than " + std::to_string(max_playbook_bytes) + " bytes"};
  return parse_playbook(text, path);
}

}  // namespace knowledge
