// The playbook as data: the compiled-in JSON parses, holds every part of the source text, and the
// loader refuses anything malformed with a message naming the file and the JSON path.

#include "knowledge/playbook.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

const knowledge::playbook& embedded() {
  static const knowledge::playbook p = knowledge::load_playbook("").value();
  return p;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A file under the temp directory, removed when the test ends.
class temp_file {
 public:
  explicit temp_file(std::string_view contents) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("unit_playbook_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
             ".json");
    std::ofstream out(path_, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  ~temp_file() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string trim(std::string_view s) { return collapse_whitespace(s); }

// Every string the parsed playbook holds, ids and aliases included.
std::vector<std::string> all_strings(const knowledge::playbook& p) {
  std::vector<std::string> out;
  const auto add = [&out](const std::string& s) { out.push_back(collapse_whitespace(s)); };
  const auto add_all = [&add](const std::vector<std::string>& v) {
    for (const auto& s : v) add(s);
  };
  const auto add_section = [&](const knowledge::item_section& s) {
    add(s.title);
    add(s.intro);
    add(s.outro);
    for (const auto& i : s.items) {
      add(i.id);
      add(i.title);
      add(i.text);
    }
  };
  add(p.title);
  add(p.subtitle);
  add(p.intro.title);
  add_all(p.intro.paragraphs);
  add(p.intro.covers_title);
  add_all(p.intro.covers);
  add(p.intro.does_not_cover_title);
  add_all(p.intro.does_not_cover);
  add_section(p.failure_modes);
  add(p.types.title);
  add(p.types.intro);
  for (const auto& t : p.types.items) {
    add(t.id);
    add_all(t.aliases);
    add(t.name);
    add_all(t.good_at);
    add_all(t.falls_short);
    add_all(t.typical_engagement);
    add(t.summary);
  }
  add_section(p.capabilities);
  add(p.invest.title);
  add(p.invest.intro);
  add(p.invest.invest_when_title);
  add_all(p.invest.invest_when);
  add(p.invest.avoid_when_title);
  add_all(p.invest.avoid_when);
  add_section(p.criteria);
  add_section(p.red_flags);
  add_section(p.formats);
  add(p.role_tracks.title);
  add(p.role_tracks.intro);
  for (const auto& t : p.role_tracks.items) {
    add(t.id);
    add_all(t.aliases);
    add(t.title);
    add(t.focus);
  }
  add(p.questions.title);
  add_all(p.questions.items);
  add(p.questions.outro);
  add(p.closing.title);
  add_all(p.closing.paragraphs);
  return out;
}

// The prose, list and table strings of the playbook (not titles, ids or aliases): what it says.
std::vector<std::string> content_strings(const knowledge::playbook& p) {
  std::vector<std::string> out;
  const auto add_all = [&out](const std::vector<std::string>& v) {
    out.insert(out.end(), v.begin(), v.end());
  };
  add_all(p.intro.paragraphs);
  add_all(p.intro.covers);
  add_all(p.intro.does_not_cover);
  for (const auto* s : {&p.failure_modes, &p.capabilities, &p.criteria, &p.red_flags, &p.formats}) {
    if (!s->intro.empty()) out.push_back(s->intro);
    if (!s->outro.empty()) out.push_back(s->outro);
    for (const auto& i : s->items) out.push_back(i.text);
  }
  out.push_back(p.types.intro);
  for (const auto& t : p.types.items) {
    add_all(t.good_at);
    add_all(t.falls_short);
    add_all(t.typical_engagement);
    out.push_back(t.summary);
  }
  out.push_back(p.invest.intro);
  add_all(p.invest.invest_when);
  add_all(p.invest.avoid_when);
  out.push_back(p.role_tracks.intro);
  for (const auto& t : p.role_tracks.items) out.push_back(t.focus);
  add_all(p.questions.items);
  out.push_back(p.questions.outro);
  add_all(p.closing.paragraphs);
  return out;
}

// Splits prose into sentences after ". ", "? " and "! ", keeping the punctuation.
std::vector<std::string> sentences(std::string_view line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if ((line[i] == '.' || line[i] == '?' || line[i] == '!') && line[i + 1] == ' ') {
      out.push_back(trim(line.substr(start, i + 1 - start)));
      start = i + 2;
    }
  }
  if (start < line.size()) out.push_back(trim(line.substr(start)));
  std::erase_if(out, [](const std::string& s) { return s.empty(); });
  return out;
}

// The playbook's source text cut into the pieces the JSON must hold: sentences of prose, list
// items (without "- " or "1. "), table cells (without header and separator rows).
std::vector<std::string> source_pieces(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::string l = trim(line);
    if (l.empty()) continue;
    if (l.front() == '|') {
      if (l.starts_with("| What they're good at") || l.starts_with("|---")) continue;
      std::size_t pos = 1;
      while (pos < l.size()) {
        const auto bar = l.find('|', pos);
        const auto cell = trim(l.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos));
        if (!cell.empty()) out.push_back(cell);
        if (bar == std::string::npos) break;
        pos = bar + 1;
      }
      continue;
    }
    if (l.starts_with("- ")) {
      out.push_back(trim(l.substr(2)));
      continue;
    }
    if (l.size() > 3 && l[0] >= '1' && l[0] <= '9' && l[1] == '.' && l[2] == ' ') {
      out.push_back(trim(l.substr(3)));
      continue;
    }
    for (auto& s : sentences(l)) out.push_back(std::move(s));
  }
  return out;
}

