#include "knowledge/playbook.hpp"

#include "knowledge/json_reader.hpp"
#include "knowledge/text.hpp"

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

using detail::check_id;
using detail::check_unique_ids;
using detail::child;
using detail::load_failure;
using detail::object_reader;

constexpr int supported_format = 1;
constexpr std::size_t max_playbook_bytes = 4 << 20;

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

// The review rules point into the playbook (provider types, questions, the avoid list): every
// reference must land.
void check_review_references(const playbook& p) {
  for (std::size_t i = 0; i < p.review.categories.size(); ++i) {
    const auto& c = p.review.categories[i];
    if (p.find_type(c.type_id) == nullptr)
      throw load_failure{"/review/categories/" + std::to_string(i) + "/type_id: rule '" + c.id +
                         "': no provider type '" + c.type_id + "'"};
  }
  for (std::size_t i = 0; i < p.review.coverage.size(); ++i) {
    const auto& c = p.review.coverage[i];
    if (c.question >= static_cast<int>(p.questions.items.size()))
      throw load_failure{"/review/coverage/" + std::to_string(i) + "/question: rule '" + c.id +
                         "': there are only " + std::to_string(p.questions.items.size()) +
                         " questions"};
  }
  for (std::size_t i = 0; i < p.review.avoid.size(); ++i) {
    const auto& a = p.review.avoid[i];
    if (a.avoid_item >= static_cast<int>(p.invest.avoid_when.size()))
      throw load_failure{"/review/avoid/" + std::to_string(i) + "/avoid_item: rule '" + a.id +
                         "': there are only " + std::to_string(p.invest.avoid_when.size()) +
                         " items to avoid"};
  }
}

playbook read_playbook(const json::value& root) {
  object_reader r(root, "",
                  {"format", "title", "subtitle", "introduction", "failure_modes",
                   "provider_types", "capabilities", "investment", "criteria", "red_flags",
                   "formats", "tracks", "questions", "takeaways", "review"});
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
  p.review = read_review_rules(r.required("review"), "/review");
  check_review_references(p);
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