bool occurs_in_some(const std::vector<std::string>& haystacks, const std::string& needle) {
  for (const auto& h : haystacks)
    if (h.find(needle) != std::string::npos) return true;
  return false;
}

bool equals_some(const std::vector<std::string>& haystacks, const std::string& needle) {
  for (const auto& h : haystacks)
    if (h == needle) return true;
  return false;
}

json::value embedded_json() { return json::parse(knowledge::embedded_playbook_json()); }

// Parses a modified copy of the embedded playbook; the error message, or "" when it loaded.
std::string error_after(const std::function<void(json::object&)>& modify) {
  auto root = embedded_json();
  modify(root.as_object());
  const auto r = knowledge::parse_playbook(json::serialize(root), "custom.json");
  return r ? std::string() : r.error().message;
}

}  // namespace

TEST(playbook, embedded_json_parses) {
  const auto r = knowledge::parse_playbook(knowledge::embedded_playbook_json(), "embedded");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->title, "AI Training Playbook 2026");
  EXPECT_FALSE(r->subtitle.empty());
}

TEST(playbook, introduction_has_paragraphs_and_scope_lists) {
  const auto& p = embedded();
  EXPECT_EQ(p.intro.paragraphs.size(), 3u);
  EXPECT_EQ(p.intro.covers.size(), 5u);
  EXPECT_EQ(p.intro.does_not_cover.size(), 4u);
  EXPECT_EQ(p.intro.covers_title, "What this guide covers");
  EXPECT_EQ(p.intro.does_not_cover_title, "What it does not cover");
}

TEST(playbook, has_four_failure_modes) {
  const auto& p = embedded();
  ASSERT_EQ(p.failure_modes.items.size(), 4u);
  EXPECT_EQ(p.failure_modes.title, "Why Most AI Training Programs Fail");
  EXPECT_FALSE(p.failure_modes.intro.empty());
}

TEST(playbook, has_four_provider_types_with_three_cells_per_column_and_a_summary) {
  const auto& p = embedded();
  ASSERT_EQ(p.types.items.size(), 4u);
  std::vector<std::string> ids;
  for (const auto& t : p.types.items) {
    ids.push_back(t.id);
    EXPECT_EQ(t.good_at.size(), 3u) << t.id;
    EXPECT_EQ(t.falls_short.size(), 3u) << t.id;
    EXPECT_EQ(t.typical_engagement.size(), 3u) << t.id;
    EXPECT_FALSE(t.summary.empty()) << t.id;
    EXPECT_FALSE(t.name.empty()) << t.id;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"mooc", "cert", "workshop", "bootcamp"}));
}

TEST(playbook, has_four_capabilities_with_their_ids) {
  const auto& p = embedded();
  std::vector<std::string> ids;
  for (const auto& i : p.capabilities.items) ids.push_back(i.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"data_pipelines", "llmops", "reliability", "security"}));
}

TEST(playbook, has_four_reasons_to_invest_and_four_to_avoid) {
  const auto& p = embedded();
  EXPECT_EQ(p.invest.invest_when.size(), 4u);
  EXPECT_EQ(p.invest.avoid_when.size(), 4u);
  EXPECT_EQ(p.invest.invest_when_title, "Invest in external training when");
  EXPECT_EQ(p.invest.avoid_when_title, "Avoid external training when");
}

TEST(playbook, has_four_criteria_with_their_ids) {
  const auto& p = embedded();
  std::vector<std::string> ids;
  for (const auto& i : p.criteria.items) ids.push_back(i.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"practitioner_instructors", "curriculum_adaptability",
                                           "evaluation_ops", "hands_on"}));
}

TEST(playbook, has_five_red_flags_with_their_ids) {
  const auto& p = embedded();
  std::vector<std::string> ids;
  for (const auto& i : p.red_flags.items) ids.push_back(i.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"basics_heavy", "single_vendor", "toy_final_project",
                                           "no_post_training_support", "attendance_metrics"}));
  EXPECT_FALSE(p.red_flags.intro.empty());
  EXPECT_FALSE(p.red_flags.outro.empty());
}

TEST(playbook, has_three_formats) {
  EXPECT_EQ(embedded().formats.items.size(), 3u);
}

TEST(playbook, has_three_role_tracks) {
  const auto& p = embedded();
  std::vector<std::string> ids;
  for (const auto& t : p.role_tracks.items) {
    ids.push_back(t.id);
    EXPECT_FALSE(t.focus.empty()) << t.id;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"frontend", "backend", "devops"}));
}

TEST(playbook, has_five_questions_and_three_takeaway_paragraphs) {
  const auto& p = embedded();
  EXPECT_EQ(p.questions.items.size(), 5u);
  EXPECT_FALSE(p.questions.outro.empty());
  EXPECT_EQ(p.closing.paragraphs.size(), 3u);
}

TEST(playbook, every_sentence_item_and_cell_of_the_source_text_is_in_the_data) {
  const std::string source = read_file(fs::path(PLAYBOOK_FIXTURES) / "ai-training-playbook-2026.txt");
  ASSERT_FALSE(source.empty());
  const auto strings = all_strings(embedded());
  const auto pieces = source_pieces(source);
  // The source has about 150 such pieces; far fewer means the splitter is broken, not the data.
  EXPECT_GT(pieces.size(), 120u);
  for (const auto& piece : pieces) {
    if (occurs_in_some(strings, piece)) continue;
    // "Practitioner instructors." and "What this guide covers:" are titles, stored without the
    // punctuation that ends them in prose.
    std::string bare = piece;
    if (!bare.empty() && (bare.back() == '.' || bare.back() == ':')) bare.pop_back();
    EXPECT_TRUE(equals_some(strings, bare)) << "not in the playbook data: " << piece;
  }
}

TEST(playbook, every_passage_of_the_data_comes_from_the_source_text) {
  const std::string source =
      collapse_whitespace(read_file(fs::path(PLAYBOOK_FIXTURES) / "ai-training-playbook-2026.txt"));
  for (const auto& s : content_strings(embedded()))
    EXPECT_NE(source.find(collapse_whitespace(s)), std::string::npos) << "not in the source: " << s;
}

TEST(playbook, source_splitter_handles_titles_lists_and_tables) {
  const auto pieces = source_pieces(
      "Practitioner instructors. VPs ask. Do they?\n"
      "- a list item\n"
      "2. Vendor-Led Cloud Certifications\n"
      "| What they're good at | Where | Typical |\n"
      "|---|---|---|\n"
      "| one | two   words | three |\n");
  EXPECT_EQ(pieces, (std::vector<std::string>{"Practitioner instructors.", "VPs ask.", "Do they?",
                                              "a list item", "Vendor-Led Cloud Certifications",
                                              "one", "two words", "three"}));
}

TEST(playbook, find_type_by_id_and_alias_ignoring_case) {
  const auto& p = embedded();
  ASSERT_NE(p.find_type("mooc"), nullptr);
  EXPECT_EQ(p.find_type("mooc")->id, "mooc");
  EXPECT_EQ(p.find_type("MOOCs")->id, "mooc");
  EXPECT_EQ(p.find_type("E-Learning")->id, "mooc");
  EXPECT_EQ(p.find_type("cert")->id, "cert");
  EXPECT_EQ(p.find_type("Certification")->id, "cert");
  EXPECT_EQ(p.find_type("CLOUD")->id, "cert");
  EXPECT_EQ(p.find_type("boutique")->id, "workshop");
  EXPECT_EQ(p.find_type("Workshops")->id, "workshop");
  EXPECT_EQ(p.find_type("immersive")->id, "bootcamp");
  EXPECT_EQ(p.find_type("BOOTCAMP")->id, "bootcamp");
}

TEST(playbook, find_type_of_an_unknown_name_is_null) {
  const auto& p = embedded();
  EXPECT_EQ(p.find_type("webinar"), nullptr);
  EXPECT_EQ(p.find_type(""), nullptr);
  EXPECT_EQ(p.find_type("moo"), nullptr);
  EXPECT_EQ(p.find_type("mooc "), nullptr);
  EXPECT_EQ(p.find_type("backend"), nullptr);  // a track, not a type
}

TEST(playbook, find_track_by_id_and_alias_ignoring_case) {
  const auto& p = embedded();
  EXPECT_EQ(p.find_track("frontend")->id, "frontend");
  EXPECT_EQ(p.find_track("FE")->id, "frontend");
  EXPECT_EQ(p.find_track("Front-End")->id, "frontend");
  EXPECT_EQ(p.find_track("Backend")->id, "backend");
  EXPECT_EQ(p.find_track("server")->id, "backend");
  EXPECT_EQ(p.find_track("devops")->id, "devops");
  EXPECT_EQ(p.find_track("SRE")->id, "devops");
  EXPECT_EQ(p.find_track("platform")->id, "devops");
}

TEST(playbook, find_track_of_an_unknown_name_is_null) {
  const auto& p = embedded();
  EXPECT_EQ(p.find_track("fullstack"), nullptr);
  EXPECT_EQ(p.find_track(""), nullptr);
  EXPECT_EQ(p.find_track("mooc"), nullptr);  // a type, not a track
}

// --- strict loading -------------------------------------------------------------------------

TEST(playbook, a_modified_copy_that_is_still_valid_parses) {
  EXPECT_EQ(error_after([](json::object&) {}), "");
  EXPECT_EQ(error_after([](json::object& root) { root.erase("subtitle"); }), "");
  EXPECT_EQ(error_after([](json::object& root) { root["red_flags"].as_object().erase("outro"); }),
            "");
}

TEST(playbook, unknown_top_level_key_is_an_error_naming_it) {
  const auto e = error_after([](json::object& root) { root["colour"] = "red"; });
  EXPECT_NE(e.find("custom.json"), std::string::npos) << e;
  EXPECT_NE(e.find("/colour"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
}

TEST(playbook, unknown_nested_key_is_an_error_naming_its_path) {
  const auto e = error_after([](json::object& root) {
    root["criteria"].as_object().at("items").as_array()[1].as_object()["colour"] = "red";
  });
  EXPECT_NE(e.find("custom.json"), std::string::npos) << e;
  EXPECT_NE(e.find("/criteria/items/1/colour"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;

  const auto e2 = error_after([](json::object& root) {
    root["provider_types"].as_object().at("items").as_array()[2].as_object()["price"] = 3;
  });
  EXPECT_NE(e2.find("/provider_types/items/2/price"), std::string::npos) << e2;
}

TEST(playbook, missing_required_key_is_an_error_naming_its_path) {
  auto e = error_after([](json::object& root) {
    root["criteria"].as_object().at("items").as_array()[0].as_object().erase("text");
  });
  EXPECT_NE(e.find("/criteria/items/0/text"), std::string::npos) << e;
  EXPECT_NE(e.find("missing"), std::string::npos) << e;

  e = error_after([](json::object& root) { root.erase("questions"); });
  EXPECT_NE(e.find("/questions"), std::string::npos) << e;
  EXPECT_NE(e.find("missing"), std::string::npos) << e;

  e = error_after([](json::object& root) { root.erase("format"); });
  EXPECT_NE(e.find("/format"), std::string::npos) << e;

  e = error_after([](json::object& root) {
    root["provider_types"].as_object().at("items").as_array()[3].as_object().erase("falls_short");
  });
  EXPECT_NE(e.find("/provider_types/items/3/falls_short"), std::string::npos) << e;
}

TEST(playbook, empty_or_blank_string_is_an_error_naming_its_path) {
  auto e = error_after([](json::object& root) { root["title"] = ""; });
  EXPECT_NE(e.find("/title"), std::string::npos) << e;
  EXPECT_NE(e.find("must not be empty"), std::string::npos) << e;

  e = error_after([](json::object& root) {
    root["red_flags"].as_object().at("items").as_array()[4].as_object()["title"] = " \t\n";
  });
  EXPECT_NE(e.find("/red_flags/items/4/title"), std::string::npos) << e;
  EXPECT_NE(e.find("must not be empty"), std::string::npos) << e;

  e = error_after([](json::object& root) { root["questions"].as_object().at("items").as_array()[2] = ""; });
  EXPECT_NE(e.find("/questions/items/2"), std::string::npos) << e;
}

TEST(playbook, wrong_type_is_an_error_naming_its_path) {
  auto e = error_after([](json::object& root) { root["questions"].as_object().at("items").as_array()[2] = 5; });
  EXPECT_NE(e.find("/questions/items/2: expected a string"), std::string::npos) << e;

  e = error_after([](json::object& root) { root["criteria"].as_object()["items"] = "all of them"; });
  EXPECT_NE(e.find("/criteria/items: expected an array"), std::string::npos) << e;

  e = error_after([](json::object& root) { root["takeaways"] = json::array{"x"}; });
  EXPECT_NE(e.find("/takeaways: expected an object"), std::string::npos) << e;

  e = error_after([](json::object& root) {
    root["provider_types"].as_object().at("items").as_array()[0].as_object()["aliases"] = "moocs";
  });
  EXPECT_NE(e.find("/provider_types/items/0/aliases: expected an array"), std::string::npos) << e;

  e = error_after([](json::object& root) { root["title"] = true; });
  EXPECT_NE(e.find("/title: expected a string"), std::string::npos) << e;
}

TEST(playbook, document_that_is_not_an_object_is_an_error) {
  const auto r = knowledge::parse_playbook("[1, 2, 3]", "list.json");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("list.json"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("expected an object"), std::string::npos) << r.error().message;
}

TEST(playbook, empty_items_array_is_an_error_naming_its_path) {
  auto e = error_after([](json::object& root) { root["red_flags"].as_object()["items"] = json::array{}; });
  EXPECT_NE(e.find("/red_flags/items: must not be empty"), std::string::npos) << e;

  e = error_after([](json::object& root) { root["questions"].as_object()["items"] = json::array{}; });
  EXPECT_NE(e.find("/questions/items: must not be empty"), std::string::npos) << e;

  e = error_after([](json::object& root) {
    root["provider_types"].as_object().at("items").as_array()[1].as_object()["good_at"] = json::array{};
  });
  EXPECT_NE(e.find("/provider_types/items/1/good_at: must not be empty"), std::string::npos) << e;
}

TEST(playbook, an_empty_alias_list_is_allowed) {
  EXPECT_EQ(error_after([](json::object& root) {
              root["provider_types"].as_object().at("items").as_array()[0].as_object()["aliases"] = json::array{};
            }),
            "");
}

TEST(playbook, duplicate_id_is_an_error_naming_it) {
  auto e = error_after([](json::object& root) {
    auto& items = root["criteria"].as_object().at("items").as_array();
    items[1].as_object()["id"] = items[0].as_object().at("id");
  });
  EXPECT_NE(e.find("/criteria/items/1/id"), std::string::npos) << e;
  EXPECT_NE(e.find("duplicate id 'practitioner_instructors'"), std::string::npos) << e;

  e = error_after([](json::object& root) {
    root["tracks"].as_object().at("items").as_array()[2].as_object()["id"] = "frontend";
  });
  EXPECT_NE(e.find("/tracks/items/2/id: duplicate id 'frontend'"), std::string::npos) << e;
}

TEST(playbook, id_with_characters_other_than_lowercase_digits_dash_underscore_is_an_error) {
  for (const char* bad : {"Hands_On", "hands on", "hands.on", "h\xC3\xA9", "hands/on"}) {
    const auto e = error_after([bad](json::object& root) {
      root["criteria"].as_object().at("items").as_array()[3].as_object()["id"] = bad;
    });
    EXPECT_NE(e.find("/criteria/items/3/id"), std::string::npos) << bad << ": " << e;
    EXPECT_NE(e.find("must be lowercase"), std::string::npos) << bad << ": " << e;
  }
  for (const char* good : {"hands-on", "hands_on_2", "x"}) {
    EXPECT_EQ(error_after([good](json::object& root) {
                root["criteria"].as_object().at("items").as_array()[3].as_object()["id"] = good;
              }),
              "")
        << good;
  }
}

TEST(playbook, alias_used_twice_is_an_error_naming_it) {
  // An alias equal to another type's id.
  auto e = error_after([](json::object& root) {
    root["provider_types"].as_object().at("items").as_array()[1].as_object()["aliases"].as_array().push_back("mooc");
  });
  EXPECT_NE(e.find("/provider_types/items/1/aliases"), std::string::npos) << e;
  EXPECT_NE(e.find("'mooc' is already used"), std::string::npos) << e;

  // An alias equal to another type's alias.
  e = error_after([](json::object& root) {
    root["provider_types"].as_object().at("items").as_array()[3].as_object()["aliases"].as_array().push_back("boutique");
  });
  EXPECT_NE(e.find("/provider_types/items/3/aliases: 'boutique' is already used"), std::string::npos)
      << e;

  // A track alias equal to another track's id.
  e = error_after([](json::object& root) {
    root["tracks"].as_object().at("items").as_array()[0].as_object()["aliases"].as_array().push_back("devops");
  });
  EXPECT_NE(e.find("/tracks/items/0/aliases: 'devops' is already used"), std::string::npos) << e;
}

TEST(playbook, alias_differing_only_in_case_from_another_name_is_an_error) {
  // Names are looked up ignoring case, so "MOOC" on the cert type could never be reached.
  const auto e = error_after([](json::object& root) {
    root["provider_types"].as_object().at("items").as_array()[1].as_object()["aliases"].as_array().push_back("MOOC");
  });
  EXPECT_NE(e.find("/provider_types/items/1/aliases"), std::string::npos) << e;
  EXPECT_NE(e.find("already used"), std::string::npos) << e;
}

TEST(playbook, wrong_format_is_an_error) {
  const std::vector<json::value> formats = {json::value(2), json::value(0), json::value("1"),
                                            json::value(1.5), json::value(nullptr)};
  for (const auto& v : formats) {
    const auto e = error_after([&v](json::object& root) { root["format"] = v; });
    EXPECT_NE(e.find("/format: must be 1"), std::string::npos) << json::serialize(v) << ": " << e;
  }
}

TEST(playbook, text_that_is_not_json_is_an_error_naming_the_source) {
  for (std::string_view text : {"", "not json at all", "{\"format\": 1,", "{} {}"}) {
    const auto r = knowledge::parse_playbook(text, "broken.json");
    ASSERT_FALSE(r) << text;
    EXPECT_NE(r.error().message.find("broken.json"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("not valid JSON"), std::string::npos) << r.error().message;
  }
}

TEST(playbook, value_of_a_failed_parse_throws_invalid_argument_with_the_message) {
  const auto r = knowledge::parse_playbook("{}", "empty.json");
  ASSERT_FALSE(r);
  EXPECT_THROW((void)r.value(), std::invalid_argument);
}

TEST(playbook, load_playbook_with_empty_path_gives_the_embedded_one) {
  const auto r = knowledge::load_playbook("");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->title, embedded().title);
  EXPECT_EQ(r->criteria.items.size(), embedded().criteria.items.size());
}

TEST(playbook, load_playbook_reads_a_customised_file) {
  auto root = embedded_json();
  root.as_object()["title"] = "Acme's Training Playbook";
  root.as_object()["criteria"].as_object().at("items").as_array()[0].as_object()["text"] = "Ask for résumés.";
  const temp_file file(json::serialize(root));
  const auto r = knowledge::load_playbook(file.path());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->title, "Acme's Training Playbook");
  EXPECT_EQ(r->criteria.items[0].text, "Ask for résumés.");
}

TEST(playbook, load_playbook_errors_name_the_file) {
  const temp_file file("{\"format\": 1, \"colour\": 2}");
  const auto r = knowledge::load_playbook(file.path());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(file.path()), std::string::npos) << r.error().message;
}

TEST(playbook, load_playbook_of_a_missing_file_is_an_error_naming_it) {
  const auto path = (fs::temp_directory_path() / "unit_playbook_does_not_exist_4711.json").string();
  const auto r = knowledge::load_playbook(path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(path), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("cannot be opened"), std::string::npos) << r.error().message;
}

TEST(playbook, load_playbook_of_a_directory_is_an_error_naming_it) {
  const auto dir = fs::temp_directory_path();
  const auto r = knowledge::load_playbook(dir.string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(dir.string()), std::string::npos) << r.error().message;
}

TEST(playbook, load_playbook_of_a_file_over_4_mib_is_an_error_naming_it) {
  std::string text(knowledge::embedded_playbook_json());
  text.append((4u << 20) + 1 - text.size(), ' ');  // valid JSON, one byte too long
  const temp_file file(text);
  const auto r = knowledge::load_playbook(file.path());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(file.path()), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("larger than 4194304 bytes"), std::string::npos)
      << r.error().message;
}

TEST(playbook, load_playbook_of_a_file_of_exactly_4_mib_loads) {
  std::string text(knowledge::embedded_playbook_json());
  text.append((4u << 20) - text.size(), '\n');
  const temp_file file(text);
  const auto r = knowledge::load_playbook(file.path());
  EXPECT_TRUE(r) << r.error().message;
}
